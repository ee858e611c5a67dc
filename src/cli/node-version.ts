// The Node.js versions the program runs on. No imports: the entry checks this before anything else loads.

/** The oldest Node.js the program runs on (package.json's engines say the same). */
export const MINIMUM_NODE = [22, 19] as const;

/** Whether `version` ("22.19.0", "v20.20.2") is at least the minimum. */
export function nodeIsSupported(version: string): boolean {
  const [major = 0, minor = 0] = version.replace(/^v/, "").split(".").map(Number);
  return major > MINIMUM_NODE[0] || (major === MINIMUM_NODE[0] && minor >= MINIMUM_NODE[1]);
}

/** The one line an old Node gets. */
export function unsupportedNodeMessage(version: string): string {
  return `timoneiro: needs Node.js ≥ ${MINIMUM_NODE.join(".")}, this is v${version.replace(/^v/, "")}; install a current LTS or use the standalone binary`;
}
