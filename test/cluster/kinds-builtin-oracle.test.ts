// kubectl as the oracle for the built-in kinds beyond the first eight (kinds-oracle.test.ts has those): jobs in every
// state, cronjobs, configmaps, secrets of several types, claims and volumes, ingresses, network policies, autoscalers,
// service accounts, RBAC, endpoint slices, storage classes and events, written into a fresh namespace (cluster-scoped
// ones next to the fixture's own), then read the way a view reads them: hold(query), rows(query) and columns(kind),
// compared with `kubectl get KIND -A -o wide` cell for cell. No controller runs: every status is written through the
// status subresource, as the controllers would.
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import type { InformerRepository } from "../../src/repository/informer-repository.ts";
import { builtinKindOrThrow } from "../../src/resources/index.ts";
import { type StorageClassRow, storageClassDisplayName } from "../../src/resources/storageclasses.ts";
import type { BaseRow } from "../../src/resources/types.ts";
import { createNamespace, type Json, rfc3339 } from "./lib/api.ts";
import { contextOf, informer, until } from "./lib/informer.ts";
import { kubectlOk } from "./lib/kubectl.ts";
import { compareWithKubectl } from "./lib/oracle.ts";
import { EXTERNAL, fixtureOnly, type TestCluster, testCluster } from "./lib/target.ts";

const NS = "builtin";
const SKIP = fixtureOnly("writes cluster-scoped objects (volumes, storage classes, cluster roles) and job status");

let cluster: TestCluster;
let repo: InformerRepository;

async function post(path: string, body: Json): Promise<Json> {
  const res = await cluster.request("POST", path, body);
  assert.equal(res.status, 201, `POST ${path}: ${res.body.toString("utf8").slice(0, 2000)}`);
  return res.json as Json;
}

async function status(path: string, value: Json): Promise<void> {
  const res = await cluster.request(
    "PATCH",
    `${path}/status`,
    { status: value },
    { headers: { "Content-Type": "application/merge-patch+json" } },
  );
  assert.equal(res.status, 200, `PATCH ${path}/status: ${res.body.toString("utf8").slice(0, 2000)}`);
}

const ago = (seconds: number) => rfc3339(new Date(Date.now() - seconds * 1000));
const podTemplate = (image: string): Json => ({
  spec: { restartPolicy: "Never", containers: [{ name: "main", image }] },
});
const condition = (type: string, at: string): Json => ({
  type,
  status: "True",
  lastProbeTime: at,
  lastTransitionTime: at,
});

async function writeCorpus(): Promise<void> {
  await createNamespace(cluster, NS);
  const batch = `/apis/batch/v1/namespaces/${NS}`;

  // Jobs: Complete (with the condition the API requires before it), Running with a parallel work queue, Failed,
  // Suspended, and one owned by a cronjob.
  await post(`${batch}/jobs`, {
    metadata: { name: "migrate" },
    spec: { completions: 1, template: podTemplate("registry.example/migrate:3") },
  });
  const started = ago(200);
  const finished = ago(77);
  await status(`${batch}/jobs/migrate`, {
    startTime: started,
    completionTime: finished,
    succeeded: 1,
    conditions: [condition("SuccessCriteriaMet", finished), condition("Complete", finished)],
  });
  await post(`${batch}/jobs`, {
    metadata: { name: "backfill" },
    spec: { parallelism: 3, template: podTemplate("registry.example/backfill:1") },
  });
  await status(`${batch}/jobs/backfill`, { startTime: ago(65), active: 3, ready: 2, succeeded: 0 });
  await post(`${batch}/jobs`, {
    metadata: { name: "broken" },
    spec: { completions: 5, parallelism: 2, backoffLimit: 2, template: podTemplate("registry.example/broken:0") },
  });
  const failedAt = ago(30);
  await status(`${batch}/jobs/broken`, {
    startTime: ago(120),
    failed: 3,
    succeeded: 1,
    conditions: [
      { ...condition("FailureTarget", failedAt), reason: "BackoffLimitExceeded" },
      { ...condition("Failed", failedAt), reason: "BackoffLimitExceeded" },
    ],
  });
  await post(`${batch}/jobs`, {
    metadata: { name: "held" },
    spec: { suspend: true, completions: 2, template: podTemplate("registry.example/held:1") },
  });
  await status(`${batch}/jobs/held`, { conditions: [{ ...condition("Suspended", ago(5)), reason: "JobSuspended" }] });

  // CronJobs: one with a time zone and a job it runs now, one suspended that never ran.
  const nightly = await post(`${batch}/cronjobs`, {
    metadata: { name: "nightly" },
    spec: {
      schedule: "0 3 * * *",
      timeZone: "Etc/UTC",
      jobTemplate: { spec: { template: podTemplate("registry.example/report:2") } },
    },
  });
  const uid = (nightly.metadata as Json).uid as string;
  await post(`${batch}/jobs`, {
    metadata: {
      name: "nightly-29000000",
      ownerReferences: [{ apiVersion: "batch/v1", kind: "CronJob", name: "nightly", uid, controller: true }],
    },
    spec: { template: podTemplate("registry.example/report:2") },
  });
  await status(`${batch}/jobs/nightly-29000000`, { startTime: ago(40), active: 1 });
  await status(`${batch}/cronjobs/nightly`, {
    lastScheduleTime: ago(40),
    active: [{ apiVersion: "batch/v1", kind: "Job", name: "nightly-29000000", namespace: NS }],
  });
  await post(`${batch}/cronjobs`, {
    metadata: { name: "paused" },
    spec: {
      schedule: "*/15 * * * *",
      suspend: true,
      jobTemplate: { spec: { template: podTemplate("registry.example/sweep:1") } },
    },
  });

  const core = `/api/v1/namespaces/${NS}`;
  await post(`${core}/configmaps`, {
    metadata: { name: "app-config" },
    data: { "app.yaml": "port: 8080\n", LOG_LEVEL: "debug", FEATURES: "a,b" },
    binaryData: { "logo.png": Buffer.from([0x89, 0x50, 0x4e, 0x47]).toString("base64") },
  });
  await post(`${core}/configmaps`, { metadata: { name: "empty" } });
  await post(`${core}/secrets`, {
    metadata: { name: "db-credentials" },
    type: "Opaque",
    stringData: { username: "app", password: "s3cret" },
  });
  await post(`${core}/secrets`, {
    metadata: { name: "web-tls" },
    type: "kubernetes.io/tls",
    stringData: { "tls.crt": "-----BEGIN CERTIFICATE-----\n", "tls.key": "-----BEGIN PRIVATE KEY-----\n" },
  });
  await post(`${core}/secrets`, {
    metadata: { name: "basic" },
    type: "kubernetes.io/basic-auth",
    stringData: { username: "admin" },
  });

  // Storage: a default class and another, a volume bound to a claim, one available, one released; a pending claim.
  const storage = "/apis/storage.k8s.io/v1";
  await post(`${storage}/storageclasses`, {
    metadata: { name: "fast", annotations: { "storageclass.kubernetes.io/is-default-class": "true" } },
    provisioner: "example.com/fast-ssd",
    reclaimPolicy: "Retain",
    volumeBindingMode: "WaitForFirstConsumer",
    allowVolumeExpansion: true,
  });
  await post(`${storage}/storageclasses`, { metadata: { name: "slow" }, provisioner: "example.com/hdd" });
  await post("/api/v1/persistentvolumes", {
    metadata: { name: "pv-data" },
    spec: {
      capacity: { storage: "10Gi" },
      accessModes: ["ReadWriteOnce"],
      persistentVolumeReclaimPolicy: "Retain",
      storageClassName: "fast",
      hostPath: { path: "/data/pv-data" },
      claimRef: { kind: "PersistentVolumeClaim", namespace: NS, name: "data", apiVersion: "v1" },
    },
  });
  await status("/api/v1/persistentvolumes/pv-data", { phase: "Bound" });
  await post("/api/v1/persistentvolumes", {
    metadata: { name: "pv-free" },
    spec: {
      capacity: { storage: "1500Mi" },
      accessModes: ["ReadWriteMany", "ReadOnlyMany"],
      storageClassName: "slow",
      volumeMode: "Block",
      nfs: { server: "nfs.example.com", path: "/exports/free" },
    },
  });
  await status("/api/v1/persistentvolumes/pv-free", { phase: "Available" });
  await post("/api/v1/persistentvolumes", {
    metadata: { name: "pv-old" },
    spec: {
      capacity: { storage: "2Gi" },
      accessModes: ["ReadWriteOncePod"],
      persistentVolumeReclaimPolicy: "Retain",
      hostPath: { path: "/data/old" },
      claimRef: { kind: "PersistentVolumeClaim", namespace: NS, name: "gone", apiVersion: "v1" },
    },
  });
  await status("/api/v1/persistentvolumes/pv-old", { phase: "Released", reason: "ClaimDeleted" });
  await post(`${core}/persistentvolumeclaims`, {
    metadata: { name: "data" },
    spec: {
      accessModes: ["ReadWriteOnce"],
      storageClassName: "fast",
      volumeName: "pv-data",
      resources: { requests: { storage: "10Gi" } },
    },
  });
  await status(`${core}/persistentvolumeclaims/data`, {
    phase: "Bound",
    accessModes: ["ReadWriteOnce"],
    capacity: { storage: "10Gi" },
  });
  await post(`${core}/persistentvolumeclaims`, {
    metadata: { name: "scratch" },
    spec: { accessModes: ["ReadWriteMany"], resources: { requests: { storage: "512Mi" } } },
  });

  // Ingresses: a class, two hosts, TLS and an address; one with only a default backend.
  const networking = `/apis/networking.k8s.io/v1/namespaces/${NS}`;
  const backend = { service: { name: "web", port: { number: 80 } } };
  await post(`${networking}/ingresses`, {
    metadata: { name: "web" },
    spec: {
      ingressClassName: "nginx",
      tls: [{ hosts: ["shop.example.com"], secretName: "web-tls" }],
      rules: [
        { host: "shop.example.com", http: { paths: [{ path: "/", pathType: "Prefix", backend }] } },
        { host: "api.example.com", http: { paths: [{ path: "/v1", pathType: "Prefix", backend }] } },
      ],
    },
  });
  await status(`${networking}/ingresses/web`, {
    loadBalancer: { ingress: [{ ip: "198.51.100.9" }, { hostname: "lb.example.com" }] },
  });
  await post(`${networking}/ingresses`, { metadata: { name: "fallback" }, spec: { defaultBackend: backend } });
  await post(`${networking}/networkpolicies`, {
    metadata: { name: "deny-all" },
    spec: { podSelector: {}, policyTypes: ["Ingress"] },
  });
  await post(`${networking}/networkpolicies`, {
    metadata: { name: "web-from-lb" },
    spec: {
      podSelector: { matchLabels: { app: "web" }, matchExpressions: [{ key: "tier", operator: "Exists" }] },
      ingress: [{ from: [{ ipBlock: { cidr: "10.0.0.0/8" } }] }],
    },
  });

  // Autoscalers: CPU utilization with a status, two metrics and more, none (the CPU default), no status yet.
  const autoscaling = `/apis/autoscaling/v2/namespaces/${NS}`;
  await post(`${autoscaling}/horizontalpodautoscalers`, {
    metadata: { name: "web" },
    spec: {
      scaleTargetRef: { apiVersion: "apps/v1", kind: "Deployment", name: "web" },
      minReplicas: 2,
      maxReplicas: 10,
      metrics: [
        { type: "Resource", resource: { name: "cpu", target: { type: "Utilization", averageUtilization: 80 } } },
      ],
    },
  });
  await status(`${autoscaling}/horizontalpodautoscalers/web`, {
    currentReplicas: 3,
    desiredReplicas: 3,
    currentMetrics: [
      { type: "Resource", resource: { name: "cpu", current: { averageUtilization: 45, averageValue: "90m" } } },
    ],
  });
  await post(`${autoscaling}/horizontalpodautoscalers`, {
    metadata: { name: "workers" },
    spec: {
      scaleTargetRef: { apiVersion: "apps/v1", kind: "StatefulSet", name: "workers" },
      maxReplicas: 20,
      metrics: [
        { type: "Resource", resource: { name: "memory", target: { type: "AverageValue", averageValue: "500Mi" } } },
        { type: "Pods", pods: { metric: { name: "queue" }, target: { type: "AverageValue", averageValue: "30" } } },
        {
          type: "External",
          external: { metric: { name: "lag" }, target: { type: "Value", value: "1k" } },
        },
      ],
    },
  });
  await post(`${autoscaling}/horizontalpodautoscalers`, {
    metadata: { name: "defaults" },
    spec: { scaleTargetRef: { apiVersion: "apps/v1", kind: "Deployment", name: "api" }, maxReplicas: 4 },
  });

  // Service accounts and RBAC.
  await post(`${core}/serviceaccounts`, { metadata: { name: "builder" }, secrets: [{ name: "builder-token" }] });
  await post(`${core}/serviceaccounts`, { metadata: { name: "default" } });
  const rbac = "/apis/rbac.authorization.k8s.io/v1";
  const rules = [{ apiGroups: [""], resources: ["pods", "configmaps"], verbs: ["get", "list", "watch"] }];
  await post(`${rbac}/namespaces/${NS}/roles`, { metadata: { name: "reader" }, rules });
  await post(`${rbac}/namespaces/${NS}/rolebindings`, {
    metadata: { name: "read-it" },
    roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "Role", name: "reader" },
    subjects: [
      { kind: "User", apiGroup: "rbac.authorization.k8s.io", name: "alice" },
      { kind: "User", apiGroup: "rbac.authorization.k8s.io", name: "bob" },
      { kind: "Group", apiGroup: "rbac.authorization.k8s.io", name: "devs" },
      { kind: "ServiceAccount", name: "builder", namespace: NS },
    ],
  });
  await post(`${rbac}/namespaces/${NS}/rolebindings`, {
    metadata: { name: "view-cluster-role" },
    roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "ClusterRole", name: "timoneiro-viewer" },
    subjects: [{ kind: "ServiceAccount", name: "default", namespace: NS }],
  });
  await post(`${rbac}/clusterroles`, { metadata: { name: "timoneiro-viewer" }, rules });
  await post(`${rbac}/clusterrolebindings`, {
    metadata: { name: "timoneiro-viewer" },
    roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "ClusterRole", name: "timoneiro-viewer" },
    subjects: [{ kind: "Group", apiGroup: "rbac.authorization.k8s.io", name: "viewers" }],
  });

  // Endpoint slices: two ready endpoints and named ports, one with more endpoints than kubectl lists, one empty.
  const discovery = `/apis/discovery.k8s.io/v1/namespaces/${NS}`;
  const endpoint = (ip: string) => ({ addresses: [ip], conditions: { ready: true } });
  await post(`${discovery}/endpointslices`, {
    metadata: { name: "web-x7k2p", labels: { "kubernetes.io/service-name": "web" } },
    addressType: "IPv4",
    ports: [
      { name: "http", port: 8080, protocol: "TCP" },
      { name: "metrics", port: 9090, protocol: "TCP" },
    ],
    endpoints: [endpoint("10.244.0.5"), endpoint("10.244.1.7")],
  });
  await post(`${discovery}/endpointslices`, {
    metadata: { name: "big-abcde", labels: { "kubernetes.io/service-name": "big" } },
    addressType: "IPv4",
    ports: [{ port: 53, protocol: "UDP" }],
    endpoints: ["10.0.0.1", "10.0.0.2", "10.0.0.3", "10.0.0.4", "10.0.0.5"].map(endpoint),
  });
  await post(`${discovery}/endpointslices`, {
    metadata: { name: "v6-empty", labels: { "kubernetes.io/service-name": "v6" } },
    addressType: "IPv6",
    ports: null,
    endpoints: [],
  });

  // Events, core v1: a Normal one, a repeated Warning about a container, and one written the events.k8s.io way
  // (eventTime and a series, no first/last timestamps).
  const involved = (kind: string, name: string, fieldPath?: string): Json => ({
    kind,
    name,
    namespace: NS,
    apiVersion: kind === "Pod" ? "v1" : "batch/v1",
    ...(fieldPath && { fieldPath }),
  });
  await post(`${core}/events`, {
    metadata: { name: "migrate.17f2a" },
    involvedObject: involved("Job", "migrate"),
    reason: "Completed",
    message: "Job completed",
    type: "Normal",
    source: { component: "job-controller" },
    firstTimestamp: ago(77),
    lastTimestamp: ago(77),
    count: 1,
  });
  await post(`${core}/events`, {
    metadata: { name: "web-1.17f2b" },
    involvedObject: involved("Pod", "web-1", "spec.containers{app}"),
    reason: "BackOff",
    message: "Back-off restarting failed container app in pod web-1_builtin(1234)",
    type: "Warning",
    source: { component: "kubelet", host: "node-a" },
    firstTimestamp: ago(600),
    lastTimestamp: ago(12),
    count: 14,
  });
  const observed = new Date(Date.now() - 20_000).toISOString().replace("Z", "000Z");
  await post(`${core}/events`, {
    metadata: { name: "backfill.17f2c" },
    involvedObject: involved("Job", "backfill"),
    reason: "SuccessfulCreate",
    message: "Created pod: backfill-x1",
    type: "Normal",
    action: "Create",
    eventTime: new Date(Date.now() - 60_000).toISOString().replace("Z", "000Z"),
    series: { count: 3, lastObservedTime: observed },
    reportingComponent: "job-controller",
    reportingInstance: "kcm-1",
  });
}

before(async () => {
  if (EXTERNAL) return;
  cluster = await testCluster();
  await writeCorpus();
  repo = await informer(contextOf(cluster), { resources: ["pods"] });
  await repo.startPriority();
});

after(async () => {
  await repo?.stopAndWait();
  await cluster?.stop();
});

/** The kinds of this file, as the `:` command line names them, each with what the corpus has of it in NS. */
const KINDS: { kind: string; inNamespace: number }[] = [
  { kind: "jobs", inNamespace: 5 },
  { kind: "cronjobs", inNamespace: 2 },
  { kind: "configmaps", inNamespace: 2 },
  { kind: "secrets", inNamespace: 3 },
  { kind: "persistentvolumeclaims", inNamespace: 2 },
  { kind: "persistentvolumes", inNamespace: 0 },
  { kind: "ingresses", inNamespace: 2 },
  { kind: "networkpolicies", inNamespace: 2 },
  { kind: "horizontalpodautoscalers", inNamespace: 3 },
  { kind: "serviceaccounts", inNamespace: 2 },
  { kind: "roles", inNamespace: 1 },
  { kind: "rolebindings", inNamespace: 2 },
  { kind: "clusterroles", inNamespace: 0 },
  { kind: "clusterrolebindings", inNamespace: 0 },
  { kind: "endpointslices", inNamespace: 3 },
  { kind: "storageclasses", inNamespace: 0 },
  { kind: "events", inNamespace: 3 },
];

for (const { kind, inNamespace } of KINDS) {
  test(`${kind}: hold + rows + columns print like kubectl get ${kind} -A -o wide, cell for cell`, SKIP, async () => {
    const def = builtinKindOrThrow(kind);
    const query = { kind };
    const release = repo.hold(query);
    try {
      await until(() => repo.status(query).synced, `${kind} synced (${JSON.stringify(repo.status(query))})`);
      assert.equal(repo.status(query).error, undefined);
      const columns = repo.columns(kind);
      assert.ok(columns, `${kind}: columns`);
      assert.deepEqual(
        columns.map((c) => c.name),
        def.columns.map((c) => c.name),
        `${kind}: the built-in kubectl columns`,
      );
      const rows = repo.rows(query);
      const result = compareWithKubectl(cluster, ["get", kind, "-A", "-o", "wide"], rows, columns, {
        namespaceColumn: def.namespaced,
        // kubectl's NAME of the default class carries " (default)" (resources/storageclasses.ts has that text).
        ...(kind === "storageclasses" && {
          nameCell: (row: BaseRow) => storageClassDisplayName(row as StorageClassRow),
        }),
      });
      assert.deepEqual(result.differences, [], result.out);
      assert.ok(result.printed.length > 0, `${kind}: kubectl printed some`);
      if (inNamespace > 0) {
        assert.equal(
          result.printed.filter((r) => r.NAMESPACE === NS).length,
          inNamespace,
          `${kind}: the corpus in ${NS}`,
        );
        // The namespace view: the same rows, through the namespace index.
        const inNs = repo.rows({ kind, namespace: NS });
        assert.equal(inNs.length, inNamespace);
        assert.ok(inNs.every((row) => row.namespace === NS));
      }
      if (kind === "events") {
        // kubectl -o wide prints the events' NAME last; Timoneiro, like for every kind, right after NAMESPACE.
        assert.equal(result.headers.at(-1), "NAME", result.out);
      }
    } finally {
      release();
    }
  });
}

test("a cronjob's jobs: the owner index answers what kubectl's ownerReferences say", SKIP, async () => {
  const release = repo.hold({ kind: "jobs" });
  try {
    await until(() => repo.status({ kind: "jobs" }).synced, "jobs synced");
    const owned = repo.rows({ kind: "jobs.batch", namespace: NS, owners: [`${NS}/CronJob/nightly`] });
    const printed = (
      JSON.parse(kubectlOk(cluster, "get", "jobs", "-n", NS, "-o", "json")) as {
        items: { metadata: { name: string; ownerReferences?: { kind: string; name: string }[] } }[];
      }
    ).items
      .filter((j) => j.metadata.ownerReferences?.some((o) => o.kind === "CronJob" && o.name === "nightly"))
      .map((j) => j.metadata.name);
    assert.deepEqual(
      owned.map((r) => r.name),
      printed,
    );
    assert.deepEqual(printed, ["nightly-29000000"]);
  } finally {
    release();
  }
});

test(
  'events: a multi-line MESSAGE prints up to its first line break, then "...", as kubectl prints it',
  SKIP,
  async () => {
    await post(`/api/v1/namespaces/${NS}/events`, {
      metadata: { name: "multiline.17f2d" },
      involvedObject: { kind: "Job", name: "backfill", namespace: NS, apiVersion: "batch/v1" },
      reason: "SuccessfulCreate",
      message: "Created pod: backfill-x1\nCreated pod: backfill-x2",
      type: "Normal",
      source: { component: "job-controller" },
      firstTimestamp: ago(5),
      lastTimestamp: ago(5),
      count: 1,
    });
    const query = { kind: "events", namespace: NS };
    const release = repo.hold(query);
    try {
      await until(() => repo.rows(query).some((r) => r.name === "multiline.17f2d"), "the multi-line event cached");
      const rows = repo.rows(query).filter((r) => r.name === "multiline.17f2d");
      const result = compareWithKubectl(
        cluster,
        ["get", "events", "-n", NS, "-o", "wide"],
        rows,
        repo.columns("events")!,
        {
          namespaceColumn: false,
          keep: (printed) => printed.NAME === "multiline.17f2d",
        },
      );
      assert.equal(result.printed[0]?.MESSAGE, "Created pod: backfill-x1...", result.out);
      assert.deepEqual(result.differences, [], result.out);
    } finally {
      release();
    }
  },
);
