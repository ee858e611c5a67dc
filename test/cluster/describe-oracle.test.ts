// kubectl as the oracle for the describers of pods, the workloads (deployments, replicasets, statefulsets,
// daemonsets, jobs, cronjobs) and the generic describer (a custom resource): a corpus written into a fresh namespace,
// then each object described the way the app does (the object, its events, what `related` names, fetched from the
// API server) and compared line by line with `kubectl describe KIND NAME -n NS`. No controller runs in the fixture:
// replicasets and pods are created by hand with their ownerReferences, and every status is written through the
// status subresource, as the controllers and the kubelet would.
//
// Clock-dependent lines: none in this corpus, so none is masked. Every time kubectl prints is absolute (Start Time,
// Started, Finished, CreationTimestamp, Last Schedule Time), a duration between two stored times (a job's Duration),
// or an event's Age, and the events are days old, so a second between kubectl and us cannot change them; the
// terminating pod's "Terminating (lasts <invalid>)" counts from a deletion an hour in the future (its grace period),
// which reads "<invalid>" for that whole hour. The one masked line kind is not about the clock: see mask().
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import type { KubeObject } from "../../src/kube/objects.ts";
import { describerFor } from "../../src/resources/describe/index.ts";
import { type Json, rfc3339 } from "./lib/api.ts";
import { assertDescribesLikeKubectl } from "./lib/describe-oracle.ts";
import { until } from "./lib/informer.ts";
import { EXTERNAL, fixtureOnly, type TestCluster, testCluster } from "./lib/target.ts";

const NS = "describe1";
const NODE = "node-describe1";
const GROUP = "describe.timoneiro.test";
const CRD = `widgets.${GROUP}`;
const SKIP = fixtureOnly("writes a CustomResourceDefinition (cluster-scoped) and binds pods to a node of its own");

let cluster: TestCluster;

async function send(method: string, path: string, body?: Json, patch = false): Promise<Json> {
  const res = await cluster.request(
    method,
    path,
    body,
    patch ? { headers: { "Content-Type": "application/merge-patch+json" } } : {},
  );
  assert.ok(res.status === 200 || res.status === 201, `${method} ${path}: ${res.body.toString("utf8").slice(0, 2000)}`);
  return res.json as Json;
}
const post = async (path: string, body: Json) => (await send("POST", path, body)) as KubeObject;
const status = (path: string, value: Json) => send("PATCH", `${path}/status`, { status: value }, true);

const ago = (seconds: number) => rfc3339(new Date(Date.now() - seconds * 1000));
const DAY = 86_400;
/** Fixed times: printed as absolute dates, the same whenever the test runs. */
const T0 = "2025-03-01T10:00:00Z";
const T1 = "2025-03-01T10:00:05Z";
const T2 = "2025-03-01T10:02:17Z";
const T3 = "2025-03-02T08:30:00Z";

async function event(involved: KubeObject, name: string, e: Json): Promise<void> {
  const m = involved.metadata ?? {};
  await post(`/api/v1/namespaces/${NS}/events`, {
    metadata: { name },
    involvedObject: {
      apiVersion: involved.apiVersion,
      kind: involved.kind,
      name: m.name,
      namespace: m.namespace,
      uid: m.uid,
    },
    ...e,
  });
}

/** One event of the corpus, as a row: type Normal, count 1 and last = first unless given. */
interface EventCase {
  /** The object it is about. */
  on: KubeObject | undefined;
  name: string;
  type?: string;
  reason: string;
  message: string;
  /** source.component (with source.host when `host` is given)... */
  component?: string;
  host?: string;
  /** ...or reportingComponent instead. */
  reportingComponent?: string;
  count?: number;
  /** First and last seen, in seconds ago. */
  first: number;
  last?: number;
}

/** The event's fields (but its name and involvedObject, which event() writes). */
function eventBody(e: EventCase): Json {
  return {
    type: e.type ?? "Normal",
    reason: e.reason,
    message: e.message,
    ...(e.component === undefined
      ? {}
      : { source: e.host === undefined ? { component: e.component } : { component: e.component, host: e.host } }),
    ...(e.reportingComponent === undefined ? {} : { reportingComponent: e.reportingComponent }),
    count: e.count ?? 1,
    firstTimestamp: ago(e.first),
    lastTimestamp: ago(e.last ?? e.first),
  };
}

const owner = (o: KubeObject): Json => ({
  apiVersion: o.apiVersion,
  kind: o.kind,
  name: o.metadata?.name,
  uid: o.metadata?.uid,
  controller: true,
  blockOwnerDeletion: true,
});

const condition = (type: string, value = "True", extra: Json = {}): Json => ({
  type,
  status: value,
  lastProbeTime: null,
  lastTransitionTime: T1,
  ...extra,
});

/** A web pod's template (the deployment's, its replicasets', their pods'): everything describeContainers prints. */
function webSpec(image: string): Json {
  return {
    serviceAccountName: "web",
    priorityClassName: "",
    initContainers: [
      {
        name: "migrate",
        image: "registry.example/migrate:4",
        command: ["/bin/migrate", "--up"],
        args: ["--db", "postgres://db:5432/app\n--verbose"],
        resources: { requests: { cpu: "100m", memory: "64Mi" } },
      },
      {
        name: "proxy",
        image: "registry.example/proxy:2",
        restartPolicy: "Always",
        ports: [{ name: "proxy", containerPort: 15001, protocol: "TCP" }],
        readinessProbe: { tcpSocket: { port: 15001 }, periodSeconds: 5 },
        resources: { requests: { cpu: "50m", memory: "32Mi" }, limits: { memory: "64Mi" } },
      },
    ],
    containers: [
      {
        name: "app",
        image,
        ports: [
          { name: "http", containerPort: 8080, protocol: "TCP" },
          { name: "metrics", containerPort: 9090, hostPort: 19090, protocol: "TCP" },
          { name: "dns", containerPort: 5353, protocol: "UDP" },
        ],
        env: [
          { name: "MODE", value: "production" },
          { name: "BANNER", value: "line one\nline two" },
          { name: "LOG_LEVEL", valueFrom: { configMapKeyRef: { name: "web-config", key: "log-level" } } },
          {
            name: "DB_PASSWORD",
            valueFrom: { secretKeyRef: { name: "web-secret", key: "password", optional: true } },
          },
          { name: "POD_NAME", valueFrom: { fieldRef: { fieldPath: "metadata.name" } } },
          { name: "POD_IP", valueFrom: { fieldRef: { fieldPath: "status.podIP" } } },
          { name: "POD_NAMESPACE", valueFrom: { fieldRef: { fieldPath: "metadata.namespace" } } },
          { name: "POD_UID", valueFrom: { fieldRef: { fieldPath: "metadata.uid" } } },
          { name: "TEAM", valueFrom: { fieldRef: { fieldPath: "metadata.labels['team']" } } },
          {
            name: "MEM_LIMIT",
            valueFrom: { resourceFieldRef: { containerName: "app", resource: "limits.memory", divisor: "1Mi" } },
          },
          { name: "CPU_REQUEST", valueFrom: { resourceFieldRef: { resource: "requests.cpu", divisor: "1m" } } },
          { name: "CPU_LIMIT", valueFrom: { resourceFieldRef: { resource: "limits.cpu" } } },
        ],
        envFrom: [
          { configMapRef: { name: "web-config" } },
          { prefix: "S_", secretRef: { name: "web-secret", optional: false } },
        ],
        resources: {
          requests: { cpu: "250m", memory: "256Mi", "ephemeral-storage": "1Gi" },
          limits: { memory: "512Mi" },
        },
        livenessProbe: {
          httpGet: { path: "/healthz", port: "http", scheme: "HTTP" },
          initialDelaySeconds: 10,
          periodSeconds: 20,
          failureThreshold: 5,
        },
        readinessProbe: { httpGet: { path: "ready", port: 8080, host: "127.0.0.1" }, timeoutSeconds: 2 },
        startupProbe: { exec: { command: ["cat", "/tmp/started"] }, failureThreshold: 30, periodSeconds: 2 },
        volumeMounts: [
          { name: "config", mountPath: "/etc/web" },
          { name: "secret", mountPath: "/etc/secret", readOnly: true },
          { name: "cache", mountPath: "/var/cache/web" },
          { name: "data", mountPath: "/data", subPath: "web" },
          { name: "token", mountPath: "/var/run/secrets/tokens", readOnly: true },
          { name: "logs", mountPath: "/var/log/host", readOnly: true },
          { name: "podinfo", mountPath: "/etc/podinfo" },
        ],
      },
    ],
    volumes: [
      { name: "config", configMap: { name: "web-config" } },
      { name: "secret", secret: { secretName: "web-secret", optional: true } },
      { name: "cache", emptyDir: { medium: "Memory", sizeLimit: "128Mi" } },
      { name: "scratch", emptyDir: {} },
      { name: "data", persistentVolumeClaim: { claimName: "web-data", readOnly: false } },
      {
        name: "token",
        projected: {
          sources: [
            { serviceAccountToken: { audience: "vault", expirationSeconds: 3600, path: "vault-token" } },
            { configMap: { name: "web-config", items: [{ key: "log-level", path: "log-level" }] } },
            { secret: { name: "web-secret", optional: true } },
            { downwardAPI: { items: [{ path: "labels", fieldRef: { fieldPath: "metadata.labels" } }] } },
          ],
        },
      },
      { name: "logs", hostPath: { path: "/var/log", type: "Directory" } },
      { name: "sock", hostPath: { path: "/run/app.sock" } },
      {
        name: "podinfo",
        downwardAPI: {
          items: [
            { path: "name", fieldRef: { fieldPath: "metadata.name" } },
            { path: "cpu", resourceFieldRef: { containerName: "app", resource: "limits.cpu" } },
          ],
        },
      },
    ],
    nodeSelector: { "kubernetes.io/os": "linux", "node.example/pool": "web" },
    tolerations: [
      { key: "node.kubernetes.io/not-ready", operator: "Exists", effect: "NoExecute", tolerationSeconds: 300 },
      { key: "dedicated", operator: "Equal", value: "web", effect: "NoSchedule" },
      { operator: "Exists" },
    ],
  };
}

const webLabels = { app: "web", team: "payments" };

/** What the kubelet would write for a pod of webSpec running since T0, its app container restarted once. */
function webStatus(ip: string): Json {
  return {
    phase: "Running",
    hostIP: "192.168.7.10",
    hostIPs: [{ ip: "192.168.7.10" }],
    podIP: ip,
    podIPs: [{ ip }, { ip: "fd00::7" }],
    startTime: T0,
    qosClass: "Burstable",
    conditions: [
      condition("PodReadyToStartContainers"),
      condition("Initialized"),
      condition("Ready"),
      condition("ContainersReady"),
      condition("PodScheduled", "True", { lastTransitionTime: T0 }),
    ],
    initContainerStatuses: [
      {
        name: "migrate",
        image: "registry.example/migrate:4",
        imageID: "registry.example/migrate@sha256:aaaa",
        containerID: "containerd://1111",
        ready: true,
        restartCount: 0,
        started: false,
        state: {
          terminated: {
            exitCode: 0,
            reason: "Completed",
            startedAt: T0,
            finishedAt: T1,
            containerID: "containerd://1111",
          },
        },
      },
      {
        name: "proxy",
        image: "registry.example/proxy:2",
        imageID: "registry.example/proxy@sha256:bbbb",
        containerID: "containerd://2222",
        ready: true,
        restartCount: 0,
        started: true,
        state: { running: { startedAt: T1 } },
      },
    ],
    containerStatuses: [
      {
        name: "app",
        image: "registry.example/web:2",
        imageID: "registry.example/web@sha256:cccc",
        containerID: "containerd://3333",
        ready: true,
        restartCount: 1,
        started: true,
        state: { running: { startedAt: T2 } },
        lastState: {
          terminated: {
            exitCode: 137,
            reason: "OOMKilled",
            message: "out of memory",
            startedAt: T1,
            finishedAt: T2,
            containerID: "containerd://3330",
          },
        },
      },
    ],
  };
}

/** A plain template: one container, as statefulsets, daemonsets, jobs and cronjobs carry. */
function simpleTemplate(labels: Json, image: string, extra: Json = {}): Json {
  return {
    metadata: { labels },
    spec: { containers: [{ name: "main", image, resources: { requests: { cpu: "10m" } } }], ...extra },
  };
}

async function writeCorpus(): Promise<void> {
  await post("/api/v1/namespaces", { metadata: { name: NS } });
  await post("/api/v1/nodes", { metadata: { name: NODE, labels: { "kubernetes.io/hostname": NODE } } });
  const core = `/api/v1/namespaces/${NS}`;
  const apps = `/apis/apps/v1/namespaces/${NS}`;
  const batch = `/apis/batch/v1/namespaces/${NS}`;

  await post(`${core}/serviceaccounts`, { metadata: { name: "web" } });
  await post(`${core}/configmaps`, { metadata: { name: "web-config" }, data: { "log-level": "debug" } });
  await post(`${core}/secrets`, { metadata: { name: "web-secret" }, stringData: { password: "pw" } });

  // A deployment with an old replicaset (the previous image, scaled down) and the new one with two pods.
  const web = await post(`${apps}/deployments`, {
    metadata: { name: "web", labels: { app: "web" }, annotations: { "deployment.kubernetes.io/revision": "2" } },
    spec: {
      replicas: 2,
      selector: { matchLabels: { app: "web" } },
      strategy: { type: "RollingUpdate", rollingUpdate: { maxUnavailable: 0, maxSurge: "25%" } },
      minReadySeconds: 5,
      revisionHistoryLimit: 4,
      template: {
        metadata: { labels: webLabels, annotations: { "prometheus.io/scrape": "true" } },
        spec: webSpec("registry.example/web:2"),
      },
    },
  });
  await status(`${apps}/deployments/web`, {
    observedGeneration: 1,
    replicas: 2,
    updatedReplicas: 2,
    readyReplicas: 2,
    availableReplicas: 2,
    conditions: [
      {
        type: "Available",
        status: "True",
        reason: "MinimumReplicasAvailable",
        message: "Deployment has minimum availability.",
        lastUpdateTime: T1,
        lastTransitionTime: T1,
      },
      {
        type: "Progressing",
        status: "True",
        reason: "NewReplicaSetAvailable",
        message: 'ReplicaSet "web-6b8f9" has successfully progressed.',
        lastUpdateTime: T2,
        lastTransitionTime: T0,
      },
    ],
  });
  const rsTemplate = (hash: string, image: string): Json => ({
    metadata: {
      labels: { ...webLabels, "pod-template-hash": hash },
      annotations: { "prometheus.io/scrape": "true" },
    },
    spec: webSpec(image),
  });
  const old = await post(`${apps}/replicasets`, {
    metadata: {
      name: "web-5c7d4",
      labels: { app: "web", "pod-template-hash": "5c7d4" },
      annotations: { "deployment.kubernetes.io/revision": "1" },
      ownerReferences: [owner(web)],
    },
    spec: {
      replicas: 0,
      selector: { matchLabels: { app: "web", "pod-template-hash": "5c7d4" } },
      template: rsTemplate("5c7d4", "registry.example/web:1"),
    },
  });
  await status(`${apps}/replicasets/web-5c7d4`, { replicas: 0, observedGeneration: 1 });
  const rs = await post(`${apps}/replicasets`, {
    metadata: {
      name: "web-6b8f9",
      labels: { app: "web", "pod-template-hash": "6b8f9" },
      annotations: { "deployment.kubernetes.io/revision": "2" },
      ownerReferences: [owner(web)],
    },
    spec: {
      replicas: 2,
      minReadySeconds: 5,
      selector: { matchLabels: { app: "web", "pod-template-hash": "6b8f9" } },
      template: rsTemplate("6b8f9", "registry.example/web:2"),
    },
  });
  await status(`${apps}/replicasets/web-6b8f9`, {
    replicas: 2,
    fullyLabeledReplicas: 2,
    readyReplicas: 2,
    availableReplicas: 2,
    observedGeneration: 1,
  });
  for (const [name, ip] of [
    ["web-6b8f9-abcde", "10.1.7.21"],
    ["web-6b8f9-fghij", "10.1.7.22"],
  ] as const) {
    await post(`${core}/pods`, {
      metadata: {
        name,
        labels: { ...webLabels, "pod-template-hash": "6b8f9" },
        annotations: { "prometheus.io/scrape": "true", "kubectl.kubernetes.io/restartedAt": T0 },
        ownerReferences: [owner(rs)],
      },
      spec: { ...webSpec("registry.example/web:2"), nodeName: NODE },
    });
    await status(`${core}/pods/${name}`, webStatus(ip));
  }
  await post(`${core}/persistentvolumeclaims`, {
    metadata: { name: "web-data" },
    spec: { accessModes: ["ReadWriteOnce"], resources: { requests: { storage: "1Gi" } } },
  });

  // A pending pod: not scheduled, no status but the server's, no volumes; and a failed one with a reason.
  const pending = await post(`${core}/pods`, {
    metadata: { name: "pending" },
    spec: {
      schedulerName: "nobody",
      containers: [{ name: "main", image: "registry.example/main:1", args: ["--x"] }],
      readinessGates: [{ conditionType: "example.com/ready" }],
    },
  });
  await status(`${core}/pods/pending`, {
    phase: "Pending",
    qosClass: "BestEffort",
    conditions: [
      condition("PodScheduled", "False", {
        reason: "Unschedulable",
        message: "0/1 nodes are available: 1 node(s) had untolerated taint.",
      }),
    ],
  });
  await post(`${core}/pods`, {
    metadata: { name: "evicted", labels: { app: "batch" } },
    spec: {
      nodeName: NODE,
      restartPolicy: "Never",
      containers: [
        {
          name: "main",
          image: "registry.example/main:1",
          resources: { requests: { cpu: "1", memory: "1Gi" }, limits: { cpu: "1", memory: "1Gi" } },
        },
      ],
    },
  });
  await status(`${core}/pods/evicted`, {
    phase: "Failed",
    reason: "Evicted",
    message: "The node was low on resource: memory.",
    hostIP: "192.168.7.10",
    startTime: T0,
    qosClass: "Guaranteed",
    containerStatuses: [
      {
        name: "main",
        image: "registry.example/main:1",
        imageID: "",
        ready: false,
        restartCount: 0,
        state: { terminated: { exitCode: 137, signal: 9, reason: "Error", startedAt: T0, finishedAt: T3 } },
      },
    ],
  });

  // A statefulset with a claim template and a pod; a daemonset with a pod.
  const db = await post(`${apps}/statefulsets`, {
    metadata: { name: "db", labels: { app: "db" } },
    spec: {
      replicas: 3,
      serviceName: "db",
      selector: { matchLabels: { app: "db" } },
      updateStrategy: { type: "RollingUpdate", rollingUpdate: { partition: 1 } },
      template: simpleTemplate({ app: "db" }, "registry.example/postgres:16", {
        volumes: [{ name: "shm", emptyDir: { medium: "Memory" } }],
      }),
      volumeClaimTemplates: [
        {
          metadata: { name: "pgdata", labels: { app: "db" } },
          spec: {
            accessModes: ["ReadWriteOnce"],
            storageClassName: "fast",
            resources: { requests: { storage: "20Gi" } },
          },
        },
        {
          metadata: { name: "wal", annotations: { "volume.beta.kubernetes.io/storage-class": "slow" } },
          spec: { accessModes: ["ReadWriteOnce", "ReadOnlyMany"], resources: { requests: { storage: "5Gi" } } },
        },
      ],
    },
  });
  await status(`${apps}/statefulsets/db`, { replicas: 2, readyReplicas: 1, currentReplicas: 2, availableReplicas: 1 });
  for (const [name, phase] of [
    ["db-0", "Running"],
    ["db-1", "Pending"],
  ] as const) {
    await post(`${core}/pods`, {
      metadata: { name, labels: { app: "db" }, ownerReferences: [owner(db)] },
      spec: { nodeName: NODE, containers: [{ name: "main", image: "registry.example/postgres:16" }] },
    });
    await status(`${core}/pods/${name}`, { phase });
  }
  const agent = await post(`${apps}/daemonsets`, {
    metadata: {
      name: "agent",
      labels: { app: "agent" },
      annotations: { "deprecated.daemonset.template.generation": "3" },
    },
    spec: {
      selector: { matchLabels: { app: "agent" } },
      template: simpleTemplate({ app: "agent" }, "registry.example/agent:5", {
        nodeSelector: { "kubernetes.io/os": "linux" },
        tolerations: [{ operator: "Exists" }],
        hostNetwork: true,
        volumes: [{ name: "proc", hostPath: { path: "/proc" } }],
      }),
    },
  });
  await status(`${apps}/daemonsets/agent`, {
    desiredNumberScheduled: 3,
    currentNumberScheduled: 3,
    updatedNumberScheduled: 2,
    numberAvailable: 2,
    numberReady: 2,
    numberMisscheduled: 1,
    numberUnavailable: 1,
  });
  await post(`${core}/pods`, {
    metadata: { name: "agent-x1y2z", labels: { app: "agent" }, ownerReferences: [owner(agent)] },
    spec: { nodeName: NODE, containers: [{ name: "main", image: "registry.example/agent:5" }] },
  });
  await status(`${core}/pods/agent-x1y2z`, { phase: "Succeeded" });

  // Jobs: Complete and Failed (with the conditions the API requires before them), and one a cronjob owns.
  const migrate = await post(`${batch}/jobs`, {
    metadata: { name: "migrate", labels: { app: "migrate" } },
    spec: {
      completions: 1,
      backoffLimit: 3,
      ttlSecondsAfterFinished: 600,
      template: simpleTemplate({ app: "migrate" }, "registry.example/migrate:4", { restartPolicy: "Never" }),
    },
  });
  await status(`${batch}/jobs/migrate`, {
    startTime: T0,
    completionTime: T2,
    succeeded: 1,
    ready: 0,
    conditions: [
      { ...condition("SuccessCriteriaMet", "True", { lastProbeTime: T2, lastTransitionTime: T2 }) },
      { ...condition("Complete", "True", { lastProbeTime: T2, lastTransitionTime: T2 }) },
    ],
  });
  const broken = await post(`${batch}/jobs`, {
    metadata: { name: "broken" },
    spec: {
      completions: 5,
      parallelism: 2,
      completionMode: "Indexed",
      backoffLimit: 2,
      activeDeadlineSeconds: 900,
      template: simpleTemplate({ app: "broken" }, "registry.example/broken:0", { restartPolicy: "Never" }),
    },
  });
  await status(`${batch}/jobs/broken`, {
    startTime: T0,
    failed: 3,
    succeeded: 2,
    ready: 0,
    completedIndexes: "0,3",
    conditions: [
      condition("FailureTarget", "True", { reason: "BackoffLimitExceeded", lastProbeTime: T3, lastTransitionTime: T3 }),
      condition("Failed", "True", {
        reason: "BackoffLimitExceeded",
        message: "Job has reached the specified backoff limit",
        lastProbeTime: T3,
        lastTransitionTime: T3,
      }),
    ],
  });
  const nightly = await post(`${batch}/cronjobs`, {
    metadata: { name: "nightly", labels: { app: "report" } },
    spec: {
      schedule: "0 3 * * *",
      timeZone: "Etc/UTC",
      concurrencyPolicy: "Forbid",
      startingDeadlineSeconds: 120,
      successfulJobsHistoryLimit: 2,
      jobTemplate: {
        spec: {
          backoffLimit: 1,
          activeDeadlineSeconds: 3600,
          template: simpleTemplate({ app: "report" }, "registry.example/report:2", { restartPolicy: "OnFailure" }),
        },
      },
    },
  });
  await post(`${batch}/jobs`, {
    metadata: { name: "nightly-29000000", ownerReferences: [owner(nightly)] },
    spec: { template: simpleTemplate({ app: "report" }, "registry.example/report:2", { restartPolicy: "OnFailure" }) },
  });
  await status(`${batch}/jobs/nightly-29000000`, { startTime: T3, active: 1, ready: 1 });
  await status(`${batch}/cronjobs/nightly`, {
    lastScheduleTime: T3,
    active: [{ apiVersion: "batch/v1", kind: "Job", name: "nightly-29000000", namespace: NS }],
  });

  // A custom resource (kubectl's generic describer): nested objects, lists of objects and of scalars, numbers.
  const crds = "/apis/apiextensions.k8s.io/v1/customresourcedefinitions";
  await post(crds, {
    metadata: { name: CRD },
    spec: {
      group: GROUP,
      scope: "Namespaced",
      names: { plural: "widgets", singular: "widget", kind: "Widget", listKind: "WidgetList" },
      versions: [
        {
          name: "v1",
          served: true,
          storage: true,
          schema: { openAPIV3Schema: { type: "object", "x-kubernetes-preserve-unknown-fields": true } },
        },
      ],
    },
  });
  await until(async () => {
    const res = await cluster.request("GET", `${crds}/${CRD}`);
    const conditions = ((res.json as Json).status as Json | undefined)?.conditions as Json[] | undefined;
    return conditions?.some((c) => c.type === "Established" && c.status === "True") ?? false;
  }, "the CRD is established");
  let widget: KubeObject | undefined;
  await until(async () => {
    const res = await cluster.request("POST", `/apis/${GROUP}/v1/namespaces/${NS}/widgets`, {
      apiVersion: `${GROUP}/v1`,
      kind: "Widget",
      metadata: { name: "sprocket", labels: { app: "widgets" }, annotations: { note: "hand made" } },
      spec: {
        replicas: 3,
        ratio: 0.75,
        enabled: true,
        nothing: null,
        color: "red",
        apiURL: "https://api.example.com",
        hostUID: "u-1",
        tags: ["a", "b"],
        ports: [
          { name: "http", containerPort: 80 },
          { name: "https", containerPort: 443 },
        ],
        "x-custom_field": "kept",
        nested: { deeperThing: { value: "v" }, emptyMap: {}, emptyList: [] },
      },
      status: { phase: "Ready", observedGeneration: 1 },
    });
    if (res.status !== 404) assert.equal(res.status, 201, res.body.toString());
    if (res.status === 201) widget = res.json as KubeObject;
    return res.status === 201;
  }, "widget created");

  // Edge cases: a widget with floats, a multi-line string and lists of lists; a deployment with no replicasets
  // (Recreate, paused); a statefulset with OnDelete and no claims; a daemonset without a node selector; a suspended
  // job; a suspended cronjob that never ran; a terminating pod (a finalizer holds it) with a waiting container,
  // seccomp profiles, spread constraints, NFS, CSI and block volumes and a readiness gate that has its condition.
  await post(`/apis/${GROUP}/v1/namespaces/${NS}/widgets`, {
    apiVersion: `${GROUP}/v1`,
    kind: "Widget",
    metadata: { name: "gizmo" },
    spec: {
      small: 0.00001,
      mid: 123456.5,
      large: 1234567.5,
      huge: 1e19,
      negative: -2.5,
      text: "first line\nsecond line",
      matrix: [
        [1, 2],
        [3, 4],
      ],
      mixed: [{ a: 1 }, "b", 3],
    },
  });
  await post(`${apps}/deployments`, {
    metadata: { name: "bare" },
    spec: {
      paused: true,
      selector: { matchExpressions: [{ key: "app", operator: "In", values: ["bare", "plain"] }] },
      strategy: { type: "Recreate" },
      template: simpleTemplate({ app: "bare" }, "registry.example/bare:1"),
    },
  });
  await post(`${apps}/statefulsets`, {
    metadata: { name: "cache" },
    spec: {
      serviceName: "cache",
      podManagementPolicy: "Parallel",
      selector: { matchLabels: { app: "cache" } },
      updateStrategy: { type: "OnDelete" },
      template: simpleTemplate({ app: "cache" }, "registry.example/cache:1"),
    },
  });
  await post(`${apps}/daemonsets`, {
    metadata: { name: "logger" },
    spec: {
      selector: { matchLabels: { app: "logger" } },
      updateStrategy: { type: "OnDelete" },
      template: simpleTemplate({ app: "logger" }, "registry.example/logger:1"),
    },
  });
  await post(`${batch}/jobs`, {
    metadata: { name: "held" },
    spec: {
      suspend: true,
      completions: 4,
      parallelism: 2,
      completionMode: "Indexed",
      backoffLimitPerIndex: 1,
      maxFailedIndexes: 2,
      template: simpleTemplate({ app: "held" }, "registry.example/held:1", { restartPolicy: "Never" }),
    },
  });
  await status(`${batch}/jobs/held`, {
    conditions: [condition("Suspended", "True", { reason: "JobSuspended", message: "Job suspended" })],
  });
  await post(`${batch}/cronjobs`, {
    metadata: { name: "paused" },
    spec: {
      schedule: "*/15 * * * *",
      suspend: true,
      failedJobsHistoryLimit: 0,
      jobTemplate: {
        metadata: { labels: { app: "sweep" } },
        spec: {
          parallelism: 3,
          completions: 6,
          template: simpleTemplate({ app: "sweep" }, "registry.example/sweep:1", { restartPolicy: "Never" }),
        },
      },
    },
  });
  await post(`${core}/persistentvolumeclaims`, {
    metadata: { name: "raw" },
    spec: { accessModes: ["ReadWriteOnce"], volumeMode: "Block", resources: { requests: { storage: "1Gi" } } },
  });
  await post(`${core}/pods`, {
    metadata: { name: "leaving", finalizers: ["example.com/hold"], labels: { app: "leaving" } },
    spec: {
      nodeName: NODE,
      terminationGracePeriodSeconds: 3600,
      priorityClassName: "",
      securityContext: { seccompProfile: { type: "RuntimeDefault" }, runAsNonRoot: true },
      readinessGates: [{ conditionType: "example.com/lb" }, { conditionType: "example.com/missing" }],
      topologySpreadConstraints: [
        {
          maxSkew: 1,
          topologyKey: "topology.kubernetes.io/zone",
          whenUnsatisfiable: "DoNotSchedule",
          labelSelector: { matchLabels: { app: "leaving" } },
        },
        { maxSkew: 2, topologyKey: "kubernetes.io/hostname", whenUnsatisfiable: "ScheduleAnyway" },
      ],
      containers: [
        {
          name: "main",
          image: "registry.example/main:1",
          command: ["sh", "-c", "echo one\necho two"],
          securityContext: { seccompProfile: { type: "Localhost", localhostProfile: "profiles/audit.json" } },
          ports: [{ containerPort: 8080, protocol: "TCP" }],
          volumeDevices: [{ name: "raw", devicePath: "/dev/xvda" }],
          volumeMounts: [
            { name: "nfs", mountPath: "/mnt/nfs", readOnly: true, subPath: "exports/a" },
            { name: "csi", mountPath: "/mnt/csi", subPathExpr: "$(POD_NAME)" },
          ],
          env: [
            { name: "EMPTY" },
            { name: "EMPTY_FROM", valueFrom: { configMapKeyRef: { name: "web-config", key: "x", optional: true } } },
          ],
        },
      ],
      volumes: [
        { name: "raw", persistentVolumeClaim: { claimName: "raw" } },
        { name: "nfs", nfs: { server: "nfs.example.com", path: "/exports", readOnly: true } },
        {
          name: "csi",
          csi: {
            driver: "secrets-store.csi.k8s.io",
            readOnly: true,
            fsType: "ext4",
            volumeAttributes: { secretProviderClass: "vault", usePodIdentity: "false" },
          },
        },
      ],
    },
  });
  await status(`${core}/pods/leaving`, {
    phase: "Pending",
    hostIP: "192.168.7.10",
    podIP: "10.1.7.30",
    podIPs: [{ ip: "10.1.7.30" }],
    startTime: T0,
    nominatedNodeName: "",
    conditions: [
      condition("example.com/lb", "False"),
      condition("Initialized"),
      condition("Ready", "False", { reason: "ContainersNotReady", message: "containers with unready status: [main]" }),
      condition("PodScheduled"),
    ],
    containerStatuses: [
      {
        name: "main",
        image: "registry.example/main:1",
        imageID: "",
        ready: false,
        restartCount: 4,
        state: { waiting: { reason: "CrashLoopBackOff", message: "back-off 1m20s restarting failed container" } },
        lastState: {
          terminated: { exitCode: 1, reason: "Error", startedAt: T1, finishedAt: T2, containerID: "containerd://9" },
        },
      },
    ],
  });
  await send("DELETE", `${core}/pods/leaving`);

  // Events: days old, so their Age column does not move while the test runs.
  const pod = (await send("GET", `${core}/pods/web-6b8f9-abcde`)) as KubeObject;
  const events: EventCase[] = [
    {
      on: pod,
      name: "web-pod.1",
      reason: "Scheduled",
      message: `Successfully assigned ${NS}/web-6b8f9-abcde to ${NODE}`,
      component: "default-scheduler",
      first: 4 * DAY,
    },
    {
      on: pod,
      name: "web-pod.2",
      type: "Warning",
      reason: "BackOff",
      message: "Back-off restarting failed container app in pod web-6b8f9-abcde",
      component: "kubelet",
      host: NODE,
      count: 7,
      first: 4 * DAY,
      last: 2 * DAY,
    },
    {
      on: pending,
      name: "pending.1",
      type: "Warning",
      reason: "FailedScheduling",
      message: "0/1 nodes are available: 1 node(s) had untolerated taint.",
      reportingComponent: "default-scheduler",
      count: 3,
      first: 5 * DAY,
      last: 1 * DAY,
    },
    {
      on: web,
      name: "web.1",
      reason: "ScalingReplicaSet",
      message: "Scaled up replica set web-6b8f9 to 2",
      component: "deployment-controller",
      first: 3 * DAY,
    },
    {
      on: web,
      name: "web.2",
      reason: "ScalingReplicaSet",
      message: "Scaled down replica set web-5c7d4 to 0 from 2",
      component: "deployment-controller",
      first: 3 * DAY - 60,
    },
    {
      on: rs,
      name: "web-rs.1",
      reason: "SuccessfulCreate",
      message: "Created pod: web-6b8f9-abcde",
      component: "replicaset-controller",
      count: 2,
      first: 3 * DAY,
    },
    {
      on: old,
      name: "web-old.1",
      reason: "SuccessfulDelete",
      message: "Deleted pod: web-5c7d4-zzzzz",
      component: "replicaset-controller",
      first: 3 * DAY,
    },
    {
      on: db,
      name: "db.1",
      type: "Warning",
      reason: "FailedCreate",
      message: "create Pod db-2 in StatefulSet db failed error: quota exceeded",
      component: "statefulset-controller",
      count: 12,
      first: 6 * DAY,
      last: 1 * DAY,
    },
    {
      on: agent,
      name: "agent.1",
      reason: "SuccessfulCreate",
      message: "Created pod: agent-x1y2z",
      component: "daemonset-controller",
      first: 8 * DAY,
    },
    {
      on: migrate,
      name: "migrate.1",
      reason: "SuccessfulCreate",
      message: "Created pod: migrate-q8x7p",
      component: "job-controller",
      first: 2 * DAY,
    },
    {
      on: migrate,
      name: "migrate.2",
      reason: "Completed",
      message: "Job completed",
      component: "job-controller",
      first: 2 * DAY,
    },
    {
      on: broken,
      name: "broken.1",
      type: "Warning",
      reason: "BackoffLimitExceeded",
      message: "Job has reached the specified backoff limit",
      component: "job-controller",
      first: DAY,
    },
    {
      on: nightly,
      name: "nightly.1",
      reason: "SuccessfulCreate",
      message: "Created job nightly-29000000",
      component: "cronjob-controller",
      first: DAY,
    },
    {
      on: widget,
      name: "widget.1",
      reason: "Reconciled",
      message: "widget is ready",
      component: "widget-operator",
      count: 2,
      first: 10 * DAY,
      last: 9 * DAY,
    },
  ];
  for (const [involved, name, e] of events.map((c) => [c.on, c.name, eventBody(c)] as const)) {
    assert.ok(involved, `${name}: the object it is about`);
    await event(involved, name, e);
  }
}

before(async () => {
  if (EXTERNAL) return;
  cluster = await testCluster();
  await writeCorpus();
});

after(async () => {
  await cluster?.stop();
});

/**
 * The one masked line kind: a projected volume's "SecretOptionalName:" and "ConfigMapOptional:" when the source sets
 * `optional`, where kubectl 1.32 prints the *bool field with %v, i.e. a Go pointer address such as 0xc0004f8439 (an
 * unset one prints "<nil>" and is compared as is). We print the value (true/false) instead.
 */
function mask(text: string): string {
  return text.replace(/^(\s+(?:SecretOptionalName|ConfigMapOptional):\s+)(?:0x[0-9a-f]+|true|false)$/gm, "$1<*bool>");
}

interface Case {
  kind: string;
  name: string;
  group: string;
  resource: string;
  path: string;
  /** Lines kubectl's text must have: the corpus is what the test means it to be. */
  has?: string[];
}

const core = (resource: string, name: string): Case => ({
  kind: resource.replace(/s$/, ""),
  name,
  group: "",
  resource,
  path: `/api/v1/namespaces/${NS}/${resource}/${name}`,
});
const grouped = (group: string, resource: string, name: string, kind = resource.replace(/s$/, "")): Case => ({
  kind,
  name,
  group,
  resource,
  path: `/apis/${group}/v1/namespaces/${NS}/${resource}/${name}`,
});

const CASES: Case[] = [
  {
    ...core("pods", "web-6b8f9-abcde"),
    has: [
      "Controlled By:  ReplicaSet/web-6b8f9",
      "      Reason:       OOMKilled",
      "    Restart Count:  1",
      "  Warning  BackOff    2d (x7 over 4d)  kubelet            Back-off restarting failed container app in pod web-6b8f9-abcde",
    ],
  },
  core("pods", "pending"),
  { ...core("pods", "evicted"), has: ["Reason:       Evicted"] },
  core("pods", "db-0"),
  {
    ...grouped("apps", "deployments", "web"),
    has: ["NewReplicaSet:   web-6b8f9 (2/2 replicas created)", "OldReplicaSets:  web-5c7d4 (0/0 replicas created)"],
  },
  {
    ...grouped("apps", "replicasets", "web-6b8f9"),
    has: ["Pods Status:    2 Running / 0 Waiting / 0 Succeeded / 0 Failed"],
  },
  grouped("apps", "replicasets", "web-5c7d4"),
  {
    ...grouped("apps", "statefulsets", "db"),
    has: ["Pods Status:        1 Running / 1 Waiting / 0 Succeeded / 0 Failed"],
  },
  grouped("apps", "daemonsets", "agent"),
  grouped("batch", "jobs", "migrate"),
  grouped("batch", "jobs", "broken"),
  grouped("batch", "jobs", "nightly-29000000"),
  grouped("batch", "cronjobs", "nightly"),
  {
    ...grouped(GROUP, "widgets", "sprocket", `widgets.${GROUP}`),
    has: ["  Replicas:          3", "  x-custom_field:  kept"],
  },
  grouped(GROUP, "widgets", "gizmo", `widgets.${GROUP}`),
  { ...grouped("apps", "deployments", "bare"), has: ["Selector:           app in (bare,plain)"] },
  grouped("apps", "statefulsets", "cache"),
  grouped("apps", "daemonsets", "logger"),
  grouped("batch", "jobs", "held"),
  grouped("batch", "cronjobs", "paused"),
  {
    ...core("pods", "leaving"),
    has: ["Status:                    Terminating (lasts <invalid>)", "Termination Grace Period:  3600s"],
  },
];

for (const c of CASES) {
  test(`describe ${c.kind} ${c.name} matches kubectl describe line by line`, SKIP, async () => {
    await assertDescribesLikeKubectl(
      cluster,
      { ...c, namespace: NS, describer: describerFor(c.group, c.resource) },
      mask,
    );
  });
}
