// The group, version and the rest of a resource path's parts: /api/v1/... (the core group) or /apis/GROUP/VERSION/...

/** A resource path split after its group version. */
export interface ApiPath {
  group: string;
  version: string;
  /** What follows the group version: ["namespaces", NS, RESOURCE, NAME, SUB], [RESOURCE], ["watch", ...]. */
  rest: string[];
}

/** `parts` (the path split on "/") as group, version and the rest; undefined when it is no resource path. */
export function apiPath(parts: readonly string[]): ApiPath | undefined {
  if (parts[0] === "api" && parts[1] === "v1") return { group: "", version: "v1", rest: parts.slice(2) };
  if (parts[0] === "apis" && parts.length >= 4) {
    return { group: parts[1] as string, version: parts[2] as string, rest: parts.slice(3) };
  }
  return undefined;
}
