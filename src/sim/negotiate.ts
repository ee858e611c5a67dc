// Content negotiation of resource requests and error answers, as kube-apiserver does it: the Accept header parsed and
// ordered like goautoneg.ParseAccept (github.com/munnerz/goautoneg), then the first clause that a serializer of the
// endpoint accepts wins (apiserver endpoints/handlers/negotiation/negotiate.go, NegotiateMediaTypeOptions), with the
// resource endpoints' restrictions (handlers/rest.go, RequestScope.AllowsMediaTypeTransform): a Table only as JSON or
// YAML, no conversion for custom resources' protobuf, `stream` only "watch", `sv` only "v1".
import type { TableRequest } from "./table.ts";

/** One clause of an Accept header. */
export interface AcceptClause {
  type: string;
  subType: string;
  q: number;
  params: Map<string, string>;
}

/** goautoneg.ParseAccept: clauses that are not a media range are dropped; q=0 ones are kept, last. */
export function parseAccept(header: string): AcceptClause[] {
  const clauses: AcceptClause[] = [];
  for (const rawPart of header.split(",")) {
    const part = rawPart.trim();
    if (part === "") continue;
    const [range = "", ...paramParts] = part.split(";");
    const slash = range.split("/");
    let type = slash[0]!.trim();
    let subType: string;
    if (slash.length === 1) {
      if (type !== "*") continue;
      subType = "*";
    } else if (slash.length === 2) subType = slash[1]!.trim();
    else continue;
    type = type.trim();
    const clause: AcceptClause = { type, subType, q: 1, params: new Map() };
    for (const param of paramParts) {
      const kv = param.split("=");
      if (kv.length !== 2) continue;
      const key = kv[0]!.trim();
      // strconv.ParseFloat's error leaves 0.
      if (key === "q") clause.q = Number.parseFloat(kv[1]!) || 0;
      else clause.params.set(key, kv[1]!.trim());
    }
    clauses.push(clause);
  }
  // sort.Sort with goautoneg's Less; for the short lists of an Accept header Go's sort is an insertion sort, so stable.
  for (let i = 1; i < clauses.length; i++) {
    for (let j = i; j > 0 && before(clauses[j]!, clauses[j - 1]!); j--) {
      [clauses[j - 1], clauses[j]] = [clauses[j]!, clauses[j - 1]!];
    }
  }
  return clauses;
}

function before(a: AcceptClause, b: AcceptClause): boolean {
  if (a.q > b.q) return true;
  if (a.type !== "*" && b.type === "*") return true;
  if (a.subType !== "*" && b.subType === "*") return true;
  return false;
}

/** What a resource request is answered in. */
export interface Negotiated {
  format: "json" | "protobuf";
  /** Set for `as=Table;g=meta.k8s.io;v=v1|v1beta1` (JSON only). */
  table?: TableRequest;
}

/** The media types of kube-apiserver's codecs, in its order (the first answers an absent Accept or a wildcard). */
const SERIALIZERS = [
  { subType: "json", format: "json" },
  { subType: "yaml", format: undefined },
  { subType: "vnd.kubernetes.protobuf", format: "protobuf" },
] as const;

/** The 406 message kube-apiserver gives for any kind (its serializers include protobuf for custom resources too). */
export const NOT_ACCEPTABLE_MESSAGE =
  "only the following media types are accepted: application/json, application/yaml, application/vnd.kubernetes.protobuf";

/**
 * The answer's format for a LIST, GET or WATCH of a kind, or undefined for a 406. `protobuf`: whether this kind is
 * answered in protobuf (built-ins are in kube-apiserver; the simulator has the messages of pods only, and custom
 * resources never are). YAML is never chosen: the simulator does not write it, so a YAML clause is passed over.
 */
export function negotiateResource(accept: string | undefined, protobuf: boolean): Negotiated | undefined {
  if (!accept) return { format: "json" };
  for (const clause of parseAccept(accept)) {
    for (const s of SERIALIZERS) {
      if (!matches(clause, s.subType)) continue;
      if (s.format === undefined || (s.format === "protobuf" && !protobuf)) continue;
      const options = clauseOptions(clause);
      if (options === undefined) continue;
      if (options.convert === undefined) return { format: s.format };
      const c = options.convert;
      // Tables are served only as JSON (YAML too in kube-apiserver); PartialObjectMetadata is not simulated.
      if (
        s.format === "json" &&
        c.kind === "Table" &&
        c.group === "meta.k8s.io" &&
        (c.version === "v1" || c.version === "v1beta1")
      ) {
        return { format: "json", table: { group: "meta.k8s.io", version: c.version, includeObject: "Metadata" } };
      }
    }
  }
  return undefined;
}

/**
 * The format of an error's Status: negotiated again with no conversion allowed (responsewriters.ErrorNegotiated with
 * DefaultEndpointRestrictions), and JSON when nothing matches (WriteRawJSON). A Status has a protobuf form whatever
 * the kind, so a custom resource's errors, its 406 included, can come back in protobuf.
 */
export function negotiateError(accept: string | undefined): "json" | "protobuf" {
  if (!accept) return "json";
  for (const clause of parseAccept(accept)) {
    for (const s of SERIALIZERS) {
      if (!matches(clause, s.subType) || s.format === undefined) continue;
      const options = clauseOptions(clause);
      if (options !== undefined && options.convert === undefined) return s.format;
    }
  }
  return "json";
}

function matches(clause: AcceptClause, subType: string): boolean {
  return (
    (clause.type === "application" && (clause.subType === subType || clause.subType === "*")) ||
    (clause.type === "*" && clause.subType === "*")
  );
}

interface ClauseOptions {
  convert?: { kind: string; group: string; version: string };
}

/** acceptMediaTypeOptions: undefined when a parameter rules the clause out. */
function clauseOptions(clause: AcceptClause): ClauseOptions | undefined {
  const options: ClauseOptions = {};
  for (const [key, value] of clause.params) {
    if (key === "as" || key === "g" || key === "v") {
      options.convert ??= { kind: "", group: "", version: "" };
      if (key === "as") options.convert.kind = value;
      else if (key === "g") options.convert.group = value;
      else options.convert.version = value;
    } else if (key === "stream") {
      if (value !== "" && value !== "watch") return undefined;
    } else if (key === "sv") {
      if (value !== "" && value !== "v1") return undefined;
    }
  }
  return options;
}
