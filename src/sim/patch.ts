// The three PATCH bodies kube-apiserver accepts from kubectl and the app: JSON merge patch (RFC 7386), JSON patch
// (RFC 6902) and a subset of strategic merge patch.
//
// Strategic merge patch, as implemented here: maps merge recursively and null deletes a key (as in a merge patch);
// `$patch: replace` replaces a map and `$patch: delete` removes it; lists are replaced, except the lists whose Go type
// declares a merge key in the core/apps types (containers, initContainers, ephemeralContainers, env, volumes,
// imagePullSecrets by `name`, volumeMounts by `mountPath`, ports by `containerPort`, conditions by `type`,
// ownerReferences by `uid`), whose items merge by that key (an item with `$patch: delete` removes it);
// `$setElementOrder/...` and `$retainKeys` directives are accepted and ignored; `$deleteFromPrimitiveList/x` removes
// those values from the primitive list x. Not implemented: per-field patch strategies beyond these keys (e.g.
// `finalizers`' merge of primitives) and `$patch: merge` on lists.

type Json = Record<string, unknown>;

/** The patch types a PATCH may name in its Content-Type. */
export type PatchType = "merge" | "strategic" | "json";

const CONTENT_TYPES: Record<string, PatchType> = {
  "application/merge-patch+json": "merge",
  "application/strategic-merge-patch+json": "strategic",
  "application/json-patch+json": "json",
};

/** The patch type of a Content-Type header (parameters such as charset ignored), if it is one the server takes. */
export function patchTypeOf(contentType: string | undefined): PatchType | undefined {
  const base = (contentType ?? "").split(";")[0]!.trim().toLowerCase();
  return CONTENT_TYPES[base];
}

/** Why a patch could not be applied: `invalid` (a failed RFC 6902 test or a bad path: 422) or `bad` (the patch
 * itself is malformed: 400), as the real server tells them apart. */
export class PatchError extends Error {
  readonly kind: "bad" | "invalid";
  constructor(kind: "bad" | "invalid", message: string) {
    super(message);
    this.kind = kind;
  }
}

function isObject(v: unknown): v is Json {
  return v !== null && typeof v === "object" && !Array.isArray(v);
}

/** Applies `patch` of `type` to a copy of `target`. */
export function applyPatch(type: PatchType, target: unknown, patch: unknown): unknown {
  if (type === "json") return jsonPatch(target, patch);
  if (!isObject(patch)) throw new PatchError("bad", "patch must be a JSON object");
  return type === "merge" ? mergePatch(target, patch) : strategicMerge(target, patch);
}

/** RFC 7386: objects merge, null removes, anything else replaces. */
export function mergePatch(target: unknown, patch: unknown): unknown {
  if (!isObject(patch)) return structuredClone(patch);
  const out: Json = isObject(target) ? { ...target } : {};
  for (const [k, v] of Object.entries(patch)) {
    if (v === null) delete out[k];
    else out[k] = mergePatch(out[k], v);
  }
  return out;
}

/** The list fields whose items a strategic merge patch merges by a key (patchMergeKey in the Go types). */
const MERGE_KEYS: Record<string, string> = {
  containers: "name",
  initContainers: "name",
  ephemeralContainers: "name",
  env: "name",
  volumes: "name",
  imagePullSecrets: "name",
  volumeMounts: "mountPath",
  ports: "containerPort",
  conditions: "type",
  ownerReferences: "uid",
};

export function strategicMerge(target: unknown, patch: Json): unknown {
  const directive = patch.$patch;
  if (directive === "replace") {
    const { $patch: _, ...rest } = patch;
    return structuredClone(rest);
  }
  if (directive === "delete") return undefined;
  const out: Json = isObject(target) ? { ...target } : {};
  for (const [k, v] of Object.entries(patch)) {
    if (k === "$patch" || k === "$retainKeys" || k.startsWith("$setElementOrder/")) continue;
    if (k.startsWith("$deleteFromPrimitiveList/")) {
      const field = k.slice("$deleteFromPrimitiveList/".length);
      const gone = new Set((Array.isArray(v) ? v : []).map((x) => JSON.stringify(x)));
      if (Array.isArray(out[field])) out[field] = (out[field] as unknown[]).filter((x) => !gone.has(JSON.stringify(x)));
      continue;
    }
    if (v === null) {
      delete out[k];
      continue;
    }
    const key = MERGE_KEYS[k];
    if (Array.isArray(v) && key && v.every(isObject)) {
      out[k] = mergeList(Array.isArray(out[k]) ? (out[k] as unknown[]) : [], v, key);
      continue;
    }
    if (isObject(v)) {
      const merged = strategicMerge(out[k], v);
      if (merged === undefined) delete out[k];
      else out[k] = merged;
      continue;
    }
    out[k] = structuredClone(v);
  }
  return out;
}

/** Merges a patch list into a list by `key`: patched items merge into the item with the same key (or are appended),
 * `$patch: delete` items remove theirs; the items the patch does not name stay where they were. */
function mergeList(cur: unknown[], patch: Json[], key: string): unknown[] {
  const out = [...cur];
  const indexOf = (k: unknown) => out.findIndex((x) => isObject(x) && JSON.stringify(x[key]) === JSON.stringify(k));
  for (const item of patch) {
    const i = indexOf(item[key]);
    if (item.$patch === "delete") {
      if (i >= 0) out.splice(i, 1);
      continue;
    }
    if (i >= 0) out[i] = strategicMerge(out[i], item);
    else out.push(strategicMerge({}, item));
  }
  return out;
}

/** RFC 6901 pointer → its reference tokens. */
function pointer(path: unknown): string[] {
  if (typeof path !== "string" || (path !== "" && !path.startsWith("/"))) {
    throw new PatchError("bad", `invalid JSON pointer: ${JSON.stringify(path)}`);
  }
  if (path === "") return [];
  return path
    .slice(1)
    .split("/")
    .map((t) => t.replace(/~1/g, "/").replace(/~0/g, "~"));
}

/** The container of the last token and that token, walking from `root`. */
function parentOf(root: unknown, tokens: string[], path: string): [Json | unknown[], string] {
  let cur = root;
  for (const t of tokens.slice(0, -1)) {
    if (Array.isArray(cur)) cur = cur[Number(t)];
    else if (isObject(cur)) cur = cur[t];
    else cur = undefined;
    if (cur === undefined) throw new PatchError("invalid", `doc is missing path: "${path}"`);
  }
  if (!Array.isArray(cur) && !isObject(cur)) throw new PatchError("invalid", `doc is missing path: "${path}"`);
  return [cur, tokens[tokens.length - 1]!];
}

function arrayIndex(arr: unknown[], t: string, path: string, forAdd: boolean): number {
  if (forAdd && t === "-") return arr.length;
  if (!/^(0|[1-9][0-9]*)$/.test(t)) throw new PatchError("invalid", `invalid array index in path: "${path}"`);
  const i = Number(t);
  if (i > arr.length || (!forAdd && i === arr.length)) {
    throw new PatchError("invalid", `unable to access invalid index: ${i}: "${path}"`);
  }
  return i;
}

function getAt(doc: unknown, path: string): unknown {
  let cur = doc;
  for (const t of pointer(path)) {
    if (Array.isArray(cur)) cur = cur[arrayIndex(cur, t, path, false)];
    else if (isObject(cur) && t in cur) cur = cur[t];
    else throw new PatchError("invalid", `doc is missing path: "${path}"`);
  }
  return cur;
}

function add(doc: unknown, path: string, value: unknown): unknown {
  const tokens = pointer(path);
  if (tokens.length === 0) return structuredClone(value);
  const [parent, last] = parentOf(doc, tokens, path);
  if (Array.isArray(parent)) parent.splice(arrayIndex(parent, last, path, true), 0, structuredClone(value));
  else parent[last] = structuredClone(value);
  return doc;
}

function remove(doc: unknown, path: string): unknown {
  const tokens = pointer(path);
  if (tokens.length === 0) throw new PatchError("invalid", "unable to remove the whole document");
  const [parent, last] = parentOf(doc, tokens, path);
  if (Array.isArray(parent)) parent.splice(arrayIndex(parent, last, path, false), 1);
  else {
    if (!(last in parent)) throw new PatchError("invalid", `unable to remove nonexistent key: ${last}: missing value`);
    delete parent[last];
  }
  return doc;
}

/** RFC 6902: add, remove, replace, move, copy and test, applied in order; any failure fails the whole patch. */
export function jsonPatch(target: unknown, ops: unknown): unknown {
  if (!Array.isArray(ops))
    throw new PatchError("bad", "json: cannot unmarshal object into Go value of type jsonpatch.Patch");
  let doc = structuredClone(target);
  for (const raw of ops) {
    if (!isObject(raw)) throw new PatchError("bad", "json: cannot unmarshal into Go value of type jsonpatch.Operation");
    const path = raw.path as string;
    switch (raw.op) {
      case "add":
        if (!("value" in raw)) throw new PatchError("invalid", "add operation does not apply: missing value");
        doc = add(doc, path, raw.value);
        break;
      case "remove":
        doc = remove(doc, path);
        break;
      case "replace":
        if (!("value" in raw)) throw new PatchError("invalid", "replace operation does not apply: missing value");
        getAt(doc, path);
        doc = add(remove(doc, path), path, raw.value);
        break;
      case "move": {
        const v = getAt(doc, raw.from as string);
        doc = add(remove(doc, raw.from as string), path, v);
        break;
      }
      case "copy":
        doc = add(doc, path, getAt(doc, raw.from as string));
        break;
      case "test":
        if (JSON.stringify(canonical(getAt(doc, path))) !== JSON.stringify(canonical(raw.value))) {
          throw new PatchError("invalid", `testing value ${path} failed: test failed`);
        }
        break;
      default:
        throw new PatchError("bad", `Unexpected kind: ${String(raw.op)}`);
    }
  }
  return doc;
}

/** A copy with object keys sorted, so that equal JSON values compare equal as text whatever their key order. */
export function canonical(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(canonical);
  if (!isObject(v)) return v;
  const out: Json = {};
  for (const k of Object.keys(v).sort()) out[k] = canonical(v[k]);
  return out;
}

/** Whether two JSON values are equal (key order aside). */
export function jsonEqual(a: unknown, b: unknown): boolean {
  return JSON.stringify(canonical(a)) === JSON.stringify(canonical(b));
}
