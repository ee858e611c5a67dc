// The write verbs, as kube-apiserver answers them: POST (create), DELETE (DeleteOptions: grace period, propagation
// policy, preconditions), PATCH (merge, strategic merge, JSON patch), PUT (optimistic concurrency on
// metadata.resourceVersion), the scale subresource of deployments, replicasets and statefulsets, pod eviction
// (policy/v1, checked against PodDisruptionBudgets), and SelfSubjectAccessReview / SelfSubjectRulesReview answered
// from the users' deny lists. Each change bumps the resourceVersion and goes out as a watch event (store.ts), and the
// controllers (controllers.ts) act on what it asks for.
//
// Validation, a minimal set of kube-apiserver's: spec.replicas an integer >= 0 (deployments, replicasets,
// statefulsets, Scale); spec.selector immutable (deployments, replicasets, statefulsets, daemonsets, jobs); a job's
// spec.template and completions immutable; a statefulset's spec only changes in replicas, ordinals, template,
// updateStrategy, persistentVolumeClaimRetentionPolicy and minReadySeconds; a pod's spec only in
// containers[*].image, initContainers[*].image, activeDeadlineSeconds, tolerations (additions) and
// terminationGracePeriodSeconds; spec.unschedulable and spec.suspend booleans and spec.replicas a number (else the
// decoder's 400); a name (or generateName) that is an RFC 1123 subdomain on create.
//
// Deny lists (SimUser.deny and the rbac-deny fault): "pods" denies every verb on pods and on the subresources served
// here (eviction, scale), "pods/eviction" one subresource, and "delete:pods" or "patch:deployments/scale" one verb (a
// read-only user is a list of "create:x", "update:x", "patch:x", "delete:x"). Bodies may be JSON or, as kubectl's
// typed clients send them, protobuf (protobody.ts). Not served: the status subresource, deletecollection, dry runs
// beyond answering without storing, server-side apply (application/apply-patch+yaml is a 415).

import type { IncomingMessage, ServerResponse } from "node:http";
import type { KubeObject } from "../kube/objects.ts";
import { PROTOBUF } from "../kube/protobuf/envelope.ts";
import { apiPath } from "./api-path.ts";
import type { Controllers, Propagation } from "./controllers.ts";
import { selectorString } from "./controllers.ts";
import type { FaultSpec } from "./faults.ts";
import { rfc3339 } from "./generate.ts";
import { type KindInfo, qualifiedResource, storeKeyOf } from "./kinds.ts";
import { applyPatch, jsonEqual, PatchError, patchTypeOf } from "./patch.ts";
import { budget, budgetStatus, selectorMatches } from "./pdb.ts";
import { Rng } from "./prng.ts";
import { decodeProtobufBody } from "./protobody.ts";
import {
  ApiError,
  alreadyExists,
  badRequest,
  deleteSuccess,
  methodNotAllowed,
  notFound,
  pathNotFound,
} from "./status.ts";
import { type Store, serialise } from "./store.ts";

type Json = Record<string, unknown>;

/** Who makes a request: a name for messages and what it may not do. */
export interface Caller {
  name: string;
  deny: readonly string[];
}

export interface WritesOptions {
  store: Store;
  controllers: Controllers;
  /** The server's live faults (their rbacDeny applies to every user). */
  faults: FaultSpec;
  seed: number;
}

/** A path the resource router does not know: a subresource or an authorization review. */
export type ExtraRoute =
  | { type: "subresource"; kind: KindInfo; namespace: string; name: string; sub: "scale" | "eviction" }
  | { type: "review"; review: "selfsubjectaccessreviews" | "selfsubjectrulesreviews" };

const SCALABLE = new Set(["deployments", "replicasets", "statefulsets"]);

/** Kinds whose objects carry metadata.generation (their strategies set and bump it), custom resources aside. */
const GENERATION_KINDS = new Set([
  "deployments",
  "replicasets",
  "statefulsets",
  "daemonsets",
  "jobs",
  "cronjobs",
  "poddisruptionbudgets",
  "horizontalpodautoscalers",
  "ingresses",
  "networkpolicies",
  "customresourcedefinitions",
]);

/** The Go struct a kind's spec decodes into, for the decoder's wording of a type error. */
const SPEC_TYPES: Record<string, string> = {
  deployments: "DeploymentSpec",
  replicasets: "ReplicaSetSpec",
  statefulsets: "StatefulSetSpec",
  nodes: "NodeSpec",
  jobs: "JobSpec",
  cronjobs: "CronJobSpec",
};

const DNS1123_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

interface Cause {
  field: string;
  reason: "FieldValueInvalid" | "FieldValueForbidden" | "FieldValueRequired";
  message: string;
}

function goValue(v: unknown): string {
  return typeof v === "string" ? JSON.stringify(v) : typeof v === "object" ? JSON.stringify(v) : String(v);
}

function invalidValue(field: string, value: unknown, detail: string): Cause {
  return { field, reason: "FieldValueInvalid", message: `Invalid value: ${goValue(value)}: ${detail}` };
}

/** 422 Invalid, worded as errors.NewInvalid: `Deployment.apps "x" is invalid: field: message`. */
function invalid(k: KindInfo, name: string, causes: Cause[]): ApiError {
  const what = k.group ? `${k.kind}.${k.group}` : k.kind;
  const parts = causes.map((c) => `${c.field}: ${c.message}`);
  const message = `${what} "${name}" is invalid: ${parts.length === 1 ? parts[0] : `[${parts.join(", ")}]`}`;
  const details: Json = { name };
  if (k.group) details.group = k.group;
  details.kind = k.kind;
  details.causes = causes.map((c) => ({ reason: c.reason, message: c.message, field: c.field }));
  return new ApiError({
    kind: "Status",
    apiVersion: "v1",
    metadata: {},
    status: "Failure",
    message,
    reason: "Invalid",
    details,
    code: 422,
  });
}

/** 409 Conflict, worded as errors.NewConflict. */
export function conflict(k: KindInfo, name: string, why: string): ApiError {
  const details: Json = { name };
  if (k.group) details.group = k.group;
  details.kind = k.resource;
  return new ApiError({
    kind: "Status",
    apiVersion: "v1",
    metadata: {},
    status: "Failure",
    message: `Operation cannot be fulfilled on ${qualifiedResource(k)} "${name}": ${why}`,
    reason: "Conflict",
    details,
    code: 409,
  });
}

const MODIFIED = "the object has been modified; please apply your changes to the latest version and try again";

/** 403 for a verb on a resource or one of its subresources (`pods "x" is forbidden: User "u" cannot create resource
 * "pods/eviction" ...`: the error names the resource, the reason names the subresource too). */
function forbiddenOn(k: KindInfo, verb: string, user: string, ns: string, name?: string, sub?: string): ApiError {
  const scope = ns ? `in the namespace "${ns}"` : "at the cluster scope";
  const resource = sub ? `${k.resource}/${sub}` : k.resource;
  const why = `User "${user}" cannot ${verb} resource "${resource}" in API group "${k.group}" ${scope}`;
  const what = name ? `${qualifiedResource(k)} "${name}"` : qualifiedResource(k);
  const details: Json = {};
  if (name) details.name = name;
  if (k.group) details.group = k.group;
  details.kind = k.resource;
  return new ApiError({
    kind: "Status",
    apiVersion: "v1",
    metadata: {},
    status: "Failure",
    message: `${what} is forbidden: ${why}`,
    reason: "Forbidden",
    details,
    code: 403,
  });
}

/** 415, worded as the real server's but listing only the patch types served here (no server-side apply). */
function unsupportedMediaType(k: KindInfo): ApiError {
  const types = [
    "application/json-patch+json",
    "application/merge-patch+json",
    ...(k.crd ? [] : ["application/strategic-merge-patch+json"]),
  ];
  return new ApiError({
    kind: "Status",
    apiVersion: "v1",
    metadata: {},
    status: "Failure",
    message: `the body of the request was in an unknown format - accepted media types include: ${types.join(", ")}`,
    reason: "UnsupportedMediaType",
    code: 415,
  });
}

function jsonType(v: unknown): string {
  if (v === null) return "null";
  if (Array.isArray(v)) return "array";
  if (typeof v === "boolean") return "bool";
  return typeof v;
}

/** The request's body as JSON text; a protobuf one (kubectl's typed clients send some) is decoded into it first. */
function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const body = Buffer.concat(chunks);
      if (!(req.headers["content-type"] ?? "").startsWith(PROTOBUF)) return resolve(body.toString("utf8"));
      try {
        resolve(JSON.stringify(decodeProtobufBody(body)));
      } catch (e) {
        reject(badRequest(`the body of the request could not be decoded: ${(e as Error).message}`));
      }
    });
    req.on("error", reject);
  });
}

function parseBody(text: string, what: string): unknown {
  try {
    return JSON.parse(text);
  } catch (e) {
    throw badRequest(`${what}: ${(e as Error).message}`);
  }
}

function reply(res: ServerResponse, code: number, body: string | Buffer): void {
  if (res.writableEnded || res.destroyed) return;
  res.writeHead(code, {
    "Content-Type": "application/json",
    "Cache-Control": "no-cache, private",
    "Content-Length": String(Buffer.byteLength(body)),
  });
  res.end(body);
}

function metaOf(o: KubeObject): Json {
  o.metadata ??= {};
  return o.metadata as Json;
}

/** Whether an object's everything-but-metadata-and-status differs (what bumps metadata.generation). */
function specChanged(a: KubeObject, b: KubeObject): boolean {
  const strip = (o: KubeObject) => {
    const { metadata: _m, status: _s, ...rest } = o;
    return rest;
  };
  return !jsonEqual(strip(a), strip(b));
}

export class Writes {
  private readonly o: WritesOptions;
  private readonly rng: Rng;

  constructor(o: WritesOptions) {
    this.o = o;
    this.rng = new Rng(o.seed ^ 0x3a17e5);
  }

  private get store(): Store {
    return this.o.store;
  }

  /** Whether `caller` may not do `verb` on `resource` (or its `sub`resource). */
  denied(caller: Caller, verb: string, resource: string, sub?: string): boolean {
    const full = sub ? `${resource}/${sub}` : resource;
    const lists = [...(this.o.faults.rbacDeny ?? []), ...caller.deny];
    return lists.some((d) => d === resource || d === full || d === `${verb}:${resource}` || d === `${verb}:${full}`);
  }

  private check(caller: Caller, verb: string, k: KindInfo, ns: string, name?: string, sub?: string): void {
    if (this.denied(caller, verb, k.resource, sub)) throw forbiddenOn(k, verb, caller.name, ns, name, sub);
  }

  /** The subresource and review paths this module serves, from a request path's parts. */
  route(parts: readonly string[]): ExtraRoute | undefined {
    if (parts[0] === "apis" && parts[1] === "authorization.k8s.io" && parts[2] === "v1" && parts.length === 4) {
      const r = parts[3];
      if (r === "selfsubjectaccessreviews" || r === "selfsubjectrulesreviews") return { type: "review", review: r };
      return undefined;
    }
    const path = apiPath(parts);
    if (!path) return undefined;
    const { group, version, rest } = path;
    if (rest.length !== 5 || rest[0] !== "namespaces") return undefined;
    const sub = rest[4];
    if (sub !== "scale" && sub !== "eviction") return undefined;
    const ks = this.store.lookup(group, version, rest[2]!);
    if (!ks) return undefined;
    return { type: "subresource", kind: ks.info, namespace: rest[1]!, name: rest[3]!, sub };
  }

  /** Serves a path `route` matched. */
  async serveExtra(req: IncomingMessage, res: ServerResponse, url: URL, r: ExtraRoute, caller: Caller): Promise<void> {
    const method = req.method ?? "GET";
    if (r.type === "review") {
      if (method !== "POST") throw methodNotAllowed();
      const body = parseBody(await readBody(req), "couldn't decode the review") as Json;
      return reply(
        res,
        201,
        JSON.stringify(r.review === "selfsubjectaccessreviews" ? this.access(body, caller) : this.rules(body, caller)),
      );
    }
    const { kind: k, namespace: ns, name, sub } = r;
    if (sub === "eviction") {
      if (k.resource !== "pods") throw pathNotFound();
      if (method !== "POST") throw methodNotAllowed();
      this.check(caller, "create", k, ns, name, sub);
      return this.evict(req, res, ns, name);
    }
    if (!SCALABLE.has(k.resource)) throw pathNotFound();
    const verb = method === "GET" ? "get" : method === "PUT" ? "update" : method === "PATCH" ? "patch" : "";
    if (!verb) throw methodNotAllowed();
    this.check(caller, verb, k, ns, name, sub);
    return this.scale(req, res, url, k, ns, name, method);
  }

  // ---- create ----

  async create(
    req: IncomingMessage,
    res: ServerResponse,
    url: URL,
    k: KindInfo,
    ns: string,
    caller: Caller,
  ): Promise<void> {
    this.check(caller, "create", k, ns);
    const body = parseBody(await readBody(req), `couldn't get version/kind; json parse error`);
    if (body === null || typeof body !== "object" || Array.isArray(body))
      throw badRequest("the body of the request was not an object");
    const obj = body as KubeObject;
    const m = metaOf(obj);
    if (k.namespaced) {
      if (m.namespace !== undefined && m.namespace !== "" && m.namespace !== ns) {
        throw badRequest("the namespace of the provided object does not match the namespace sent on the request");
      }
      m.namespace = ns;
    }
    if (!m.name && typeof m.generateName === "string" && m.generateName)
      m.name = `${m.generateName}${this.rng.suffix(5)}`;
    const name = String(m.name ?? "");
    if (!name) {
      throw invalid(k, "", [
        {
          field: "metadata.name",
          reason: "FieldValueRequired",
          message: "Required value: name or generateName is required",
        },
      ]);
    }
    if (!DNS1123_SUBDOMAIN.test(name) || name.length > 253) {
      throw invalid(k, name, [
        invalidValue(
          "metadata.name",
          name,
          "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')",
        ),
      ]);
    }
    this.typeErrors(k, obj);
    const causes = this.validate(k, obj, undefined);
    if (causes.length) throw invalid(k, name, causes);
    // What the API server sets itself on create.
    m.uid = this.rng.uuid();
    m.creationTimestamp = rfc3339(Date.now());
    delete m.resourceVersion;
    delete m.deletionTimestamp;
    if (k.crd || GENERATION_KINDS.has(k.resource)) m.generation = 1;
    else delete m.generation;
    this.defaults(k, obj);
    if (url.searchParams.get("dryRun") === "All") return reply(res, 201, serialise(k, obj));
    if (this.store.get(storeKeyOf(k), ns, name)) throw alreadyExists(k, name);
    const v = this.store.create(storeKeyOf(k), obj);
    this.o.controllers.kick(k.resource, ns, name);
    reply(res, 201, v.buf!);
  }

  /** The defaults the API server's strategies fill in that the controllers here rely on. */
  private defaults(k: KindInfo, obj: KubeObject): void {
    obj.spec ??= {};
    const spec = obj.spec as Json;
    if (k.resource === "jobs") {
      // The job controller's selector and labels: batch.kubernetes.io/controller-uid of the new uid.
      const uid = String(metaOf(obj).uid);
      const name = String(metaOf(obj).name);
      const own = {
        "batch.kubernetes.io/controller-uid": uid,
        "batch.kubernetes.io/job-name": name,
        "controller-uid": uid,
        "job-name": name,
      };
      if (!spec.selector) {
        spec.selector = { matchLabels: { "batch.kubernetes.io/controller-uid": uid } };
        spec.manualSelector = false;
      }
      spec.template ??= {};
      const t = spec.template as Json;
      t.metadata ??= {};
      const tm = t.metadata as Json;
      tm.labels = { ...((tm.labels as Json | undefined) ?? {}), ...own };
      metaOf(obj).labels = { ...((metaOf(obj).labels as Json | undefined) ?? {}), ...own };
      spec.parallelism ??= 1;
      spec.completions ??= 1;
      spec.backoffLimit ??= 6;
      spec.completionMode ??= "NonIndexed";
      spec.suspend ??= false;
      spec.podReplacementPolicy ??= "TerminatingOrFailed";
    }
    if (SCALABLE.has(k.resource)) spec.replicas ??= 1;
    if (k.resource === "deployments") {
      spec.strategy ??= { type: "RollingUpdate", rollingUpdate: { maxUnavailable: "25%", maxSurge: "25%" } };
      spec.revisionHistoryLimit ??= 10;
      spec.progressDeadlineSeconds ??= 600;
    }
  }

  // ---- validation ----

  /** The decoder's 400 for a field of the wrong JSON type, for the fields the app writes. */
  private typeErrors(k: KindInfo, obj: KubeObject): void {
    const spec = (obj.spec ?? {}) as Json;
    const goType = SPEC_TYPES[k.resource];
    if (!goType) return;
    const fail = (field: string, v: unknown, want: string) => {
      const what = typeof v === "number" ? `number ${v}` : jsonType(v);
      throw badRequest(
        `${k.kind} in version "${k.version}" cannot be handled as a ${k.kind}: json: cannot unmarshal ${what} into Go struct field ${goType}.spec.${field} of type ${want}`,
      );
    };
    if (
      SCALABLE.has(k.resource) &&
      spec.replicas !== undefined &&
      spec.replicas !== null &&
      !Number.isInteger(spec.replicas)
    ) {
      fail("replicas", spec.replicas, "int32");
    }
    if (k.resource === "nodes" && spec.unschedulable !== undefined && typeof spec.unschedulable !== "boolean") {
      fail("unschedulable", spec.unschedulable, "bool");
    }
    if (
      (k.resource === "jobs" || k.resource === "cronjobs") &&
      spec.suspend !== undefined &&
      spec.suspend !== null &&
      typeof spec.suspend !== "boolean"
    ) {
      fail("suspend", spec.suspend, "bool");
    }
  }

  /** The validation set (see the file's comment); `old` is the stored object on an update. */
  private validate(k: KindInfo, obj: KubeObject, old: KubeObject | undefined): Cause[] {
    const out: Cause[] = [];
    const spec = (obj.spec ?? {}) as Json;
    const was = (old?.spec ?? {}) as Json;
    if (SCALABLE.has(k.resource) && typeof spec.replicas === "number" && spec.replicas < 0) {
      out.push(invalidValue("spec.replicas", spec.replicas, "must be greater than or equal to 0"));
    }
    if (!old) return out;
    if (
      ["deployments", "replicasets", "statefulsets", "daemonsets", "jobs"].includes(k.resource) &&
      !jsonEqual(spec.selector, was.selector)
    ) {
      out.push(invalidValue("spec.selector", spec.selector, "field is immutable"));
    }
    if (k.resource === "jobs") {
      if (!jsonEqual(spec.template, was.template))
        out.push(invalidValue("spec.template", spec.template, "field is immutable"));
      if (!jsonEqual(spec.completions, was.completions))
        out.push(invalidValue("spec.completions", spec.completions, "field is immutable"));
    }
    if (k.resource === "statefulsets") {
      const mutable = [
        "replicas",
        "ordinals",
        "template",
        "updateStrategy",
        "persistentVolumeClaimRetentionPolicy",
        "minReadySeconds",
      ];
      const rest = (s: Json) =>
        Object.fromEntries(Object.entries(s).filter(([f]) => !mutable.includes(f) && f !== "selector"));
      if (!jsonEqual(rest(spec), rest(was))) {
        out.push({
          field: "spec",
          reason: "FieldValueForbidden",
          message:
            "Forbidden: updates to statefulset spec for fields other than 'replicas', 'ordinals', 'template', 'updateStrategy', 'persistentVolumeClaimRetentionPolicy' and 'minReadySeconds' are forbidden",
        });
      }
    }
    if (k.resource === "pods" && !jsonEqual(podSpecFixed(spec, was), podSpecFixed(was, was))) {
      out.push({
        field: "spec",
        reason: "FieldValueForbidden",
        message:
          "Forbidden: pod updates may not change fields other than `spec.containers[*].image`,`spec.initContainers[*].image`,`spec.activeDeadlineSeconds`,`spec.tolerations` (only additions to existing tolerations),`spec.terminationGracePeriodSeconds` (allow it to be set to 1 if it was previously negative)",
      });
    }
    return out;
  }

  /** The object to store for an update of `cur` to `next`: what the client may not set (uid, creation time, status of
   * a kind with a status subresource, generation) kept or computed by the server. */
  private prepareUpdate(k: KindInfo, cur: KubeObject, next: KubeObject): KubeObject {
    const m = metaOf(next);
    const cm = metaOf(cur);
    m.name = cm.name;
    if (k.namespaced) m.namespace = cm.namespace;
    m.uid = cm.uid;
    m.creationTimestamp = cm.creationTimestamp;
    if (cm.deletionTimestamp) m.deletionTimestamp = cm.deletionTimestamp;
    else delete m.deletionTimestamp;
    if (cm.managedFields) m.managedFields = cm.managedFields;
    // The main resource's writes leave the status alone (it has its own subresource), as for every built-in here.
    if ("status" in cur) next.status = cur.status;
    else delete next.status;
    if (typeof cm.generation === "number") m.generation = specChanged(cur, next) ? cm.generation + 1 : cm.generation;
    next.apiVersion = cur.apiVersion;
    next.kind = cur.kind;
    return next;
  }

  /** Validates and stores an update; the controllers hear of it. Returns the stored JSON. */
  private commit(k: KindInfo, cur: KubeObject, next: KubeObject, dryRun: boolean): Buffer {
    const name = String(cur.metadata?.name);
    this.typeErrors(k, next);
    const causes = this.validate(k, next, cur);
    if (causes.length) throw invalid(k, name, causes);
    this.o.controllers.templateChanged(k.resource, cur, next);
    if (dryRun) return Buffer.from(JSON.stringify(next));
    const v = this.store.update(storeKeyOf(k), next);
    const ns = String(cur.metadata?.namespace ?? "");
    this.o.controllers.kick(k.resource, ns, name);
    if (k.resource === "nodes") this.o.controllers.nodesChanged();
    return v.buf!;
  }

  // ---- PATCH and PUT ----

  async patch(
    req: IncomingMessage,
    res: ServerResponse,
    url: URL,
    k: KindInfo,
    ns: string,
    name: string,
    caller: Caller,
  ): Promise<void> {
    this.check(caller, "patch", k, ns, name);
    const type = patchTypeOf(req.headers["content-type"]);
    if (!type || (type === "strategic" && k.crd)) throw unsupportedMediaType(k);
    const body = parseBody(await readBody(req), "error decoding patch");
    const cur = this.store.getObject(storeKeyOf(k), ns, name);
    if (!cur) throw notFound(k, name);
    const next = this.applyTo(cur, type, body);
    const rv = (next.metadata as Json | undefined)?.resourceVersion;
    if (rv !== undefined && rv !== cur.metadata?.resourceVersion) throw conflict(k, name, MODIFIED);
    reply(res, 200, this.commit(k, cur, this.prepareUpdate(k, cur, next), url.searchParams.get("dryRun") === "All"));
  }

  private applyTo(cur: KubeObject, type: ReturnType<typeof patchTypeOf> & string, body: unknown): KubeObject {
    try {
      const out = applyPatch(type, cur, body);
      if (out === null || typeof out !== "object" || Array.isArray(out))
        throw new PatchError("invalid", "the patch made the object something else than an object");
      return out as KubeObject;
    } catch (e) {
      if (!(e instanceof PatchError)) throw e;
      if (e.kind === "bad") throw badRequest(e.message);
      throw new ApiError({
        kind: "Status",
        apiVersion: "v1",
        metadata: {},
        status: "Failure",
        message: e.message,
        reason: "Invalid",
        code: 422,
      });
    }
  }

  async update(
    req: IncomingMessage,
    res: ServerResponse,
    url: URL,
    k: KindInfo,
    ns: string,
    name: string,
    caller: Caller,
  ): Promise<void> {
    this.check(caller, "update", k, ns, name);
    const body = parseBody(await readBody(req), "couldn't get version/kind; json parse error");
    if (body === null || typeof body !== "object" || Array.isArray(body))
      throw badRequest("the body of the request was not an object");
    const next = body as KubeObject;
    const m = metaOf(next);
    if (m.name !== name) {
      throw badRequest(`the name of the object (${String(m.name ?? "")}) does not match the name on the URL (${name})`);
    }
    if (k.namespaced && m.namespace !== undefined && m.namespace !== "" && m.namespace !== ns) {
      throw badRequest("the namespace of the provided object does not match the namespace sent on the request");
    }
    const cur = this.store.getObject(storeKeyOf(k), ns, name);
    if (!cur) throw notFound(k, name);
    if (m.uid !== undefined && m.uid !== "" && m.uid !== cur.metadata?.uid) {
      throw conflict(
        k,
        name,
        `Precondition failed: UID in precondition: ${m.uid}, UID in object meta: ${cur.metadata?.uid}`,
      );
    }
    if (
      m.resourceVersion !== undefined &&
      m.resourceVersion !== "" &&
      m.resourceVersion !== cur.metadata?.resourceVersion
    ) {
      throw conflict(k, name, MODIFIED);
    }
    reply(res, 200, this.commit(k, cur, this.prepareUpdate(k, cur, next), url.searchParams.get("dryRun") === "All"));
  }

  // ---- DELETE ----

  async delete(
    req: IncomingMessage,
    res: ServerResponse,
    url: URL,
    k: KindInfo,
    ns: string,
    name: string,
    caller: Caller,
  ): Promise<void> {
    this.check(caller, "delete", k, ns, name);
    const text = await readBody(req);
    const opts = (text ? parseBody(text, "couldn't decode DeleteOptions") : {}) as {
      gracePeriodSeconds?: number;
      propagationPolicy?: string;
      orphanDependents?: boolean;
      preconditions?: { uid?: string; resourceVersion?: string };
      dryRun?: string[];
    };
    const q = url.searchParams;
    const grace = q.get("gracePeriodSeconds") !== null ? Number(q.get("gracePeriodSeconds")) : opts.gracePeriodSeconds;
    if (grace !== undefined && (!Number.isInteger(grace) || grace < 0)) {
      throw badRequest(`invalid gracePeriodSeconds: ${grace}`);
    }
    let policy = q.get("propagationPolicy") ?? opts.propagationPolicy;
    const orphan = q.get("orphanDependents") ?? opts.orphanDependents;
    if (policy !== undefined && orphan !== undefined) {
      throw invalidDeleteOptions(
        "propagationPolicy",
        policy,
        "orphanDependents and deletionPropagation cannot be both set",
      );
    }
    if (orphan !== undefined) policy = orphan === true || orphan === "true" ? "Orphan" : "Background";
    if (policy !== undefined && !["Background", "Foreground", "Orphan"].includes(policy)) {
      throw invalidDeleteOptions(
        "propagationPolicy",
        policy,
        'DeletionPropagation need to be one of "Foreground", "Background", "Orphan" or nil',
      );
    }
    const cur = this.store.getObject(storeKeyOf(k), ns, name);
    if (!cur) throw notFound(k, name);
    const pre = opts.preconditions ?? {};
    if (pre.uid && pre.uid !== cur.metadata?.uid) {
      throw conflict(
        k,
        name,
        `Precondition failed: UID in precondition: ${pre.uid}, UID in object meta: ${cur.metadata?.uid}`,
      );
    }
    if (pre.resourceVersion && pre.resourceVersion !== cur.metadata?.resourceVersion) {
      throw conflict(
        k,
        name,
        `Precondition failed: ResourceVersion in precondition: ${pre.resourceVersion}, ResourceVersion in object meta: ${cur.metadata?.resourceVersion}`,
      );
    }
    if ((opts.dryRun ?? []).includes("All") || q.get("dryRun") === "All") return reply(res, 200, JSON.stringify(cur));
    if (cur.metadata?.deletionTimestamp) {
      // Already being deleted: the real server answers with the object as it is.
      return reply(res, 200, this.store.get(storeKeyOf(k), ns, name)!.buf!);
    }
    // batch/v1 Jobs default to orphaning their pods (kubectl asks for Background explicitly); the rest to Background.
    const chosen = (policy ?? (k.resource === "jobs" ? "Orphan" : "Background")) as Propagation;
    if (k.crd || !["pods", ...DELETE_CONTROLLED].includes(k.resource)) {
      this.store.delete(storeKeyOf(k), ns, name);
      return reply(res, 200, JSON.stringify(deleteSuccess(k, name, cur.metadata?.uid ?? "")));
    }
    // Pods answer with themselves (Terminating, or their last state), owners kept for their dependents likewise;
    // the others with a Status.
    const kept = this.o.controllers.deleteWith(k.resource, cur, chosen, grace);
    if (kept) return reply(res, 200, serialise(k, kept));
    reply(res, 200, JSON.stringify(deleteSuccess(k, name, cur.metadata?.uid ?? "")));
  }

  // ---- scale ----

  private scaleOf(o: KubeObject): Json {
    const m = o.metadata!;
    return {
      kind: "Scale",
      apiVersion: "autoscaling/v1",
      metadata: {
        name: m.name,
        namespace: m.namespace,
        uid: m.uid,
        resourceVersion: m.resourceVersion,
        creationTimestamp: m.creationTimestamp,
      },
      spec: { replicas: Number((o.spec as Json | undefined)?.replicas ?? 1) },
      status: {
        replicas: Number((o.status as Json | undefined)?.replicas ?? 0),
        selector: selectorString((o.spec as Json | undefined)?.selector),
      },
    };
  }

  private async scale(
    req: IncomingMessage,
    res: ServerResponse,
    url: URL,
    k: KindInfo,
    ns: string,
    name: string,
    method: string,
  ): Promise<void> {
    const scaleKind: KindInfo = { ...k, kind: "Scale", group: "autoscaling", resource: k.resource };
    const text = method === "GET" ? "" : await readBody(req);
    const cur = this.store.getObject(storeKeyOf(k), ns, name);
    if (!cur) throw notFound(k, name);
    const scale = this.scaleOf(cur);
    if (method === "GET") return reply(res, 200, JSON.stringify(scale));
    let next: Json;
    if (method === "PATCH") {
      const type = patchTypeOf(req.headers["content-type"]);
      if (!type) throw unsupportedMediaType(k);
      next = this.applyTo(scale as KubeObject, type, parseBody(text, "error decoding patch")) as Json;
    } else {
      next = parseBody(text, "couldn't get version/kind; json parse error") as Json;
      const m = (next.metadata ?? {}) as Json;
      if (m.name !== undefined && m.name !== name) {
        throw badRequest(`the name of the object (${String(m.name)}) does not match the name on the URL (${name})`);
      }
    }
    const rv = (next.metadata as Json | undefined)?.resourceVersion;
    if (rv !== undefined && rv !== "" && rv !== cur.metadata?.resourceVersion) throw conflict(k, name, MODIFIED);
    const replicas = (next.spec as Json | undefined)?.replicas;
    if (replicas !== undefined && !Number.isInteger(replicas)) {
      throw badRequest(
        `Scale in version "v1" cannot be handled as a Scale: json: cannot unmarshal ${jsonType(replicas)} into Go struct field ScaleSpec.spec.replicas of type int32`,
      );
    }
    const n = Number(replicas ?? 0);
    if (n < 0) throw invalid(scaleKind, name, [invalidValue("spec.replicas", n, "must be greater than or equal to 0")]);
    const updated = structuredClone(cur);
    (updated.spec as Json).replicas = n;
    const stored = JSON.parse(
      this.commit(k, cur, this.prepareUpdate(k, cur, updated), url.searchParams.get("dryRun") === "All").toString(),
    ) as KubeObject;
    reply(res, 200, JSON.stringify(this.scaleOf(stored)));
  }

  // ---- eviction ----

  private async evict(req: IncomingMessage, res: ServerResponse, ns: string, name: string): Promise<void> {
    const pods = this.store.kind("pods").info;
    const text = await readBody(req);
    const ev = (text ? parseBody(text, "couldn't get version/kind; json parse error") : {}) as {
      metadata?: { name?: string };
      deleteOptions?: { gracePeriodSeconds?: number; preconditions?: { uid?: string } };
    };
    if (ev.metadata?.name !== undefined && ev.metadata.name !== name) {
      throw badRequest("name in URL does not match name in Eviction object");
    }
    const pod = this.store.getObject("pods", ns, name);
    if (!pod) throw notFound(pods, name);
    const uid = ev.deleteOptions?.preconditions?.uid;
    if (uid && uid !== pod.metadata?.uid) {
      throw conflict(
        pods,
        name,
        `Precondition failed: UID in precondition: ${uid}, UID in object meta: ${pod.metadata?.uid}`,
      );
    }
    const success = JSON.stringify({ kind: "Status", apiVersion: "v1", metadata: {}, status: "Success", code: 201 });
    const phase = (pod.status as Json | undefined)?.phase;
    // Pods that are not running, or already going, are deleted without looking at budgets (canIgnorePDB).
    if (pod.metadata?.deletionTimestamp || phase === "Succeeded" || phase === "Failed" || phase === "Pending") {
      if (!pod.metadata?.deletionTimestamp)
        this.o.controllers.deleteWith("pods", pod, "Background", ev.deleteOptions?.gracePeriodSeconds);
      return reply(res, 201, success);
    }
    const labels = (pod.metadata?.labels ?? {}) as Record<string, string>;
    const pdbs = this.store.kinds.has("poddisruptionbudgets")
      ? this.o.controllers
          .listIn("poddisruptionbudgets", ns)
          .filter((p) => selectorMatches((p.spec as Json | undefined)?.selector, labels))
      : [];
    if (pdbs.length > 1) {
      throw new ApiError({
        kind: "Status",
        apiVersion: "v1",
        metadata: {},
        status: "Failure",
        message:
          "Internal error occurred: This pod has more than one PodDisruptionBudget, which the eviction subresource does not support.",
        reason: "InternalError",
        details: {
          causes: [
            {
              message:
                "This pod has more than one PodDisruptionBudget, which the eviction subresource does not support.",
            },
          ],
        },
        code: 500,
      });
    }
    const pdb = pdbs[0];
    if (pdb) {
      const selected = this.o.controllers
        .listIn("pods", ns)
        .filter((p) =>
          selectorMatches(
            (pdb.spec as Json | undefined)?.selector,
            (p.metadata?.labels ?? {}) as Record<string, string>,
          ),
        );
      const b = budget(pdb, selected, this.o.controllers.scaleOfPods(ns, selected));
      const healthy = selected.some((p) => p.metadata?.uid === pod.metadata?.uid && isPodReady(p));
      // An unhealthy pod may go while the budget holds (IfHealthyBudget); a healthy one needs a disruption allowed.
      const allowed = healthy ? b.disruptionsAllowed > 0 : b.currentHealthy >= b.desiredHealthy;
      const generation = Number((pdb.metadata as Json | undefined)?.generation ?? 1);
      const disrupted = { ...(((pdb.status as Json | undefined)?.disruptedPods as Json | undefined) ?? {}) };
      if (!allowed) {
        const st = budgetStatus(b, generation, Date.now(), disrupted);
        if (!jsonEqual(pdb.status, st)) {
          pdb.status = st;
          this.store.update("poddisruptionbudgets", pdb);
        }
        throw new ApiError({
          kind: "Status",
          apiVersion: "v1",
          metadata: {},
          status: "Failure",
          message: "Cannot evict pod as it would violate the pod's disruption budget.",
          reason: "TooManyRequests",
          details: {
            causes: [
              {
                reason: "DisruptionBudget",
                message: `The disruption budget ${pdb.metadata?.name} needs ${b.desiredHealthy} healthy pods and has ${b.currentHealthy} currently`,
              },
            ],
          },
          code: 429,
        });
      }
      // The eviction takes one disruption from the budget before the pod goes (the disruption controller gives it
      // back once the pod is replaced).
      if (healthy) {
        disrupted[name] = new Date().toISOString().replace(/\.\d+Z$/, "Z");
        pdb.status = budgetStatus(
          { ...b, disruptionsAllowed: b.disruptionsAllowed - 1 },
          generation,
          Date.now(),
          disrupted,
        );
        this.store.update("poddisruptionbudgets", pdb);
      }
    }
    this.o.controllers.deleteWith("pods", pod, "Background", ev.deleteOptions?.gracePeriodSeconds);
    reply(res, 201, success);
  }

  // ---- authorization reviews ----

  private access(body: Json, caller: Caller): Json {
    const spec = (body.spec ?? {}) as Json;
    const ra = spec.resourceAttributes as
      | { verb?: string; resource?: string; subresource?: string; group?: string; namespace?: string }
      | undefined;
    let allowed = true;
    if (ra) {
      const verb = ra.verb ?? "";
      allowed = !this.denied(caller, verb, ra.resource ?? "", ra.subresource || undefined);
    }
    return {
      kind: "SelfSubjectAccessReview",
      apiVersion: "authorization.k8s.io/v1",
      metadata: { creationTimestamp: null },
      spec,
      // RBAC says why it allows (the binding), and nothing when it denies.
      status: allowed
        ? {
            allowed: true,
            reason:
              'RBAC: allowed by ClusterRoleBinding "timoneiro-sim" of ClusterRole "cluster-admin" to User "' +
              caller.name +
              '"',
          }
        : { allowed: false },
    };
  }

  private rules(body: Json, caller: Caller): Json {
    const spec = (body.spec ?? {}) as Json;
    const all = ["create", "delete", "deletecollection", "get", "list", "patch", "update", "watch"];
    const denyAny = [...(this.o.faults.rbacDeny ?? []), ...caller.deny].length > 0;
    const resourceRules: Json[] = [];
    if (!denyAny) resourceRules.push({ verbs: ["*"], apiGroups: ["*"], resources: ["*"] });
    else {
      for (const ks of this.store.kinds.values()) {
        const k = ks.info;
        const verbs = all.filter((v) => !this.denied(caller, v, k.resource));
        if (verbs.length) resourceRules.push({ verbs, apiGroups: [k.group], resources: [k.resource] });
      }
    }
    resourceRules.push({
      verbs: ["create"],
      apiGroups: ["authorization.k8s.io"],
      resources: ["selfsubjectaccessreviews", "selfsubjectrulesreviews"],
    });
    return {
      kind: "SelfSubjectRulesReview",
      apiVersion: "authorization.k8s.io/v1",
      metadata: { creationTimestamp: null },
      spec,
      status: {
        resourceRules,
        nonResourceRules: [{ verbs: ["*"], nonResourceURLs: ["*"] }],
        incomplete: false,
      },
    };
  }
}

/** The kinds whose deletion goes through the garbage collector here (they own pods or replicasets). */
const DELETE_CONTROLLED = ["deployments", "replicasets", "statefulsets", "daemonsets", "jobs", "cronjobs"];

function isPodReady(p: KubeObject): boolean {
  const conds = ((p.status as Json | undefined)?.conditions as { type: string; status: string }[] | undefined) ?? [];
  return conds.some((c) => c.type === "Ready" && c.status === "True");
}

/** 422 from DeleteOptions validation. */
function invalidDeleteOptions(field: string, value: unknown, detail: string): ApiError {
  const message = `${field}: Invalid value: ${goValue(value)}: ${detail}`;
  return new ApiError({
    kind: "Status",
    apiVersion: "v1",
    metadata: {},
    status: "Failure",
    message: `DeleteOptions.meta.k8s.io "" is invalid: ${message}`,
    reason: "Invalid",
    details: {
      group: "meta.k8s.io",
      kind: "DeleteOptions",
      causes: [{ reason: "FieldValueInvalid", message: `Invalid value: ${goValue(value)}: ${detail}`, field }],
    },
    code: 422,
  });
}

/** A pod spec with the fields an update may change set to `base`'s, for comparing the rest. */
function podSpecFixed(spec: Json, base: Json): Json {
  const out = structuredClone(spec);
  for (const list of ["containers", "initContainers"]) {
    const cs = out[list] as Json[] | undefined;
    const bs = (base[list] as Json[] | undefined) ?? [];
    if (Array.isArray(cs))
      cs.forEach((c, i) => {
        if (bs[i]) c.image = bs[i]!.image;
      });
  }
  out.activeDeadlineSeconds = base.activeDeadlineSeconds;
  out.terminationGracePeriodSeconds = base.terminationGracePeriodSeconds;
  // Tolerations may only be added: the old ones must still be there, in order.
  const tol = (out.tolerations as unknown[] | undefined) ?? [];
  const was = (base.tolerations as unknown[] | undefined) ?? [];
  if (was.every((t, i) => jsonEqual(t, tol[i]))) out.tolerations = base.tolerations;
  for (const k of Object.keys(out)) if (out[k] === undefined) delete out[k];
  return out;
}
