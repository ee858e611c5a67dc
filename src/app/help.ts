// Every key, as listed by `?`. Kept next to nothing else so that the list is easy to check against update.ts.

/** [keys, what they do]; an entry with empty keys is a section title. */
export const HELP_LINES: readonly (readonly [string, string])[] = [
  ["", "Move"],
  ["↑ k   ↓ j", "previous / next row"],
  ["PgUp Ctrl-B  PgDn Ctrl-F", "previous / next page"],
  ["g Home   G End", "first / last row"],
  ["", "Filter"],
  ["/", "filter rows: fuzzy over namespace, name, status, node, IP"],
  ["a b", "several terms must all match"],
  ["!term", "exclude rows containing term"],
  ["Enter", "keep the filter and return to the table"],
  ["Esc", "clear the filter"],
  ["Backspace Ctrl-W Ctrl-U", "delete a character / a word / everything"],
  ["↑ ↓ PgUp PgDn", "move the cursor while typing"],
  ["", "Commands"],
  [":pods :po", "pods"],
  [":deploy :svc :ns", "deployments, services, namespaces"],
  [":sts :ds :rs :no", "statefulsets, daemonsets, replicasets, nodes"],
  [":q  :quit", "quit"],
  ["", "Other"],
  ["?", "this help (Esc closes)"],
  ["Ctrl-L", "repaint the screen"],
  ["Ctrl-Z", "suspend (fg to come back)"],
  ["q  Ctrl-C", "quit"],
];
