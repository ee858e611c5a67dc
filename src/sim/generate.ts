// A deterministic, realistic cluster: namespaces, nodes, Deployments (with ReplicaSets), StatefulSets, DaemonSets,
// Job pods and Services, and pods of 6-10 KB each (labels, annotations, env, volumes, probes, container statuses,
// managedFields) in the state mix a busy production cluster shows. Same seed, same cluster (times are relative to
// `now`).
import type { KubeObject } from "../kube/objects.ts";
import { fieldsOf, kindByResource } from "./kinds.ts";
import { Rng } from "./prng.ts";

type Json = Record<string, unknown>;

const dayPrefixes = new Map<number, string>();
const twoDigits = Array.from({ length: 60 }, (_, i) => String(i).padStart(2, "0"));

/** `2026-05-28T16:23:40Z` (whole seconds). A generated pod carries several: Date's formatting was a tenth of the
 * generation time, so only the date part comes from it, once per day. */
export function rfc3339(ms: number): string {
  const s = Math.floor(ms / 1000);
  const day = Math.floor(s / 86_400);
  let prefix = dayPrefixes.get(day);
  if (prefix === undefined) {
    prefix = new Date(day * 86_400_000).toISOString().slice(0, 11);
    dayPrefixes.set(day, prefix);
  }
  const t = s - day * 86_400;
  return `${prefix}${twoDigits[Math.floor(t / 3600)]}:${twoDigits[Math.floor(t / 60) % 60]}:${twoDigits[t % 60]}Z`;
}

const MIN = 60_000;
const HOUR = 60 * MIN;
const DAY = 24 * HOUR;

export type PodState =
  | "Running"
  | "NotReady"
  | "Pending"
  | "ContainerCreating"
  | "Init"
  | "CrashLoopBackOff"
  | "ImagePullBackOff"
  | "ErrImagePull"
  | "OOMKilled"
  | "Evicted"
  | "Terminating"
  | "Completed"
  | "Error";

const serviceStates: (readonly [PodState, number])[] = [
  ["Running", 860],
  ["NotReady", 30],
  ["Pending", 12],
  ["ContainerCreating", 12],
  ["Init", 10],
  ["CrashLoopBackOff", 30],
  ["ImagePullBackOff", 10],
  ["ErrImagePull", 4],
  ["OOMKilled", 6],
  ["Evicted", 6],
  ["Terminating", 6],
];

interface Container {
  name: string;
  image: string;
  port?: number;
  portName?: string;
  cpu: string;
  memory: string;
  env: [string, string][];
  args?: string[];
  probe?: "http" | "tcp" | "exec";
}

interface App {
  component: string;
  containers: Container[];
  init?: Container[];
}

export interface Workload {
  kind: "Deployment" | "StatefulSet" | "DaemonSet" | "Job";
  namespace: string;
  name: string;
  uid: string;
  /** The pods' controller: the ReplicaSet of a Deployment, else the workload itself. */
  ownerKind: string;
  ownerName: string;
  ownerUid: string;
  ownerApiVersion: string;
  hash: string;
  rsUid: string;
  replicas: number;
  labels: Record<string, string>;
  app: App;
  createdAt: number;
  version: string;
  serviceAccount: string;
  /** How many pods were made for it so far (the next StatefulSet ordinal): a count, not their names, which a long
   * churn of creations and deletions would pile up without bound. */
  podsMade: number;
  revision: number;
  generation: number;
  checksums?: string[];
  /** What its pods share, built with its first pod (never mutated; dropped after the bulk load to save memory). */
  cache?: PodCache;
}

/** The parts of a pod that are the same for every pod of its workload, serialised once. */
interface PodCache {
  containers: Json[];
  init?: Json[];
  /** `{initContainers?, containers}` and the same as JSON members (`"initContainers":[...],"containers":[...]`). */
  containerSpec: Json;
  containersJson: string;
  /** managedFields' field sets: f:spec up to its f:volumes' value (`{"f:containers":...,"f:volumes":`), f:volumes
   * for one pod's volume name, f:metadata per shape of the metadata, f:status per pod state. */
  specFields?: string;
  volumeFields?: { name: string; json: string };
  metadataFields: Map<string, string>;
  statusFields: Map<string, string>;
  /** Field sets parsed for makePod, by their JSON. */
  parsed: Map<string, Json>;
}

/** A pod in parts, in the order of their keys: metadata up to and after its resourceVersion, then spec. */
interface PodParts {
  name: string;
  metaHead: Json;
  /** From creationTimestamp to ownerReferences. */
  metaTail: Json;
  cache: PodCache;
  managedFields: ManagedFields;
  volumes: Json[];
  /** The workload's containers (shared by its pods) as an object and as JSON members. */
  containerSpec: Json;
  containersJson: string;
  /** The spec after its containers. */
  specRest: Json;
  status: Json;
}

/** A pod's managedFields: the controller's entry, and the kubelet's once the pod is on a node. The field sets are
 * JSON text; `spec` ends where f:volumes' value goes (`{"f:containers":...,"f:volumes":`). */
interface ManagedFields {
  manager: string;
  time: string;
  metadata: string;
  spec: string;
  volumes: string;
  kubelet?: { time: string; status: string };
}

/** The managedFields list's items as JSON text. Concatenated, not joined: the large parts are cached strings, and a
 * join would copy them for every pod. */
function managedFieldsJson(m: ManagedFields): string {
  let out =
    `{"manager":${q(m.manager)},"operation":"Update","apiVersion":"v1","time":${q(m.time)},"fieldsType":"FieldsV1",` +
    `"fieldsV1":{"f:metadata":${m.metadata},"f:spec":${m.spec}${m.volumes}}}}`;
  if (m.kubelet) {
    out +=
      `,{"manager":"kubelet","operation":"Update","apiVersion":"v1","time":${q(m.kubelet.time)},` +
      `"fieldsType":"FieldsV1","fieldsV1":{"f:status":${m.kubelet.status}},"subresource":"status"}`;
  }
  return out;
}

/** The same as objects; field sets the workload's pods share are parsed once and shared. */
function managedFieldsObjects(m: ManagedFields, cache: PodCache): Json[] {
  const parsed = (json: string): Json => {
    let v = cache.parsed.get(json);
    if (!v) {
      v = JSON.parse(json) as Json;
      cache.parsed.set(json, v);
    }
    return v;
  };
  const out: Json[] = [
    {
      manager: m.manager,
      operation: "Update",
      apiVersion: "v1",
      time: m.time,
      fieldsType: "FieldsV1",
      fieldsV1: {
        "f:metadata": parsed(m.metadata),
        "f:spec": { ...parsed(`${m.spec}{}}`), "f:volumes": JSON.parse(m.volumes) as Json },
      },
    },
  ];
  if (m.kubelet) {
    out.push({
      manager: "kubelet",
      operation: "Update",
      apiVersion: "v1",
      time: m.kubelet.time,
      fieldsType: "FieldsV1",
      fieldsV1: { "f:status": parsed(m.kubelet.status) },
      subresource: "status",
    });
  }
  return out;
}

/** A pod as the store keeps it: JSON text (kind and apiVersion first) and what the store indexes. */
export interface GeneratedPod {
  namespace: string;
  name: string;
  uid: string;
  /** When it was created (epoch ms). */
  createdAt: number;
  labels: Record<string, string>;
  /** Its field selector values (fieldsOf). */
  fields: Record<string, string>;
  /** The JSON with metadata.resourceVersion set to `rv`. */
  json(rv: number): string;
}

const podKind = kindByResource.get("pods")!;
const q = JSON.stringify;

/** `objectJson` with one more member at its end. */
function withMember(objectJson: string, key: string, valueJson: string): string {
  const member = `${q(key)}:${valueJson}`;
  return objectJson === "{}" ? `{${member}}` : `${objectJson.slice(0, -1)},${member}}`;
}

/** Whether pods made in this state count as ready (Terminating ones report Ready but are being deleted). */
export function readyState(state: PodState): boolean {
  return state === "Running";
}

export function isReady(pod: KubeObject): boolean {
  const conds = (pod.status as { conditions?: { type: string; status: string }[] } | undefined)?.conditions ?? [];
  return conds.some((c) => c.type === "Ready" && c.status === "True") && !pod.metadata?.deletionTimestamp;
}

export interface NodeInfo {
  name: string;
  ip: string;
  cidr: [number, number];
  zone: string;
  nextIp: number;
  pool: string;
}

const domains = [
  "payments",
  "checkout",
  "catalog",
  "search",
  "identity",
  "billing",
  "analytics",
  "notifications",
  "inventory",
  "shipping",
  "recommendations",
  "media",
  "gateway",
  "data-pipeline",
  "ml-serving",
  "reporting",
  "orders",
  "pricing",
  "fraud",
  "loyalty",
  "support",
  "messaging",
  "geo",
  "ads",
];
const roles = [
  "api",
  "web",
  "worker",
  "consumer",
  "scheduler",
  "gateway",
  "cache",
  "indexer",
  "sync",
  "notifier",
  "ingest",
  "router",
  "backend",
  "frontend",
  "processor",
  "exporter",
  "admin",
  "grpc",
  "cron",
  "stream",
];
const zones = ["eu-west-1a", "eu-west-1b", "eu-west-1c"];
const pools = ["general", "general", "general", "memory", "compute", "spot"];

const envNames = [
  "LOG_LEVEL",
  "LOG_FORMAT",
  "HTTP_PORT",
  "GRPC_PORT",
  "DATABASE_HOST",
  "DATABASE_NAME",
  "DATABASE_POOL_SIZE",
  "REDIS_URL",
  "KAFKA_BROKERS",
  "KAFKA_TOPIC",
  "OTEL_EXPORTER_OTLP_ENDPOINT",
  "OTEL_SERVICE_NAME",
  "FEATURE_FLAGS_URL",
  "CACHE_TTL_SECONDS",
  "MAX_CONCURRENCY",
  "REGION",
  "ENVIRONMENT",
  "SENTRY_DSN",
  "JAVA_OPTS",
  "GOMAXPROCS",
];

export class ClusterModel {
  readonly rng: Rng;
  readonly now: number;
  readonly nodes: NodeInfo[] = [];
  readonly namespaces: { name: string; uid: string; createdAt: number; system: boolean }[] = [];
  readonly workloads: Workload[] = [];
  private readonly usedNames = new Map<string, Set<string>>();
  /** Pod names generated while the cluster is made, per namespace; dropped after (see namesGenerated). */
  private podNames: Map<string, Set<string>> | undefined = new Map();

  constructor(seed: number, now: number) {
    this.rng = new Rng(seed);
    this.now = now;
  }

  /** Plans the cluster: nodes, namespaces and workloads adding up to exactly `pods` pods. */
  plan(pods: number, namespaceCount?: number, nodeCount?: number): void {
    const r = this.rng;
    const nNodes = nodeCount ?? Math.max(1, Math.min(3000, Math.round(pods / 60)));
    for (let i = 0; i < nNodes; i++) {
      const a = 16 + (i >> 8);
      const b = i & 255;
      this.nodes.push({
        name: `ip-10-${a}-${b}-${r.int(2, 250)}.eu-west-1.compute.internal`,
        ip: `10.${a}.${b}.${r.int(2, 250)}`,
        cidr: [100 + (i >> 8), i & 255],
        zone: zones[i % zones.length]!,
        nextIp: 2,
        pool: r.pick(pools),
      });
    }
    const clusterStart = this.now - r.int(200, 400) * DAY;
    for (const name of ["default", "kube-system", "kube-public", "kube-node-lease"]) {
      this.namespaces.push({ name, uid: r.uuid(), createdAt: clusterStart, system: true });
    }
    this.namespaces.push({ name: "monitoring", uid: r.uuid(), createdAt: clusterStart + HOUR, system: true });
    const nApps = namespaceCount ?? Math.max(3, Math.min(200, Math.round(Math.sqrt(pods) / 3)));
    for (let i = 0; i < nApps; i++) {
      const base = domains[i % domains.length]!;
      const name = i < domains.length ? base : `${base}-${Math.floor(i / domains.length) + 1}`;
      this.namespaces.push({ name, uid: r.uuid(), createdAt: clusterStart + r.int(1, 150) * DAY, system: false });
    }
    const apps = this.namespaces.filter((n) => !n.system).map((n) => n.name);

    let left = pods;
    // DaemonSets: one pod per node, about a tenth of all pods at most.
    const dsNames: [string, string, string][] = [
      ["kube-system", "kube-proxy", "registry.k8s.io/kube-proxy:v1.32.0"],
      ["kube-system", "aws-node", "602401143452.dkr.ecr.eu-west-1.amazonaws.com/amazon-k8s-cni:v1.19.0"],
      ["monitoring", "node-exporter", "quay.io/prometheus/node-exporter:v1.8.2"],
      ["monitoring", "fluent-bit", "cr.fluentbit.io/fluent/fluent-bit:3.2.2"],
    ];
    const nDs = Math.min(dsNames.length, Math.floor((pods * 0.12) / nNodes));
    for (let i = 0; i < nDs; i++) {
      const [ns, name, image] = dsNames[i]!;
      this.addWorkload("DaemonSet", ns, name, nNodes, this.systemApp(name, image));
      left -= nNodes;
    }
    // Job pods (CronJobs' runs): Completed or Error.
    const nJobs = Math.floor(pods * 0.04);
    for (let i = 0; i < nJobs && left > 0; i++) {
      const ns = r.pick(apps);
      const cron = `${r.pick(domains)}-${r.pick(["report", "cleanup", "backup", "sync", "export"])}`;
      const run = 28_900_000 + r.int(0, 99_999);
      this.addWorkload("Job", ns, this.uniqueName(ns, `${cron}-${run}`), 1, this.makeApp(ns, "job"));
      left--;
    }
    // StatefulSets: databases, queues, caches.
    let stsPods = Math.floor(pods * 0.08);
    while (stsPods > 0 && left > 0) {
      const ns = r.pick(apps);
      const kind = r.pick(["postgres", "redis", "kafka", "zookeeper", "elasticsearch", "rabbitmq"]);
      const replicas = Math.min(left, stsPods, r.pick([1, 3, 3, 3, 5]));
      this.addWorkload("StatefulSet", ns, this.uniqueName(ns, `${ns}-${kind}`), replicas, this.dataApp(kind));
      stsPods -= replicas;
      left -= replicas;
    }
    // A couple of cluster add-ons as Deployments.
    if (left >= 2) {
      this.addWorkload(
        "Deployment",
        "kube-system",
        "coredns",
        2,
        this.systemApp("coredns", "registry.k8s.io/coredns/coredns:v1.11.3"),
      );
      left -= 2;
    }
    // Deployments for the rest.
    while (left > 0) {
      const ns = r.pick(apps);
      const replicas = Math.min(
        left,
        r.weighted<number>([
          [1, 30],
          [r.int(2, 3), 35],
          [r.int(4, 10), 25],
          [r.int(11, 50), 10],
        ]),
      );
      const role = r.pick(roles);
      const name = this.uniqueName(ns, `${r.chance(0.6) ? ns : r.pick(domains)}-${role}`);
      this.addWorkload("Deployment", ns, name, replicas, this.makeApp(ns, role));
      left -= replicas;
    }
  }

  private uniqueName(ns: string, base: string): string {
    let set = this.usedNames.get(ns);
    if (!set) {
      set = new Set();
      this.usedNames.set(ns, set);
    }
    let name = base;
    for (let i = 2; set.has(name); i++) name = `${base}-${i}`;
    set.add(name);
    return name;
  }

  private addWorkload(kind: Workload["kind"], ns: string, name: string, replicas: number, app: App): Workload {
    const r = this.rng;
    const uid = r.uuid();
    const hash = kind === "Deployment" ? r.suffix(r.chance(0.5) ? 9 : 10) : kind === "Job" ? "" : r.suffix(10);
    const version = `${r.int(1, 4)}.${r.int(0, 30)}.${r.int(0, 12)}`;
    const labels: Record<string, string> = {
      "app.kubernetes.io/name": name,
      "app.kubernetes.io/instance": name,
      "app.kubernetes.io/component": app.component,
      "app.kubernetes.io/part-of": ns,
      "app.kubernetes.io/version": version,
      "app.kubernetes.io/managed-by": "Helm",
      app: name,
    };
    const w: Workload = {
      kind,
      namespace: ns,
      name,
      uid,
      ownerKind: kind === "Deployment" ? "ReplicaSet" : kind,
      ownerName: kind === "Deployment" ? `${name}-${hash}` : name,
      ownerUid: kind === "Deployment" ? r.uuid() : uid,
      ownerApiVersion: kind === "Job" ? "batch/v1" : "apps/v1",
      hash,
      rsUid: "",
      replicas,
      labels,
      app,
      createdAt: this.now - r.int(1, 120) * DAY - r.int(0, DAY),
      version,
      serviceAccount: r.chance(0.7) ? name : "default",
      podsMade: 0,
      revision: r.int(1, 40),
      generation: r.int(1, 60),
    };
    w.rsUid = w.ownerUid;
    if (kind === "Job") w.createdAt = this.now - r.int(1, 6 * 60) * MIN;
    this.workloads.push(w);
    return w;
  }

  private container(name: string, image: string, port: number | undefined, envCount: number): Container {
    const r = this.rng;
    const env: [string, string][] = [];
    const names = [...envNames];
    for (let i = 0; i < envCount && names.length > 0; i++) {
      const n = names.splice(r.int(0, names.length - 1), 1)[0]!;
      env.push([n, this.envValue(n)]);
    }
    return {
      name,
      image,
      port,
      portName: port ? (port === 9090 ? "metrics" : "http") : undefined,
      cpu: r.pick(["50m", "100m", "250m", "500m", "1"]),
      memory: r.pick(["64Mi", "128Mi", "256Mi", "512Mi", "1Gi", "2Gi"]),
      env,
      probe: port ? r.pick(["http", "http", "tcp"] as const) : r.chance(0.3) ? "exec" : undefined,
    };
  }

  private envValue(name: string): string {
    const r = this.rng;
    switch (name) {
      case "LOG_LEVEL":
        return r.pick(["info", "debug", "warn"]);
      case "LOG_FORMAT":
        return "json";
      case "HTTP_PORT":
        return "8080";
      case "GRPC_PORT":
        return "9000";
      case "DATABASE_HOST":
        return `${r.pick(domains)}-postgres.${r.pick(domains)}.svc.cluster.local`;
      case "REDIS_URL":
        return `redis://${r.pick(domains)}-redis-master:6379/0`;
      case "KAFKA_BROKERS":
        return "kafka-0.kafka-headless:9092,kafka-1.kafka-headless:9092,kafka-2.kafka-headless:9092";
      case "OTEL_EXPORTER_OTLP_ENDPOINT":
        return "http://otel-collector.monitoring.svc.cluster.local:4317";
      case "FEATURE_FLAGS_URL":
        return "http://flagd.platform.svc.cluster.local:8013";
      case "SENTRY_DSN":
        return `https://${r.hex(32)}@o${r.int(100000, 999999)}.ingest.sentry.io/${r.int(1000000, 9999999)}`;
      case "JAVA_OPTS":
        return "-XX:MaxRAMPercentage=75.0 -XX:+UseG1GC -Dfile.encoding=UTF-8";
      case "REGION":
        return "eu-west-1";
      case "ENVIRONMENT":
        return "production";
      default:
        return String(r.int(1, 512));
    }
  }

  private makeApp(ns: string, role: string): App {
    const r = this.rng;
    const image = `123456789012.dkr.ecr.eu-west-1.amazonaws.com/${ns}/${role}:${r.int(1, 9)}.${r.int(0, 40)}.${r.int(0, 20)}`;
    const containers = [
      this.container(role === "job" ? "job" : "app", image, role === "job" ? undefined : 8080, r.int(2, 6)),
    ];
    if (role !== "job" && r.chance(0.2)) {
      containers.push(this.container("istio-proxy", "docker.io/istio/proxyv2:1.24.2", 15090, 2));
    }
    if (role !== "job" && r.chance(0.03)) {
      containers.push(this.container("log-shipper", "cr.fluentbit.io/fluent/fluent-bit:3.2.2", undefined, 3));
    }
    const app: App = { component: role === "job" ? "batch" : role, containers };
    if (r.chance(0.15)) {
      app.init = [this.container("migrate", image, undefined, 4)];
      if (r.chance(0.4)) app.init.push(this.container("wait-for-db", "busybox:1.37", undefined, 1));
    }
    return app;
  }

  private dataApp(kind: string): App {
    const images: Record<string, [string, number]> = {
      postgres: ["docker.io/bitnami/postgresql:16.4.0", 5432],
      redis: ["docker.io/bitnami/redis:7.4.1", 6379],
      kafka: ["docker.io/bitnami/kafka:3.8.1", 9092],
      zookeeper: ["docker.io/bitnami/zookeeper:3.9.3", 2181],
      elasticsearch: ["docker.elastic.co/elasticsearch/elasticsearch:8.15.3", 9200],
      rabbitmq: ["docker.io/bitnami/rabbitmq:4.0.4", 5672],
    };
    const [image, port] = images[kind]!;
    return { component: "database", containers: [this.container(kind, image, port, this.rng.int(5, 10))] };
  }

  private systemApp(name: string, image: string): App {
    return { component: "system", containers: [this.container(name, image, 9090, this.rng.int(2, 5))] };
  }

  nodeFor(w: Workload, index: number): NodeInfo {
    if (w.kind === "DaemonSet") return this.nodes[index % this.nodes.length]!;
    return this.nodes[this.rng.int(0, this.nodes.length - 1)]!;
  }

  /** A random state per the usual mix: jobs' pods have run, the others mostly run. */
  podState(w: Workload): PodState {
    const r = this.rng;
    return w.kind === "Job" ? (r.chance(0.85) ? "Completed" : "Error") : r.weighted(serviceStates);
  }

  /** A pod of `w` in the given state (random per the usual mix when omitted), as an object. */
  makePod(w: Workload, index: number, state?: PodState, createdAt?: number): KubeObject {
    const p = this.podParts(w, index, state, createdAt);
    const metadata = {
      ...p.metaHead,
      resourceVersion: "0",
      ...p.metaTail,
      managedFields: managedFieldsObjects(p.managedFields, p.cache),
    };
    const spec = { volumes: p.volumes, ...p.containerSpec, ...p.specRest };
    return { apiVersion: "v1", kind: "Pod", metadata, spec, status: p.status } as KubeObject;
  }

  /**
   * A pod of `w` as JSON text (the same pod makePod would make), with what the store indexes. The parts all pods of
   * a workload share (containers, managedFields) are serialised once per workload; the rest per pod.
   */
  generatePod(w: Workload, index: number, state?: PodState, createdAt?: number): GeneratedPod {
    const { name, metaHead, metaTail, managedFields, volumes, containersJson, specRest, status } = this.podParts(
      w,
      index,
      state,
      createdAt,
    );
    // The JSON around the resourceVersion, which the store fills in.
    const before = `{"kind":"Pod","apiVersion":"v1","metadata":${JSON.stringify(metaHead).slice(0, -1)},"resourceVersion":"`;
    const after =
      `",${JSON.stringify(metaTail).slice(1, -1)},"managedFields":[${managedFieldsJson(managedFields)}]},` +
      `"spec":{"volumes":${JSON.stringify(volumes)},${containersJson},${JSON.stringify(specRest).slice(1)},` +
      `"status":${JSON.stringify(status)}}`;
    return {
      namespace: w.namespace,
      name,
      uid: metaHead.uid as string,
      createdAt: Date.parse(metaTail.creationTimestamp as string),
      labels: metaTail.labels as Record<string, string>,
      fields: fieldsOf(podKind, { metadata: metaHead, spec: specRest, status }),
      json: (rv) => before + rv + after,
    };
  }

  /** Everything about a new pod, as objects but for its managedFields (JSON text of the list's items). */
  private podParts(w: Workload, index: number, state?: PodState, createdAt?: number): PodParts {
    const r = this.rng;
    const st = state ?? this.podState(w);
    const node = st === "Pending" ? undefined : this.nodeFor(w, index);
    const name = this.podName(w, index);
    // Pods still starting were created minutes ago; settled ones any time since their workload appeared.
    const young = st === "ContainerCreating" || st === "Init" || st === "ImagePullBackOff" || st === "ErrImagePull";
    const created =
      createdAt ?? Math.max(w.createdAt, this.now - (young ? r.int(1, 15) : r.int(5, 60 * 24 * 30)) * MIN);
    const started = created + r.int(2, 40) * 1000;
    const ip = node ? `10.${node.cidr[0]}.${node.cidr[1]}.${(node.nextIp++ % 250) + 2}` : "";
    const labels: Record<string, string> = { ...w.labels };
    if (w.kind === "Deployment") labels["pod-template-hash"] = w.hash;
    if (w.kind === "StatefulSet" || w.kind === "DaemonSet") {
      labels["controller-revision-hash"] = w.kind === "StatefulSet" ? `${w.name}-${w.hash}` : w.hash;
    }
    if (w.kind === "StatefulSet") labels["statefulset.kubernetes.io/pod-name"] = name;
    if (w.kind === "DaemonSet") labels["pod-template-generation"] = String(w.generation);
    if (w.kind === "Job") {
      labels["batch.kubernetes.io/job-name"] = w.name;
      labels["job-name"] = w.name;
      labels["batch.kubernetes.io/controller-uid"] = w.uid;
      labels["controller-uid"] = w.uid;
    }
    w.checksums ??= [r.hex(64), r.hex(64)];
    const checksums = w.checksums;
    const annotations: Record<string, string> = {
      "prometheus.io/scrape": "true",
      "prometheus.io/port": "9090",
      "prometheus.io/path": "/metrics",
      "checksum/config": checksums[0]!,
      "checksum/secret": w.checksums[1]!,
    };
    if (w.kind === "Deployment" && r.chance(0.3)) annotations["kubectl.kubernetes.io/restartedAt"] = rfc3339(created);
    if (w.app.containers.some((c) => c.name === "istio-proxy")) {
      annotations["sidecar.istio.io/status"] =
        '{"initContainers":["istio-init"],"containers":["istio-proxy"],"volumes":["workload-socket","credential-socket","workload-certs","istio-envoy","istio-data","istio-podinfo","istio-token","istiod-ca-cert"],"imagePullSecrets":null,"revision":"default"}';
    }

    const restartPolicy = w.kind === "Job" ? "Never" : "Always";
    w.cache ??= this.podCache(w);
    const cache = w.cache;
    const accessVolume = `kube-api-access-${r.suffix(5)}`;
    const volumes: Json[] = [
      { name: "config", configMap: { name: `${w.name}-config`, defaultMode: 420 } },
      { name: "tmp", emptyDir: {} },
      {
        name: accessVolume,
        projected: {
          sources: [
            { serviceAccountToken: { expirationSeconds: 3607, path: "token" } },
            { configMap: { name: "kube-root-ca.crt", items: [{ key: "ca.crt", path: "ca.crt" }] } },
            {
              downwardAPI: {
                items: [{ path: "namespace", fieldRef: { apiVersion: "v1", fieldPath: "metadata.namespace" } }],
              },
            },
          ],
          defaultMode: 420,
        },
      },
    ];
    if (w.kind === "StatefulSet") {
      volumes.unshift({ name: "data", persistentVolumeClaim: { claimName: `data-${name}` } });
    }
    // The spec after its containers (which come from the cache, serialised once).
    const specRest: Json = {
      restartPolicy,
      terminationGracePeriodSeconds: 30,
      dnsPolicy: "ClusterFirst",
      serviceAccountName: w.serviceAccount,
      serviceAccount: w.serviceAccount,
      ...(node ? { nodeName: node.name } : {}),
      securityContext: { runAsUser: 10001, runAsGroup: 10001, runAsNonRoot: true, fsGroup: 10001 },
      ...(w.kind === "StatefulSet" ? { hostname: name, subdomain: `${w.name}-headless` } : {}),
      affinity:
        w.kind === "DaemonSet"
          ? {
              nodeAffinity: {
                requiredDuringSchedulingIgnoredDuringExecution: {
                  nodeSelectorTerms: [
                    {
                      matchFields: [
                        { key: "metadata.name", operator: "In", values: [node?.name ?? this.nodes[0]!.name] },
                      ],
                    },
                  ],
                },
              },
            }
          : {
              podAntiAffinity: {
                preferredDuringSchedulingIgnoredDuringExecution: [
                  {
                    weight: 100,
                    podAffinityTerm: {
                      labelSelector: { matchLabels: { "app.kubernetes.io/name": w.name } },
                      topologyKey: "topology.kubernetes.io/zone",
                    },
                  },
                ],
              },
            },
      schedulerName: "default-scheduler",
      tolerations: [
        { key: "node.kubernetes.io/not-ready", operator: "Exists", effect: "NoExecute", tolerationSeconds: 300 },
        { key: "node.kubernetes.io/unreachable", operator: "Exists", effect: "NoExecute", tolerationSeconds: 300 },
      ],
      priority: 0,
      enableServiceLinks: true,
      preemptionPolicy: "PreemptLowerPriority",
    };
    const status = this.podStatus(w, st, node, ip, created, started, cache.init, cache.containers);
    const metaHead: Json = {
      name,
      ...(w.kind === "StatefulSet" ? {} : { generateName: `${w.kind === "Deployment" ? w.ownerName : w.name}-` }),
      namespace: w.namespace,
      uid: r.uuid(),
    };
    // After resourceVersion, which the store sets.
    const metaTail: Json = { creationTimestamp: rfc3339(created) };
    if (st === "Terminating") {
      metaTail.deletionTimestamp = rfc3339(this.now - r.int(1, 600) * 1000);
      metaTail.deletionGracePeriodSeconds = 30;
    }
    metaTail.labels = labels;
    metaTail.annotations = annotations;
    metaTail.ownerReferences = [
      {
        apiVersion: w.ownerApiVersion,
        kind: w.ownerKind,
        name: w.ownerName,
        uid: w.ownerUid,
        controller: true,
        blockOwnerDeletion: true,
      },
    ];

    // managedFields: what the controller and the kubelet wrote. A field set depends only on which keys are present
    // (and on the names of list items), so each is made once per workload: f:metadata per set of metadata keys, f:spec
    // once but for the kube-api-access volume's name, f:status per state (from the first pod in that state).
    const metaShape = `${Object.keys(metaTail)}|${Object.keys(labels)}|${Object.keys(annotations)}|${"generateName" in metaHead}`;
    let metadataFields = cache.metadataFields.get(metaShape);
    if (metadataFields === undefined) {
      const metadata = { ...metaHead, resourceVersion: "0", ...metaTail };
      metadataFields = fieldsV1(metadata, ["name", "namespace", "uid", "resourceVersion", "creationTimestamp"]);
      cache.metadataFields.set(metaShape, metadataFields);
    }
    if (cache.specFields === undefined) {
      const specFields = fieldsV1({ volumes, ...cache.containerSpec, ...specRest }, [
        "nodeName",
        "volumes",
        "hostname",
      ]);
      cache.specFields = withMember(specFields, "f:volumes", "").slice(0, -1);
      cache.volumeFields = { name: accessVolume, json: fieldsOfValue(volumes) };
    }
    const volumeFields = cache.volumeFields!.json.replace(cache.volumeFields!.name, accessVolume);
    let statusFields: string | undefined;
    if (node) {
      statusFields = cache.statusFields.get(st);
      if (statusFields === undefined) {
        statusFields = fieldsV1(status);
        cache.statusFields.set(st, statusFields);
      }
    }
    const managedFields: ManagedFields = {
      manager: w.kind === "Job" ? "job-controller" : "kube-controller-manager",
      time: rfc3339(created),
      metadata: metadataFields,
      spec: cache.specFields,
      volumes: volumeFields,
      kubelet: statusFields ? { time: rfc3339(started + 5000), status: statusFields } : undefined,
    };
    w.podsMade++;
    return {
      name,
      cache,
      metaHead,
      metaTail,
      managedFields,
      volumes,
      containerSpec: cache.containerSpec,
      containersJson: cache.containersJson,
      specRest,
      status,
    };
  }

  private podCache(w: Workload): PodCache {
    const containers = w.app.containers.map((c) => this.containerSpec(c));
    const init = w.app.init?.map((c) => this.containerSpec(c));
    const containerSpec: Json = { ...(init ? { initContainers: init } : {}), containers };
    return {
      containers,
      init,
      containerSpec,
      containersJson: JSON.stringify(containerSpec).slice(1, -1),
      metadataFields: new Map(),
      statusFields: new Map(),
      parsed: new Map(),
    };
  }

  /** A pod name not yet used in its namespace: a generated suffix is drawn again on a collision (27^5 suffixes
   * collide now and then among the thousands of pods of a DaemonSet). */
  podName(w: Workload, index: number): string {
    const names = this.podNames;
    let used = names?.get(w.namespace);
    if (names && !used) {
      used = new Set();
      names.set(w.namespace, used);
    }
    let name: string;
    if (w.kind === "StatefulSet") name = `${w.name}-${index}`;
    else {
      const base = w.kind === "Deployment" ? w.ownerName : w.name;
      do name = `${base}-${this.rng.suffix(5)}`;
      while (used?.has(name));
    }
    used?.add(name);
    return name;
  }

  /**
   * The cluster is made: pod names are no longer remembered. From now on the store says which names are taken (the
   * churn draws again when a name is in use, as the controllers do), and a name set that only grew with every pod the
   * churn creates and deletes would keep them all.
   */
  namesGenerated(): void {
    this.podNames = undefined;
  }

  private containerSpec(c: Container): Json {
    const s: Json = { name: c.name, image: c.image };
    if (c.args) s.args = c.args;
    if (c.port) s.ports = [{ name: c.portName, containerPort: c.port, protocol: "TCP" }];
    s.env = [
      ...c.env.map(([name, value]) => ({ name, value })),
      { name: "POD_NAME", valueFrom: { fieldRef: { apiVersion: "v1", fieldPath: "metadata.name" } } },
    ];
    s.resources = { limits: { memory: c.memory }, requests: { cpu: c.cpu, memory: c.memory } };
    s.volumeMounts = [
      { name: "config", readOnly: true, mountPath: "/etc/app" },
      { name: "tmp", mountPath: "/tmp" },
      { name: "kube-api-access", readOnly: true, mountPath: "/var/run/secrets/kubernetes.io/serviceaccount" },
    ];
    if (c.probe === "http") {
      const probe = (path: string) => ({
        httpGet: { path, port: c.portName, scheme: "HTTP" },
        timeoutSeconds: 1,
        periodSeconds: 10,
        successThreshold: 1,
        failureThreshold: 3,
      });
      if (c.env.length % 2 === 0) s.livenessProbe = probe("/healthz");
      s.readinessProbe = probe("/readyz");
    } else if (c.probe === "tcp") {
      s.readinessProbe = {
        tcpSocket: { port: c.port },
        timeoutSeconds: 1,
        periodSeconds: 10,
        successThreshold: 1,
        failureThreshold: 3,
      };
    } else if (c.probe === "exec") {
      s.livenessProbe = {
        exec: { command: ["/bin/sh", "-c", "test -f /tmp/healthy"] },
        timeoutSeconds: 1,
        periodSeconds: 30,
        successThreshold: 1,
        failureThreshold: 3,
      };
    }
    s.terminationMessagePath = "/dev/termination-log";
    s.terminationMessagePolicy = "File";
    s.imagePullPolicy = "IfNotPresent";
    s.securityContext = {
      capabilities: { drop: ["ALL"] },
      readOnlyRootFilesystem: true,
      allowPrivilegeEscalation: false,
    };
    return s;
  }

  private readonly digests = new Map<string, string>();
  /** One digest per image, as every pod running an image reports the same one. */
  private imageID(image: string): string {
    let id = this.digests.get(image);
    if (!id) {
      id = `${image.split(":")[0]}@sha256:${this.rng.hex(64)}`;
      this.digests.set(image, id);
    }
    return id;
  }

  private podStatus(
    w: Workload,
    st: PodState,
    node: NodeInfo | undefined,
    ip: string,
    created: number,
    started: number,
    initContainers: Json[] | undefined,
    containers: Json[],
  ): Json {
    const r = this.rng;
    const t = (ms: number) => rfc3339(ms);
    const cond = (type: string, status: string, at: number, reason?: string, message?: string): Json => ({
      type,
      status,
      lastProbeTime: null,
      lastTransitionTime: t(at),
      ...(reason ? { reason } : {}),
      ...(message ? { message } : {}),
    });
    if (st === "Pending") {
      return {
        phase: "Pending",
        conditions: [
          cond(
            "PodScheduled",
            "False",
            created,
            "Unschedulable",
            `0/${this.nodes.length} nodes are available: ${this.nodes.length} Insufficient ${r.pick(["cpu", "memory"])}. preemption: 0/${this.nodes.length} nodes are available: ${this.nodes.length} No preemption victims found for incoming pod.`,
          ),
        ],
        qosClass: "Burstable",
      };
    }
    const running = (
      c: Json,
      ready: boolean,
      restarts = 0,
      lastFinish = 0,
      lastReason = "Error",
      exitCode = 1,
    ): Json => ({
      name: c.name,
      state: { running: { startedAt: t(restarts > 0 ? lastFinish + 10_000 : started) } },
      lastState:
        restarts > 0
          ? {
              terminated: {
                exitCode,
                reason: lastReason,
                startedAt: t(lastFinish - r.int(60, 3600) * 1000),
                finishedAt: t(lastFinish),
                containerID: `containerd://${r.hex(64)}`,
              },
            }
          : {},
      ready,
      restartCount: restarts,
      image: c.image,
      imageID: this.imageID(String(c.image)),
      containerID: `containerd://${r.hex(64)}`,
      started: true,
    });
    const waiting = (c: Json, reason: string, message?: string, restarts = 0, lastFinish = 0): Json => ({
      name: c.name,
      state: { waiting: { reason, ...(message ? { message } : {}) } },
      lastState:
        restarts > 0
          ? {
              terminated: {
                exitCode: 1,
                reason: "Error",
                startedAt: t(lastFinish - r.int(5, 120) * 1000),
                finishedAt: t(lastFinish),
                containerID: `containerd://${r.hex(64)}`,
              },
            }
          : {},
      ready: false,
      restartCount: restarts,
      image: c.image,
      imageID: restarts > 0 ? this.imageID(String(c.image)) : "",
      ...(restarts > 0 ? { containerID: `containerd://${r.hex(64)}` } : {}),
      started: false,
    });
    const terminated = (c: Json, reason: string, exitCode: number, end: number): Json => ({
      name: c.name,
      state: {
        terminated: {
          exitCode,
          reason,
          startedAt: t(started),
          finishedAt: t(end),
          containerID: `containerd://${r.hex(64)}`,
        },
      },
      lastState: {},
      ready: false,
      restartCount: 0,
      image: c.image,
      imageID: this.imageID(String(c.image)),
      containerID: `containerd://${r.hex(64)}`,
      started: false,
    });

    let phase = "Running";
    let ready = true;
    let initialized = true;
    let initStatuses: Json[] | undefined = initContainers?.map((c) => terminated(c, "Completed", 0, started - 2000));
    let statuses: Json[];
    let reason: string | undefined;
    let message: string | undefined;
    const someRestarts = () => (r.chance(0.12) ? r.int(1, 6) : 0);
    switch (st) {
      case "Running":
      case "Terminating": {
        statuses = containers.map((c) => {
          const n = someRestarts();
          return running(c, true, n, n > 0 ? started + Math.floor(r.next() * (this.now - started)) : 0);
        });
        break;
      }
      case "NotReady":
        ready = false;
        statuses = containers.map((c, i) => running(c, i !== 0));
        break;
      case "ContainerCreating":
        phase = "Pending";
        ready = false;
        statuses = containers.map((c) => waiting(c, "ContainerCreating"));
        break;
      case "Init": {
        phase = "Pending";
        ready = false;
        initialized = false;
        const inits = initContainers ?? [];
        if (inits.length === 0) {
          statuses = containers.map((c) => waiting(c, "ContainerCreating"));
          break;
        }
        const done = r.int(0, inits.length - 1);
        initStatuses = inits.map((c, i) =>
          i < done
            ? terminated(c, "Completed", 0, started)
            : i === done
              ? running(c, false)
              : waiting(c, "PodInitializing"),
        );
        statuses = containers.map((c) => waiting(c, "PodInitializing"));
        break;
      }
      case "CrashLoopBackOff": {
        ready = false;
        const n = r.int(3, 400);
        const last = Math.max(started, this.now - r.int(10, 300) * 1000);
        statuses = containers.map((c, i) =>
          i === 0
            ? waiting(
                c,
                "CrashLoopBackOff",
                `back-off 5m0s restarting failed container=${c.name} pod=${w.name}_${w.namespace}(${r.uuid()})`,
                n,
                last,
              )
            : running(c, true),
        );
        break;
      }
      case "ImagePullBackOff":
      case "ErrImagePull":
        phase = "Pending";
        ready = false;
        statuses = containers.map((c, i) =>
          i === 0
            ? waiting(
                c,
                st,
                st === "ImagePullBackOff"
                  ? `Back-off pulling image "${c.image}"`
                  : `rpc error: code = NotFound desc = failed to pull and unpack image "${c.image}": not found`,
              )
            : waiting(c, "ContainerCreating"),
        );
        break;
      case "OOMKilled":
        ready = false;
        statuses = containers.map((c, i) =>
          i === 0
            ? { ...terminated(c, "OOMKilled", 137, this.now - r.int(1, 20) * 1000), restartCount: r.int(1, 30) }
            : running(c, true),
        );
        break;
      case "Evicted":
        phase = "Failed";
        ready = false;
        reason = "Evicted";
        message = `The node was low on resource: memory. Threshold quantity: 100Mi, available: ${r.int(20, 99)}Mi. Container ${containers[0]!.name} was using ${r.int(600, 2000)}Mi, request is 256Mi, has larger consumption of memory.`;
        statuses = containers.map((c) => terminated(c, "ContainerStatusUnknown", 137, this.now - r.int(1, 48) * HOUR));
        break;
      case "Completed":
        phase = "Succeeded";
        ready = false;
        statuses = containers.map((c) => terminated(c, "Completed", 0, started + r.int(5, 600) * 1000));
        break;
      case "Error":
        phase = "Failed";
        ready = false;
        statuses = containers.map((c) => terminated(c, "Error", r.pick([1, 2, 127]), started + r.int(5, 600) * 1000));
        break;
    }
    const readyAt = started + r.int(5, 60) * 1000;
    const conditions = [
      cond("PodReadyToStartContainers", phase === "Pending" && st !== "Init" ? "False" : "True", started),
      cond(
        "Initialized",
        initialized ? "True" : "False",
        started,
        initialized ? undefined : "ContainersNotInitialized",
        initialized
          ? undefined
          : `containers with incomplete status: [${(initContainers ?? []).map((c) => c.name).join(" ")}]`,
      ),
      cond(
        "Ready",
        ready ? "True" : "False",
        readyAt,
        ready ? undefined : phase === "Succeeded" ? "PodCompleted" : "ContainersNotReady",
        ready || phase === "Succeeded"
          ? undefined
          : `containers with unready status: [${containers.map((c) => c.name).join(" ")}]`,
      ),
      cond(
        "ContainersReady",
        ready ? "True" : "False",
        readyAt,
        ready ? undefined : phase === "Succeeded" ? "PodCompleted" : "ContainersNotReady",
      ),
      cond("PodScheduled", "True", created),
    ];
    return {
      phase,
      conditions,
      ...(message ? { message } : {}),
      ...(reason ? { reason } : {}),
      hostIP: node!.ip,
      hostIPs: [{ ip: node!.ip }],
      ...(ip && phase !== "Failed" ? { podIP: ip, podIPs: [{ ip }] } : {}),
      startTime: t(started),
      ...(initStatuses ? { initContainerStatuses: initStatuses } : {}),
      containerStatuses: statuses!,
      qosClass: "Burstable",
    };
  }

  // ---- Workload objects ----

  namespaceObject(n: { name: string; uid: string; createdAt: number }): KubeObject {
    return {
      apiVersion: "v1",
      kind: "Namespace",
      metadata: {
        name: n.name,
        uid: n.uid,
        resourceVersion: "0",
        creationTimestamp: rfc3339(n.createdAt),
        labels: { "kubernetes.io/metadata.name": n.name },
        managedFields: [
          {
            manager: "kubectl-create",
            operation: "Update",
            apiVersion: "v1",
            time: rfc3339(n.createdAt),
            fieldsType: "FieldsV1",
            fieldsV1: { "f:metadata": { "f:labels": { ".": {}, "f:kubernetes.io/metadata.name": {} } } },
          },
        ],
      } as KubeObject["metadata"],
      spec: { finalizers: ["kubernetes"] },
      status: { phase: "Active" },
    };
  }

  nodeObject(n: NodeInfo, createdAt: number): KubeObject {
    const r = this.rng;
    const cpu = n.pool === "compute" ? "16" : n.pool === "memory" ? "8" : "4";
    const mem = n.pool === "memory" ? "65023748Ki" : n.pool === "compute" ? "32408776Ki" : "16069588Ki";
    const ready = r.chance(0.99);
    const at = rfc3339(createdAt);
    const hb = rfc3339(this.now - r.int(1, 50) * 1000);
    const c = (type: string, status: string, reason: string, message: string) => ({
      type,
      status,
      lastHeartbeatTime: hb,
      lastTransitionTime: at,
      reason,
      message,
    });
    return {
      apiVersion: "v1",
      kind: "Node",
      metadata: {
        name: n.name,
        uid: r.uuid(),
        resourceVersion: "0",
        creationTimestamp: at,
        labels: {
          "beta.kubernetes.io/arch": "amd64",
          "beta.kubernetes.io/instance-type":
            n.pool === "compute" ? "c6i.4xlarge" : n.pool === "memory" ? "r6i.2xlarge" : "m6i.xlarge",
          "beta.kubernetes.io/os": "linux",
          "eks.amazonaws.com/nodegroup": `${n.pool}-pool`,
          "kubernetes.io/arch": "amd64",
          "kubernetes.io/hostname": n.name,
          "kubernetes.io/os": "linux",
          "node.kubernetes.io/instance-type":
            n.pool === "compute" ? "c6i.4xlarge" : n.pool === "memory" ? "r6i.2xlarge" : "m6i.xlarge",
          "topology.kubernetes.io/region": "eu-west-1",
          "topology.kubernetes.io/zone": n.zone,
        },
        annotations: {
          "alpha.kubernetes.io/provided-node-ip": n.ip,
          "node.alpha.kubernetes.io/ttl": "0",
          "volumes.kubernetes.io/controller-managed-attach-detach": "true",
        },
      } as KubeObject["metadata"],
      spec: {
        podCIDR: `10.${n.cidr[0]}.${n.cidr[1]}.0/24`,
        podCIDRs: [`10.${n.cidr[0]}.${n.cidr[1]}.0/24`],
        providerID: `aws:///${n.zone}/i-0${r.hex(16)}`,
        ...(n.pool === "spot" ? { taints: [{ key: "spot", value: "true", effect: "NoSchedule" }] } : {}),
      },
      status: {
        capacity: {
          cpu,
          "ephemeral-storage": "104845292Ki",
          "hugepages-1Gi": "0",
          "hugepages-2Mi": "0",
          memory: mem,
          pods: "110",
        },
        allocatable: {
          cpu: `${Number(cpu) * 1000 - 90}m`,
          "ephemeral-storage": "95551679124",
          "hugepages-1Gi": "0",
          "hugepages-2Mi": "0",
          memory: mem,
          pods: "110",
        },
        conditions: [
          c("MemoryPressure", "False", "KubeletHasSufficientMemory", "kubelet has sufficient memory available"),
          c("DiskPressure", "False", "KubeletHasNoDiskPressure", "kubelet has no disk pressure"),
          c("PIDPressure", "False", "KubeletHasSufficientPID", "kubelet has sufficient PID available"),
          ready
            ? c("Ready", "True", "KubeletReady", "kubelet is posting ready status")
            : c("Ready", "Unknown", "NodeStatusUnknown", "Kubelet stopped posting node status."),
        ],
        addresses: [
          { type: "InternalIP", address: n.ip },
          { type: "InternalDNS", address: n.name },
          { type: "Hostname", address: n.name },
        ],
        daemonEndpoints: { kubeletEndpoint: { Port: 10250 } },
        nodeInfo: {
          machineID: r.hex(32),
          systemUUID: r.uuid(),
          bootID: r.uuid(),
          kernelVersion: "6.1.115-126.197.amzn2023.x86_64",
          osImage: "Amazon Linux 2023.6.20241121",
          containerRuntimeVersion: "containerd://1.7.23",
          kubeletVersion: "v1.32.0-eks-aeac579",
          kubeProxyVersion: "v1.32.0-eks-aeac579",
          operatingSystem: "linux",
          architecture: "amd64",
        },
      },
    };
  }

  private meta(w: Workload, name: string, uid: string, extra: Json = {}): Json {
    return {
      name,
      namespace: w.namespace,
      uid,
      resourceVersion: "0",
      generation: w.generation,
      creationTimestamp: rfc3339(w.createdAt),
      labels: { ...w.labels },
      annotations: { "meta.helm.sh/release-name": w.name, "meta.helm.sh/release-namespace": w.namespace, ...extra },
    };
  }

  private template(w: Workload, extraLabels: Record<string, string>): Json {
    return {
      metadata: { labels: { ...w.labels, ...extraLabels } },
      spec: {
        containers: w.app.containers.map((c) => this.containerSpec(c)),
        ...(w.app.init ? { initContainers: w.app.init.map((c) => this.containerSpec(c)) } : {}),
        restartPolicy: "Always",
        terminationGracePeriodSeconds: 30,
        dnsPolicy: "ClusterFirst",
        serviceAccountName: w.serviceAccount,
        serviceAccount: w.serviceAccount,
        securityContext: { runAsUser: 10001, runAsNonRoot: true, fsGroup: 10001 },
        schedulerName: "default-scheduler",
      },
    };
  }

  private selector(w: Workload): Json {
    return { matchLabels: { "app.kubernetes.io/name": w.name, "app.kubernetes.io/instance": w.name } };
  }

  /** ready/available counts come from the pods actually generated. */
  workloadObjects(w: Workload, ready: number, podCount: number): [string, KubeObject][] {
    const at = rfc3339(w.createdAt);
    const progressed = rfc3339(this.now - this.rng.int(1, 20) * DAY);
    if (w.kind === "Deployment") {
      const available = ready;
      const dep: KubeObject = {
        apiVersion: "apps/v1",
        kind: "Deployment",
        metadata: this.meta(w, w.name, w.uid, {
          "deployment.kubernetes.io/revision": String(w.revision),
        }) as KubeObject["metadata"],
        spec: {
          replicas: w.replicas,
          selector: this.selector(w),
          template: this.template(w, {}),
          strategy: { type: "RollingUpdate", rollingUpdate: { maxUnavailable: "25%", maxSurge: "25%" } },
          revisionHistoryLimit: 10,
          progressDeadlineSeconds: 600,
        },
        status: {
          observedGeneration: w.generation,
          replicas: podCount,
          updatedReplicas: podCount,
          readyReplicas: ready,
          availableReplicas: available,
          ...(podCount - available > 0 ? { unavailableReplicas: podCount - available } : {}),
          conditions: [
            {
              type: "Available",
              status: available >= Math.max(1, w.replicas - Math.ceil(w.replicas / 4)) ? "True" : "False",
              lastUpdateTime: progressed,
              lastTransitionTime: progressed,
              reason: available > 0 ? "MinimumReplicasAvailable" : "MinimumReplicasUnavailable",
              message:
                available > 0
                  ? "Deployment has minimum availability."
                  : "Deployment does not have minimum availability.",
            },
            {
              type: "Progressing",
              status: "True",
              lastUpdateTime: progressed,
              lastTransitionTime: at,
              reason: "NewReplicaSetAvailable",
              message: `ReplicaSet "${w.ownerName}" has successfully progressed.`,
            },
          ],
        },
      };
      const rsMeta = this.meta(w, w.ownerName, w.ownerUid, {
        "deployment.kubernetes.io/desired-replicas": String(w.replicas),
        "deployment.kubernetes.io/max-replicas": String(w.replicas + Math.ceil(w.replicas / 4)),
        "deployment.kubernetes.io/revision": String(w.revision),
      }) as Json;
      (rsMeta.labels as Json)["pod-template-hash"] = w.hash;
      rsMeta.ownerReferences = [
        {
          apiVersion: "apps/v1",
          kind: "Deployment",
          name: w.name,
          uid: w.uid,
          controller: true,
          blockOwnerDeletion: true,
        },
      ];
      const rs: KubeObject = {
        apiVersion: "apps/v1",
        kind: "ReplicaSet",
        metadata: rsMeta as KubeObject["metadata"],
        spec: {
          replicas: w.replicas,
          selector: { matchLabels: { ...(this.selector(w).matchLabels as Json), "pod-template-hash": w.hash } },
          template: this.template(w, { "pod-template-hash": w.hash }),
        },
        status: {
          replicas: podCount,
          fullyLabeledReplicas: podCount,
          readyReplicas: ready,
          availableReplicas: ready,
          observedGeneration: 1,
        },
      };
      return [
        ["deployments", dep],
        ["replicasets", rs],
      ];
    }
    if (w.kind === "StatefulSet") {
      return [
        [
          "statefulsets",
          {
            apiVersion: "apps/v1",
            kind: "StatefulSet",
            metadata: this.meta(w, w.name, w.uid) as KubeObject["metadata"],
            spec: {
              replicas: w.replicas,
              selector: this.selector(w),
              template: this.template(w, {}),
              serviceName: `${w.name}-headless`,
              podManagementPolicy: "OrderedReady",
              updateStrategy: { type: "RollingUpdate", rollingUpdate: { partition: 0 } },
              revisionHistoryLimit: 10,
              persistentVolumeClaimRetentionPolicy: { whenDeleted: "Retain", whenScaled: "Retain" },
            },
            status: {
              observedGeneration: w.generation,
              replicas: podCount,
              readyReplicas: ready,
              currentReplicas: podCount,
              updatedReplicas: podCount,
              currentRevision: `${w.name}-${w.hash}`,
              updateRevision: `${w.name}-${w.hash}`,
              collisionCount: 0,
              availableReplicas: ready,
            },
          },
        ],
      ];
    }
    if (w.kind === "DaemonSet") {
      return [
        [
          "daemonsets",
          {
            apiVersion: "apps/v1",
            kind: "DaemonSet",
            metadata: this.meta(w, w.name, w.uid, {
              "deprecated.daemonset.template.generation": String(w.generation),
            }) as KubeObject["metadata"],
            spec: {
              selector: this.selector(w),
              template: this.template(w, {}),
              updateStrategy: { type: "RollingUpdate", rollingUpdate: { maxUnavailable: 1, maxSurge: 0 } },
              revisionHistoryLimit: 10,
            },
            status: {
              currentNumberScheduled: podCount,
              numberMisscheduled: 0,
              desiredNumberScheduled: w.replicas,
              numberReady: ready,
              observedGeneration: w.generation,
              updatedNumberScheduled: podCount,
              numberAvailable: ready,
              ...(podCount - ready > 0 ? { numberUnavailable: podCount - ready } : {}),
            },
          },
        ],
      ];
    }
    return [];
  }

  serviceObject(w: Workload): KubeObject {
    const r = this.rng;
    const port = w.app.containers[0]!.port ?? 80;
    const type = r.weighted<string>([
      ["ClusterIP", 90],
      ["LoadBalancer", 4],
      ["NodePort", 3],
      ["Headless", 3],
    ]);
    const headless = type === "Headless" || w.kind === "StatefulSet";
    const ip = headless ? "None" : `172.20.${r.int(0, 255)}.${r.int(1, 254)}`;
    const spec: Json = {
      ports: [
        {
          name: "http",
          protocol: "TCP",
          port: port === 8080 ? 80 : port,
          targetPort: port,
          ...(type === "NodePort" || type === "LoadBalancer" ? { nodePort: r.int(30000, 32767) } : {}),
        },
      ],
      selector: { "app.kubernetes.io/name": w.name, "app.kubernetes.io/instance": w.name },
      clusterIP: ip,
      clusterIPs: [ip],
      type: headless ? "ClusterIP" : type,
      sessionAffinity: "None",
      ipFamilies: ["IPv4"],
      ipFamilyPolicy: "SingleStack",
      internalTrafficPolicy: "Cluster",
    };
    if (type === "LoadBalancer") spec.externalTrafficPolicy = "Cluster";
    const status: Json =
      type === "LoadBalancer"
        ? {
            loadBalancer: {
              ingress: [{ hostname: `a${r.hex(31)}-${r.int(100000000, 999999999)}.eu-west-1.elb.amazonaws.com` }],
            },
          }
        : { loadBalancer: {} };
    return {
      apiVersion: "v1",
      kind: "Service",
      metadata: {
        name: w.kind === "StatefulSet" ? `${w.name}-headless` : w.name,
        namespace: w.namespace,
        uid: r.uuid(),
        resourceVersion: "0",
        creationTimestamp: rfc3339(w.createdAt),
        labels: { ...w.labels },
        annotations: { "meta.helm.sh/release-name": w.name, "meta.helm.sh/release-namespace": w.namespace },
      } as KubeObject["metadata"],
      spec,
      status,
    };
  }
}

/** managedFields' FieldsV1 as JSON text: maps as "f:key", named list items as "k:{...}", leaves as {}. Written as text
 * (not built as objects and then serialised): the generator makes one per workload and pod state. */
export function fieldsV1(value: unknown, skip: readonly string[] = []): string {
  if (value === null || typeof value !== "object" || Array.isArray(value)) return "{}";
  return `{${fieldMembers(value as Json, skip)}}`;
}

function fieldMembers(o: Json, skip: readonly string[]): string {
  let out = "";
  for (const k in o) {
    if (skip.length > 0 && skip.includes(k)) continue;
    out += `${out ? "," : ""}${q(`f:${k}`)}:${fieldsOfValue(o[k])}`;
  }
  return out;
}

function fieldsOfValue(v: unknown): string {
  if (v === null || typeof v !== "object") return "{}";
  if (!Array.isArray(v)) {
    const m = fieldMembers(v as Json, []);
    return m ? `{".":{},${m}}` : `{".":{}}`;
  }
  // A Map keeps a repeated key at its first place with the last value, as an object's properties would.
  const items = new Map<string, string>();
  for (const item of v) {
    if (item === null || typeof item !== "object") return "{}";
    const o = item as Json;
    const keyField =
      "name" in o
        ? "name"
        : "type" in o
          ? "type"
          : "ip" in o
            ? "ip"
            : "containerPort" in o
              ? "containerPort"
              : undefined;
    if (!keyField) return "{}";
    const key =
      keyField === "containerPort"
        ? `k:{"containerPort":${o.containerPort},"protocol":"${o.protocol ?? "TCP"}"}`
        : `k:{"${keyField}":${JSON.stringify(o[keyField])}}`;
    items.set(key, fieldsOfValue(o));
  }
  let out = "";
  for (const [key, f] of items) out += `${out ? "," : ""}${q(key)}:${f}`;
  return `{${out}}`;
}
