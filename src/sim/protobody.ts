// Request bodies in protobuf: kubectl's typed clients send their writes as application/vnd.kubernetes.protobuf
// (auth can-i's SelfSubjectAccessReview, drain's Eviction, DeleteOptions, create job --from's Job, run's Pod,
// create configmap's ConfigMap), so the simulator reads those messages into the JSON shape the rest of it handles.
// Field numbers are those of k8s.io/api's generated.proto files: the review, eviction and options messages here, the
// Pod's from the encoder's schema (kube/protobuf/schema.ts) with Job, CronJob-template and ConfigMap messages added.
import { readEnvelope } from "../kube/protobuf/envelope.ts";
import { BYTES, ProtoReader, VARINT } from "../kube/protobuf/reader.ts";
import { schema as podSchema } from "../kube/protobuf/schema.ts";
import { rfc3339 } from "./generate.ts";

type Json = Record<string, unknown>;

/** A message's fields by number: the JSON name and how to read it (a scalar, or a nested message). */
type Schema = Record<number, [string, "string" | "int64" | "bool" | "strings" | Schema]>;

const OBJECT_META: Schema = {
  1: ["name", "string"],
  2: ["generateName", "string"],
  3: ["namespace", "string"],
  5: ["uid", "string"],
  6: ["resourceVersion", "string"],
};

const DELETE_OPTIONS: Schema = {
  1: ["gracePeriodSeconds", "int64"],
  2: ["preconditions", { 1: ["uid", "string"], 2: ["resourceVersion", "string"] }],
  3: ["orphanDependents", "bool"],
  4: ["propagationPolicy", "string"],
  5: ["dryRun", "strings"],
};

const SCHEMAS: Record<string, Schema> = {
  SelfSubjectAccessReview: {
    1: ["metadata", OBJECT_META],
    2: [
      "spec",
      {
        1: [
          "resourceAttributes",
          {
            1: ["namespace", "string"],
            2: ["verb", "string"],
            3: ["group", "string"],
            4: ["version", "string"],
            5: ["resource", "string"],
            6: ["subresource", "string"],
            7: ["name", "string"],
          },
        ],
        2: ["nonResourceAttributes", { 1: ["path", "string"], 2: ["verb", "string"] }],
      },
    ],
  },
  SelfSubjectRulesReview: { 1: ["metadata", OBJECT_META], 2: ["spec", { 1: ["namespace", "string"] }] },
  Eviction: { 1: ["metadata", OBJECT_META], 2: ["deleteOptions", DELETE_OPTIONS] },
  DeleteOptions: DELETE_OPTIONS,
};

function readMessage(r: ProtoReader, end: number, schema: Schema): Json {
  const out: Json = {};
  while (r.pos < end) {
    const tag = r.varint();
    const field = schema[tag >>> 3];
    if (!field) {
      r.skip(tag & 7);
      continue;
    }
    const [name, type] = field;
    if (typeof type === "object") {
      if ((tag & 7) !== BYTES) throw new Error(`field ${name}: not a message`);
      const subEnd = r.delimited();
      out[name] = readMessage(r, subEnd, type);
      r.pos = subEnd;
    } else if (type === "string") out[name] = r.string();
    else if (type === "strings") out[name] = [...((out[name] as string[] | undefined) ?? []), r.string()];
    else if ((tag & 7) !== VARINT) throw new Error(`field ${name}: not a varint`);
    else if (type === "bool") out[name] = r.bool();
    else out[name] = r.int64();
  }
  return out;
}

// ---- objects, through the encoder's schema (fields by JSON name: [number, type]) ----

type FieldTypes = Readonly<Record<string, readonly [number, string]>>;

/** The messages of the kinds below that the Pod schema lacks (batch/v1 and core/v1 generated.proto). */
const EXTRA: Record<string, FieldTypes> = {
  Job: { metadata: [1, "ObjectMeta"], spec: [2, "JobSpec"] },
  JobSpec: {
    parallelism: [1, "int32"],
    completions: [2, "int32"],
    activeDeadlineSeconds: [3, "int64"],
    backoffLimit: [7, "int32"],
    backoffLimitPerIndex: [12, "int32"],
    maxFailedIndexes: [13, "int32"],
    selector: [4, "LabelSelector"],
    manualSelector: [5, "bool"],
    template: [6, "PodTemplateSpec"],
    ttlSecondsAfterFinished: [8, "int32"],
    completionMode: [9, "string"],
    suspend: [10, "bool"],
    podReplacementPolicy: [14, "string"],
    managedBy: [15, "string"],
  },
  PodTemplateSpec: { metadata: [1, "ObjectMeta"], spec: [2, "PodSpec"] },
  ConfigMap: { metadata: [1, "ObjectMeta"], data: [2, "map"], immutable: [4, "bool"] },
};

/** JSON names whose field is a list (protobuf's repeated fields do not say so on the wire). */
const REPEATED = new Set([
  "volumes",
  "initContainers",
  "containers",
  "ephemeralContainers",
  "imagePullSecrets",
  "tolerations",
  "hostAliases",
  "readinessGates",
  "topologySpreadConstraints",
  "schedulingGates",
  "resourceClaims",
  "command",
  "args",
  "ports",
  "envFrom",
  "env",
  "volumeMounts",
  "volumeDevices",
  "resizePolicy",
  "ownerReferences",
  "finalizers",
  "managedFields",
  "sources",
  "items",
  "add",
  "drop",
  "conditions",
  "hostIPs",
  "podIPs",
  "initContainerStatuses",
  "containerStatuses",
  "ephemeralContainerStatuses",
  "nodeSelectorTerms",
  "matchExpressions",
  "matchFields",
  "values",
  "preferredDuringSchedulingIgnoredDuringExecution",
  "supplementalGroups",
  "sysctls",
  "nameservers",
  "searches",
  "options",
  "hostnames",
  "claims",
  "namespaces",
  "matchLabelKeys",
  "mismatchLabelKeys",
  "causes",
]);

function typesOf(message: string): FieldTypes | undefined {
  return EXTRA[message] ?? podSchema[message];
}

/** Reads message `message` at r.pos..end into JSON. */
function readObject(r: ProtoReader, end: number, message: string): Json {
  const types = typesOf(message);
  if (!types) throw new Error(`no protobuf schema for ${message}`);
  const byNumber = new Map<number, [string, string]>();
  for (const [name, [n, type]] of Object.entries(types)) byNumber.set(n, [name, type]);
  const out: Json = {};
  while (r.pos < end) {
    const tag = r.varint();
    const field = byNumber.get(tag >>> 3);
    if (!field) {
      r.skip(tag & 7);
      continue;
    }
    const [name, type] = field;
    if (type.startsWith("inline:")) {
      const subEnd = r.delimited();
      Object.assign(out, readObject(r, subEnd, type.slice(7)));
      r.pos = subEnd;
      continue;
    }
    if (type === "map" || type === "quantityMap") {
      const entryEnd = r.delimited();
      let key = "";
      let value: unknown = "";
      while (r.pos < entryEnd) {
        const t = r.varint();
        if (t >>> 3 === 1) key = r.string();
        else if (t >>> 3 === 2) value = type === "map" ? r.string() : readScalar(r, "quantity");
        else r.skip(t & 7);
      }
      out[name] = { ...((out[name] as Json | undefined) ?? {}), [key]: value };
      continue;
    }
    const value = typesOf(type) ? readNested(r, type) : readScalar(r, type);
    // The wire has every string and time field, empty or zero ones too; JSON leaves those out (omitempty, a nil Time).
    if (value === "" || value === undefined) continue;
    // A list, unless a NodeSelector (nodeAffinity's required terms are one object, podAffinity's a list).
    if (REPEATED.has(name) && type !== "NodeSelector")
      out[name] = [...((out[name] as unknown[] | undefined) ?? []), value];
    else out[name] = value;
  }
  return out;
}

function readNested(r: ProtoReader, message: string): Json {
  const end = r.delimited();
  const v = readObject(r, end, message);
  r.pos = end;
  return v;
}

function readScalar(r: ProtoReader, type: string): unknown {
  switch (type) {
    case "string":
      return r.string();
    case "bool":
      return r.bool();
    case "int32":
      return r.int32();
    case "int64":
      return r.int64();
    case "bytes": {
      const end = r.delimited();
      const v = r.buf.subarray(r.pos, end).toString("base64");
      r.pos = end;
      return v;
    }
    case "time": {
      const end = r.delimited();
      let seconds = 0;
      while (r.pos < end) {
        const t = r.varint();
        if (t >>> 3 === 1) seconds = r.int64();
        else r.skip(t & 7);
      }
      return seconds === 0 ? undefined : rfc3339(seconds * 1000);
    }
    case "quantity": {
      const end = r.delimited();
      let v = "";
      while (r.pos < end) {
        const t = r.varint();
        if (t >>> 3 === 1) v = r.string();
        else r.skip(t & 7);
      }
      return v;
    }
    case "intOrString": {
      const end = r.delimited();
      let kind = 0;
      let int = 0;
      let str = "";
      while (r.pos < end) {
        const t = r.varint();
        if (t >>> 3 === 1) kind = r.varint();
        else if (t >>> 3 === 2) int = r.int32();
        else if (t >>> 3 === 3) str = r.string();
        else r.skip(t & 7);
      }
      return kind === 1 ? str : int;
    }
    case "fieldsV1": {
      const end = r.delimited();
      let v: unknown = {};
      while (r.pos < end) {
        const t = r.varint();
        if (t >>> 3 === 1) v = JSON.parse(r.string());
        else r.skip(t & 7);
      }
      return v;
    }
    default:
      throw new Error(`protobuf field type ${type} is not read here`);
  }
}

/** The JSON form of an enveloped protobuf body of one of the kinds above; throws on another kind or bad bytes. */
export function decodeProtobufBody(body: Buffer): Json {
  const r = new ProtoReader(body);
  const env = readEnvelope(r, body.length);
  const raw = new ProtoReader(body, env.rawStart);
  const head = { apiVersion: env.apiVersion, kind: env.kind };
  const schema = SCHEMAS[env.kind];
  if (schema) return { ...head, ...readMessage(raw, env.rawEnd, schema) };
  if (env.kind === "Pod" || EXTRA[env.kind]) return { ...head, ...readObject(raw, env.rawEnd, env.kind) };
  throw new Error(`no protobuf decoding for ${env.kind || "an object without a kind"}`);
}
