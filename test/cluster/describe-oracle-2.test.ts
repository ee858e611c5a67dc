// kubectl as the oracle for the describers of services, endpoint slices, ingresses, config maps, secrets, claims,
// nodes, namespaces, service accounts and autoscalers: a corpus written into a fresh namespace (and a node with its
// lease and pods), then each object described the way the app does (the object, its events, what `related` names,
// fetched from the API server) and compared line by line with `kubectl describe KIND NAME`.
//
// Clock-dependent lines: the Age column of a node's non-terminated pods (the pods are seconds old, so kubectl and
// we, a moment apart, may disagree by a second) is masked on both sides. Event ages are days old, so they compare.
// Config maps, secrets and limit ranges have one key each where kubectl 1.32 walks a Go map (in no set order).
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import type { KubeObject } from "../../src/kube/objects.ts";
import { configMapDescriber } from "../../src/resources/describe/configmaps.ts";
import { endpointSliceDescriber } from "../../src/resources/describe/endpointslices.ts";
import { horizontalPodAutoscalerDescriber } from "../../src/resources/describe/horizontalpodautoscalers.ts";
import { ingressDescriber } from "../../src/resources/describe/ingresses.ts";
import { namespaceDescriber } from "../../src/resources/describe/namespaces.ts";
import { nodeDescriber } from "../../src/resources/describe/nodes.ts";
import { persistentVolumeClaimDescriber } from "../../src/resources/describe/persistentvolumeclaims.ts";
import { secretDescriber } from "../../src/resources/describe/secrets.ts";
import { serviceAccountDescriber } from "../../src/resources/describe/serviceaccounts.ts";
import { serviceDescriber } from "../../src/resources/describe/services.ts";
import type { Describer } from "../../src/resources/describe/types.ts";
import { createNamespace, type Json, rfc3339 } from "./lib/api.ts";
import { assertDescribesLikeKubectl } from "./lib/describe-oracle.ts";
import { EXTERNAL, fixtureOnly, type TestCluster, testCluster } from "./lib/target.ts";

const NS = "describe2";
const NODE = "node-describe";
const SKIP = fixtureOnly("writes a node, its lease and cluster-scoped state");

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
const post = (path: string, body: Json) => send("POST", path, body);
const status = (path: string, value: Json) => send("PATCH", `${path}/status`, { status: value }, true);

const ago = (seconds: number) => rfc3339(new Date(Date.now() - seconds * 1000));
const DAY = 86_400;

async function event(involved: KubeObject, name: string, e: Json, uid = involved.metadata?.uid): Promise<void> {
  const m = involved.metadata ?? {};
  await post(`/api/v1/namespaces/${m.namespace ?? "default"}/events`, {
    metadata: { name },
    involvedObject: {
      apiVersion: involved.apiVersion,
      kind: involved.kind,
      name: m.name,
      namespace: m.namespace,
      uid,
    },
    ...e,
  });
}

async function writeCorpus(): Promise<void> {
  await createNamespace(cluster, "kube-node-lease");
  await post("/api/v1/namespaces", {
    metadata: { name: NS, labels: { team: "payments", tier: "prod" }, annotations: { owner: "ops@example.com" } },
  });
  const core = `/api/v1/namespaces/${NS}`;

  // Services: a ClusterIP one with two named ports, a NodePort one with a local traffic policy, an ExternalName one.
  const web = (await post(`${core}/services`, {
    metadata: { name: "web", labels: { app: "web" }, annotations: { "example.com/note": "front door" } },
    spec: {
      selector: { app: "web", tier: "front" },
      ports: [
        { name: "http", port: 80, targetPort: "http" },
        { name: "metrics", port: 9090, targetPort: 9090, protocol: "TCP" },
      ],
      sessionAffinity: "ClientIP",
    },
  })) as KubeObject;
  await post(`${core}/services`, {
    metadata: { name: "edge" },
    spec: {
      type: "NodePort",
      selector: { app: "edge" },
      ports: [{ port: 443, targetPort: 8443 }],
      externalTrafficPolicy: "Local",
      externalIPs: ["203.0.113.7"],
    },
  });
  await post(`${core}/services`, {
    metadata: { name: "upstream" },
    spec: { type: "ExternalName", externalName: "api.example.com" },
  });
  await event(web, "web.1", {
    type: "Warning",
    reason: "SyncFailed",
    message: "could not sync load balancer  ",
    source: { component: "service-controller" },
    count: 4,
    firstTimestamp: ago(9 * DAY),
    lastTimestamp: ago(3 * DAY),
  });
  await event(web, "web.2", {
    type: "Normal",
    reason: "Synced",
    message: "synced",
    source: { component: "service-controller" },
    count: 1,
    firstTimestamp: ago(2 * DAY),
    lastTimestamp: ago(2 * DAY),
  });

  // Endpoint slices of web: ready, not ready and unknown endpoints on both ports; an empty one of edge.
  await post(`/apis/discovery.k8s.io/v1/namespaces/${NS}/endpointslices`, {
    metadata: { name: "web-abc12", labels: { "kubernetes.io/service-name": "web" } },
    addressType: "IPv4",
    ports: [
      { name: "http", port: 8080, protocol: "TCP" },
      { name: "metrics", port: 9090, protocol: "TCP" },
    ],
    endpoints: [
      {
        addresses: ["10.1.0.5"],
        conditions: { ready: true },
        nodeName: NODE,
        zone: "zone-a",
        targetRef: { kind: "Pod", name: "web-1", namespace: NS },
      },
      { addresses: ["10.1.0.6"], conditions: { ready: false }, hostname: "web-2" },
      { addresses: ["10.1.0.7"], conditions: {} },
      { addresses: ["10.1.0.8"], conditions: { ready: true } },
    ],
  });
  await post(`/apis/discovery.k8s.io/v1/namespaces/${NS}/endpointslices`, {
    metadata: { name: "edge-xyz", labels: { "kubernetes.io/service-name": "edge" } },
    addressType: "IPv4",
    endpoints: [],
  });

  // Ingresses: rules over web and a missing service, TLS, a default backend; one with only a default backend.
  const site = `/apis/networking.k8s.io/v1/namespaces/${NS}/ingresses`;
  await post(site, {
    metadata: { name: "site", annotations: { "nginx.ingress.kubernetes.io/rewrite-target": "/" } },
    spec: {
      ingressClassName: "nginx",
      defaultBackend: { service: { name: "web", port: { name: "http" } } },
      tls: [{ hosts: ["shop.example.com", "www.example.com"], secretName: "shop-tls" }, { hosts: ["sni.example.com"] }],
      rules: [
        {
          host: "shop.example.com",
          http: {
            paths: [
              { path: "/", pathType: "Prefix", backend: { service: { name: "web", port: { number: 80 } } } },
              { path: "/api", pathType: "Prefix", backend: { service: { name: "api", port: { number: 8080 } } } },
            ],
          },
        },
        {
          http: {
            paths: [
              {
                path: "/static",
                pathType: "ImplementationSpecific",
                backend: { resource: { apiGroup: "k8s.example.com", kind: "Bucket", name: "assets" } },
              },
            ],
          },
        },
      ],
    },
  });
  await status(`${site}/site`, { loadBalancer: { ingress: [{ ip: "198.51.100.9" }, { hostname: "lb.example.com" }] } });
  await post(site, {
    metadata: { name: "fallback" },
    spec: { defaultBackend: { service: { name: "edge", port: { number: 443 } } } },
  });

  // A config map with a multi-line value and a binary key; secrets of two types.
  await post(`${core}/configmaps`, {
    metadata: { name: "settings", labels: { app: "web" } },
    data: { "app.properties": "color=blue\nsize=3\n" },
    binaryData: { "logo.png": Buffer.from([0x89, 0x50, 0x4e, 0x47, 1, 2, 3]).toString("base64") },
  });
  await post(`${core}/secrets`, {
    metadata: { name: "creds" },
    data: { password: Buffer.from("s3cr3t-value").toString("base64") },
  });
  await post(`${core}/secrets`, {
    metadata: { name: "regcred" },
    type: "kubernetes.io/dockerconfigjson",
    data: { ".dockerconfigjson": Buffer.from('{"auths":{}}').toString("base64") },
  });

  // Claims: a bound one used by a pod, a pending one with a data source.
  await post(`${core}/persistentvolumeclaims`, {
    metadata: { name: "data", labels: { app: "db" } },
    spec: {
      accessModes: ["ReadWriteOnce"],
      resources: { requests: { storage: "10Gi" } },
      storageClassName: "fast",
      volumeName: "pv-data",
      volumeMode: "Filesystem",
    },
  });
  await status(`${core}/persistentvolumeclaims/data`, {
    phase: "Bound",
    accessModes: ["ReadWriteOnce", "ReadOnlyMany"],
    capacity: { storage: "10Gi" },
  });
  await post(`${core}/persistentvolumeclaims`, {
    metadata: { name: "restore" },
    spec: {
      accessModes: ["ReadWriteOnce"],
      resources: { requests: { storage: "1500Mi" } },
      dataSource: { apiGroup: "snapshot.storage.k8s.io", kind: "VolumeSnapshot", name: "snap-1" },
    },
  });

  // A node with labels, taints, conditions, addresses, resources, system info; its lease; pods on it.
  const node = (await post("/api/v1/nodes", {
    metadata: {
      name: NODE,
      labels: {
        "kubernetes.io/hostname": NODE,
        "node-role.kubernetes.io/control-plane": "",
        "node-role.kubernetes.io/worker": "",
        "kubernetes.io/arch": "amd64",
      },
      annotations: { "node.alpha.kubernetes.io/ttl": "0" },
    },
    spec: {
      podCIDR: "10.244.1.0/24",
      podCIDRs: ["10.244.1.0/24"],
      providerID: "example://node-describe",
      taints: [
        { key: "node-role.kubernetes.io/control-plane", effect: "NoSchedule" },
        { key: "dedicated", value: "db", effect: "NoExecute" },
      ],
    },
  })) as KubeObject;
  // A node's events: a controller's (by the node's UID) and the kubelet's (its name as the UID).
  await event(node, "node.1", {
    type: "Normal",
    reason: "RegisteredNode",
    message: `Node ${NODE} event: Registered Node ${NODE} in Controller`,
    source: { component: "node-controller" },
    count: 1,
    firstTimestamp: ago(6 * DAY),
    lastTimestamp: ago(6 * DAY),
  });
  await event(
    node,
    "node.2",
    {
      type: "Normal",
      reason: "Starting",
      message: "Starting kubelet.",
      source: { component: "kubelet", host: NODE },
      count: 1,
      firstTimestamp: ago(7 * DAY),
      lastTimestamp: ago(7 * DAY),
    },
    NODE,
  );
  await status(`/api/v1/nodes/${NODE}`, {
    conditions: [
      {
        type: "MemoryPressure",
        status: "False",
        lastHeartbeatTime: ago(30),
        lastTransitionTime: ago(5 * DAY),
        reason: "KubeletHasSufficientMemory",
        message: "kubelet has sufficient memory available",
      },
      {
        type: "Ready",
        status: "True",
        lastHeartbeatTime: ago(30),
        lastTransitionTime: ago(5 * DAY),
        reason: "KubeletReady",
        message: "kubelet is posting ready status",
      },
    ],
    addresses: [
      { type: "InternalIP", address: "192.168.1.20" },
      { type: "Hostname", address: NODE },
    ],
    capacity: {
      cpu: "4",
      memory: "16318420Ki",
      "ephemeral-storage": "101430960Ki",
      pods: "110",
      "hugepages-2Mi": "0",
      "example.com/gpu": "2",
    },
    allocatable: {
      cpu: "3800m",
      memory: "15216084Ki",
      "ephemeral-storage": "93478772582",
      pods: "110",
      "hugepages-2Mi": "0",
      "example.com/gpu": "2",
    },
    nodeInfo: {
      machineID: "ec2a1b",
      systemUUID: "ec2a1b-uuid",
      bootID: "boot-1",
      kernelVersion: "6.1.0-18-amd64",
      osImage: "Debian GNU/Linux 12 (bookworm)",
      containerRuntimeVersion: "containerd://1.7.13",
      kubeletVersion: "v1.32.4",
      kubeProxyVersion: "v1.32.4",
      operatingSystem: "linux",
      architecture: "amd64",
    },
  });
  await post("/apis/coordination.k8s.io/v1/namespaces/kube-node-lease/leases", {
    metadata: { name: NODE },
    spec: { holderIdentity: NODE, leaseDurationSeconds: 40, renewTime: "2026-01-02T03:04:05.000000Z" },
  });
  const container = (name: string, resources: Json) => ({ name, image: `registry.example/${name}:1`, resources });
  await post(`${core}/pods`, {
    metadata: { name: "db-0" },
    spec: {
      nodeName: NODE,
      containers: [
        container("db", { requests: { cpu: "500m", memory: "1Gi" }, limits: { cpu: "1", memory: "2Gi" } }),
        container("exporter", { requests: { cpu: "50m", memory: "64Mi" }, limits: { "example.com/gpu": "1" } }),
      ],
      initContainers: [container("init", { requests: { cpu: "2", memory: "100M" } })],
      volumes: [{ name: "data", persistentVolumeClaim: { claimName: "data" } }],
    },
  });
  await status(`${core}/pods/db-0`, { phase: "Running" });
  await post(`${core}/pods`, {
    metadata: { name: "cache-0" },
    spec: {
      nodeName: NODE,
      containers: [container("cache", { requests: { memory: "100M", "ephemeral-storage": "1Gi" } })],
      initContainers: [
        { ...container("proxy", { requests: { cpu: "100m", memory: "32Mi" } }), restartPolicy: "Always" },
      ],
    },
  });
  await post(`${core}/pods`, {
    metadata: { name: "done-0" },
    spec: { nodeName: NODE, containers: [container("job", { requests: { cpu: "3" } })] },
  });
  await status(`${core}/pods/done-0`, { phase: "Succeeded" });

  // The namespace's quotas and limit ranges.
  await post(`${core}/resourcequotas`, {
    metadata: { name: "compute" },
    spec: { hard: { "requests.cpu": "4", "requests.memory": "8Gi", pods: "20" } },
  });
  await status(`${core}/resourcequotas/compute`, {
    hard: { "requests.cpu": "4", "requests.memory": "8Gi", pods: "20" },
    used: { "requests.cpu": "2650m", "requests.memory": "1124Mi", pods: "3" },
  });
  await post(`${core}/resourcequotas`, {
    metadata: { name: "best-effort" },
    spec: { hard: { pods: "5" }, scopes: ["BestEffort"] },
  });
  await status(`${core}/resourcequotas/best-effort`, { hard: { pods: "5" }, used: { pods: "0" } });
  await post(`${core}/limitranges`, {
    metadata: { name: "defaults" },
    spec: {
      limits: [
        { type: "Container", default: { cpu: "500m" }, defaultRequest: { cpu: "100m" }, max: { cpu: "2" } },
        { type: "PersistentVolumeClaim", min: { storage: "1Gi" }, max: { storage: "50Gi" } },
      ],
    },
  });

  // Service accounts: one with a missing mountable secret, a pull secret and a token; a bare one.
  const builder = (await post(`${core}/serviceaccounts`, {
    metadata: { name: "builder", labels: { app: "ci" } },
    secrets: [{ name: "creds" }, { name: "ghost" }],
    imagePullSecrets: [{ name: "regcred" }],
  })) as KubeObject;
  await post(`${core}/secrets`, {
    metadata: {
      name: "builder-token",
      annotations: {
        "kubernetes.io/service-account.name": "builder",
        "kubernetes.io/service-account.uid": builder.metadata?.uid ?? "",
      },
    },
    type: "kubernetes.io/service-account-token",
    data: { "ca.crt": Buffer.from("ca").toString("base64"), namespace: Buffer.from(NS).toString("base64") },
  });
  await post(`${core}/serviceaccounts`, { metadata: { name: "plain" } });

  // Autoscalers: resource, pods, object and external metrics with a behavior; one with no status yet.
  const hpas = `/apis/autoscaling/v2/namespaces/${NS}/horizontalpodautoscalers`;
  await post(hpas, {
    metadata: { name: "web" },
    spec: {
      scaleTargetRef: { apiVersion: "apps/v1", kind: "Deployment", name: "web" },
      minReplicas: 2,
      maxReplicas: 10,
      metrics: [
        { type: "Resource", resource: { name: "cpu", target: { type: "Utilization", averageUtilization: 70 } } },
        { type: "Resource", resource: { name: "memory", target: { type: "AverageValue", averageValue: "500Mi" } } },
        {
          type: "Pods",
          pods: { metric: { name: "requests_per_second" }, target: { type: "AverageValue", averageValue: "1k" } },
        },
        {
          type: "Object",
          object: {
            metric: { name: "hits" },
            describedObject: { apiVersion: "networking.k8s.io/v1", kind: "Ingress", name: "site" },
            target: { type: "Value", value: "10k" },
          },
        },
        {
          type: "External",
          external: { metric: { name: "queue_depth" }, target: { type: "AverageValue", averageValue: "30" } },
        },
      ],
      behavior: {
        scaleDown: {
          stabilizationWindowSeconds: 300,
          policies: [{ type: "Percent", value: 10, periodSeconds: 60 }],
        },
        scaleUp: {
          selectPolicy: "Max",
          policies: [
            { type: "Pods", value: 4, periodSeconds: 15 },
            { type: "Percent", value: 100, periodSeconds: 15 },
          ],
        },
      },
    },
  });
  await status(`${hpas}/web`, {
    currentReplicas: 3,
    desiredReplicas: 4,
    currentMetrics: [
      { type: "Resource", resource: { name: "cpu", current: { averageUtilization: 85, averageValue: "425m" } } },
      { type: "Resource", resource: { name: "memory", current: { averageValue: "300Mi" } } },
      { type: "Pods", pods: { metric: { name: "requests_per_second" }, current: { averageValue: "1500m" } } },
    ],
    conditions: [
      {
        type: "AbleToScale",
        status: "True",
        reason: "ReadyForNewScale",
        message: "recommended size matches current size",
        lastTransitionTime: ago(DAY),
      },
      {
        type: "ScalingActive",
        status: "True",
        reason: "ValidMetricFound",
        message: "the HPA was able to successfully calculate a replica count from cpu resource utilization",
        lastTransitionTime: ago(DAY),
      },
    ],
  });
  await post(hpas, {
    metadata: { name: "batch" },
    spec: {
      scaleTargetRef: { apiVersion: "apps/v1", kind: "StatefulSet", name: "batch" },
      maxReplicas: 3,
      metrics: [
        { type: "Resource", resource: { name: "cpu", target: { type: "Utilization", averageUtilization: 50 } } },
      ],
    },
  });
}

before(async () => {
  if (EXTERNAL) return;
  cluster = await testCluster();
  await writeCorpus();
});

after(async () => {
  await cluster?.stop();
});

/** The Age column of a node's pod rows, masked. */
function maskPodAges(text: string): string {
  return text.replace(new RegExp(`^(  ${NS} .*\\(\\d+%\\)\\s+)\\S+$`, "gm"), "$1<age>");
}

/** Each object, with lines its description must have (the corpus is what the test means it to be). */
const CASES: { kind: string; name: string; path: string; describer: Describer; has?: string[] }[] = [
  {
    kind: "service",
    name: "web",
    path: `/api/v1/namespaces/${NS}/services/web`,
    describer: serviceDescriber,
    has: ["  Warning  SyncFailed  3d (x4 over 9d)  service-controller  could not sync load balancer"],
  },
  { kind: "service", name: "edge", path: `/api/v1/namespaces/${NS}/services/edge`, describer: serviceDescriber },
  {
    kind: "service",
    name: "upstream",
    path: `/api/v1/namespaces/${NS}/services/upstream`,
    describer: serviceDescriber,
  },
  {
    kind: "endpointslice",
    name: "web-abc12",
    path: `/apis/discovery.k8s.io/v1/namespaces/${NS}/endpointslices/web-abc12`,
    describer: endpointSliceDescriber,
  },
  {
    kind: "endpointslice",
    name: "edge-xyz",
    path: `/apis/discovery.k8s.io/v1/namespaces/${NS}/endpointslices/edge-xyz`,
    describer: endpointSliceDescriber,
  },
  {
    kind: "ingress",
    name: "site",
    path: `/apis/networking.k8s.io/v1/namespaces/${NS}/ingresses/site`,
    describer: ingressDescriber,
  },
  {
    kind: "ingress",
    name: "fallback",
    path: `/apis/networking.k8s.io/v1/namespaces/${NS}/ingresses/fallback`,
    describer: ingressDescriber,
  },
  {
    kind: "configmap",
    name: "settings",
    path: `/api/v1/namespaces/${NS}/configmaps/settings`,
    describer: configMapDescriber,
  },
  { kind: "secret", name: "creds", path: `/api/v1/namespaces/${NS}/secrets/creds`, describer: secretDescriber },
  { kind: "secret", name: "regcred", path: `/api/v1/namespaces/${NS}/secrets/regcred`, describer: secretDescriber },
  {
    kind: "persistentvolumeclaim",
    name: "data",
    path: `/api/v1/namespaces/${NS}/persistentvolumeclaims/data`,
    describer: persistentVolumeClaimDescriber,
  },
  {
    kind: "persistentvolumeclaim",
    name: "restore",
    path: `/api/v1/namespaces/${NS}/persistentvolumeclaims/restore`,
    describer: persistentVolumeClaimDescriber,
  },
  {
    kind: "node",
    name: NODE,
    path: `/api/v1/nodes/${NODE}`,
    describer: nodeDescriber,
    has: ["Non-terminated Pods:          (2 in total)", "Starting kubelet.", "in Controller"],
  },
  { kind: "namespace", name: NS, path: `/api/v1/namespaces/${NS}`, describer: namespaceDescriber },
  {
    kind: "serviceaccount",
    name: "builder",
    path: `/api/v1/namespaces/${NS}/serviceaccounts/builder`,
    describer: serviceAccountDescriber,
  },
  {
    kind: "serviceaccount",
    name: "plain",
    path: `/api/v1/namespaces/${NS}/serviceaccounts/plain`,
    describer: serviceAccountDescriber,
  },
  {
    kind: "horizontalpodautoscaler",
    name: "web",
    path: `/apis/autoscaling/v2/namespaces/${NS}/horizontalpodautoscalers/web`,
    describer: horizontalPodAutoscalerDescriber,
  },
  {
    kind: "horizontalpodautoscaler",
    name: "batch",
    path: `/apis/autoscaling/v2/namespaces/${NS}/horizontalpodautoscalers/batch`,
    describer: horizontalPodAutoscalerDescriber,
  },
];

for (const c of CASES) {
  test(`describe ${c.kind} ${c.name} matches kubectl describe line by line`, SKIP, async () => {
    const namespaced = c.kind !== "node" && c.kind !== "namespace";
    await assertDescribesLikeKubectl(cluster, { ...c, ...(namespaced ? { namespace: NS } : {}) }, maskPodAges);
  });
}
