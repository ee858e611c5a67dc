// Width in terminal cells of any text: string-width 8.3's rules (MIT, Sindre Sorhus), written again so that nothing
// is built before it is needed. string-width builds its Unicode-property regexes (`\p{RGI_Emoji}` with the v flag:
// ~20 ms to create, as much again for the first match) and an Intl.Segmenter (~12 ms of ICU set-up for the first one
// in a process) when it is imported, and the UI imports it before its first frame, which needs none of it: width.ts
// measures text of one-cell characters by its length. Here the regexes and the segmenter are made on the first call
// that needs them. The regexes are built with `new RegExp` from strings because V8 checks a regex literal when it
// parses the script, even inside a function that never runs, and for `\p{RGI_Emoji}` that check is the cost.
// test/unit/tui/cell-width.test.ts compares this with string-width itself.
//
// The rules, per grapheme (as terminals render clusters):
// 1. Non-printing clusters (default-ignorable, control, format, non-spacing or enclosing marks, lone surrogates) are 0.
// 2. RGI emoji are 2; so are keycaps without VS16 and ZWJ sequences of two or more pictographs.
// 3. Modern Hangul jamo L+V or L+V+T make one 2-cell syllable; unmatched jamo add up.
// 4. Otherwise the East Asian Width of the first visible code point, plus trailing spacing marks and
//    halfwidth/fullwidth forms of the same cluster.
import { eastAsianWidth } from "get-east-asian-width";
import stripAnsi from "strip-ansi";

interface Patterns {
  /** A printing character: finds a cluster's base (skipping prepended format characters and marks). */
  visible: RegExp;
  spacingMark: RegExp;
  rgiEmoji: RegExp;
  extendedPictographic: RegExp;
}

let patterns: Patterns | undefined;
let segmenter: Intl.Segmenter | undefined;

/** A regex built from its source at run time, never parsed (and checked) with the script: see above. */
const runtimeRegExp = (source: string, flags: string) => new RegExp(source, flags);

function built(): Patterns {
  patterns ??= {
    // One negated class without a quantifier: a repeated pattern backtracks exponentially on overlapping properties.
    visible: runtimeRegExp(
      "[^\\p{Default_Ignorable_Code_Point}\\p{Control}\\p{Format}\\p{Nonspacing_Mark}\\p{Enclosing_Mark}\\p{Surrogate}]",
      "v",
    ),
    spacingMark: runtimeRegExp("\\p{Spacing_Mark}", "v"),
    rgiEmoji: runtimeRegExp("^\\p{RGI_Emoji}$", "v"),
    extendedPictographic: runtimeRegExp("\\p{Extended_Pictographic}", "gu"),
  };
  return patterns;
}

const UNQUALIFIED_KEYCAP = /^[\d#*]\u20e3$/;

/** Keycaps without VS16 and ZWJ sequences of 2+ pictographs: terminals draw them 2 cells wide, not RGI or not. */
function isDoubleWidthNonRgiEmojiSequence(segment: string, p: Patterns): boolean {
  // Real emoji clusters are under 30 code units; this guards against pathological input.
  if (segment.length > 50) return false;
  if (UNQUALIFIED_KEYCAP.test(segment)) return true;
  if (segment.includes("\u200d")) {
    const pictographics = segment.match(p.extendedPictographic);
    return pictographics !== null && pictographics.length >= 2;
  }
  return false;
}

const isHangulLeadingJamo = (c: number) => (c >= 0x1100 && c <= 0x115f) || (c >= 0xa960 && c <= 0xa97c);
const isHangulVowelJamo = (c: number) => (c >= 0x1160 && c <= 0x11a7) || (c >= 0xd7b0 && c <= 0xd7c6);
const isHangulTrailingJamo = (c: number) => (c >= 0x11a8 && c <= 0x11ff) || (c >= 0xd7cb && c <= 0xd7fb);
const isHangulJamo = (c: number) => isHangulLeadingJamo(c) || isHangulVowelJamo(c) || isHangulTrailingJamo(c);

/** Width of a cluster that starts with Hangul jamo, or undefined when it does not. */
function hangulClusterWidth(visibleSegment: string, p: Patterns): number | undefined {
  const codePoints: number[] = [];
  for (const character of visibleSegment) {
    if (p.visible.test(character)) codePoints.push(character.codePointAt(0)!);
  }
  if (codePoints.length === 0) return undefined;
  let width = 0;
  for (let i = 0; i < codePoints.length; i++) {
    const c = codePoints[i]!;
    if (!isHangulJamo(c)) {
      if (width === 0) return undefined;
      // A mixed cluster (a leading jamo and a precomposed syllable): East Asian Width for the rest.
      for (let rest = i; rest < codePoints.length; rest++) width += eastAsianWidth(codePoints[rest]!);
      return width;
    }
    // Modern Hangul L+V(+T) is drawn as one syllable block; unmatched jamo add up.
    const next = codePoints[i + 1];
    if (isHangulLeadingJamo(c) && next !== undefined && isHangulVowelJamo(next)) {
      width += 2;
      const after = codePoints[i + 2];
      i += after !== undefined && isHangulTrailingJamo(after) ? 2 : 1;
      continue;
    }
    width += eastAsianWidth(c);
  }
  return width;
}

/** Spacing marks and halfwidth/fullwidth forms after a cluster's base (dakuten, prolonged sound mark...). */
function trailingWidth(visibleSegment: string, p: Patterns): number {
  let extra = 0;
  let first = true;
  for (const character of visibleSegment) {
    if (first) {
      first = false;
      continue;
    }
    if (p.spacingMark.test(character) || (character >= "\uff00" && character <= "\uffef")) {
      extra += eastAsianWidth(character.codePointAt(0)!);
    }
  }
  return extra;
}

/** Cells that `input` occupies in a terminal; ANSI escape sequences count for nothing. */
export function cellWidth(input: string): number {
  if (input.length === 0) return 0;
  let s = input;
  if (s.includes("\x1b") || s.includes("\x9b")) s = stripAnsi(s);
  if (s.length === 0) return 0;
  if (/^[\x20-\x7e]*$/.test(s)) return s.length;
  const p = built();
  segmenter ??= new Intl.Segmenter();
  let width = 0;
  for (const { segment } of segmenter.segment(s)) {
    const index = segment.search(p.visible);
    if (index === -1) continue;
    const visibleSegment = segment.slice(index);
    if (p.rgiEmoji.test(segment) || isDoubleWidthNonRgiEmojiSequence(segment, p)) {
      width += 2;
      continue;
    }
    const hangul = hangulClusterWidth(visibleSegment, p);
    if (hangul !== undefined) {
      width += hangul;
      continue;
    }
    width += eastAsianWidth(visibleSegment.codePointAt(0)!);
    width += trailingWidth(visibleSegment, p);
  }
  return width;
}
