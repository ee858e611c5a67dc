// Fixtures for the kinds other than pods: an API object and the full server-side Table row kube-apiserver prints for
// it (NAME first, wide columns included, integers as numbers). Times are relative to `now`.
import type { KubeObject } from "../../../src/kube/objects.ts";

export interface KindCase {
  name: string;
  obj: KubeObject;
  cells: (string | number)[];
}

type Json = Record<string, unknown>;

export function kindCases(now: number): KindCase[] {
  const ago = (ms: number) => new Date(now - ms).toISOString().replace(/\.\d{3}Z$/, "Z");
  const MIN = 60_000;
  const DAY = 24 * 60 * MIN;
  const meta = (name: string, extra: Json = {}) => ({
    name,
    namespace: "default",
    uid: `uid-${name}`,
    creationTimestamp: ago(3 * DAY + 4 * 60 * MIN),
    ...extra,
  });
  const template = (...containers: [string, string][]) => ({
    metadata: { labels: { app: "web" } },
    spec: { containers: containers.map(([name, image]) => ({ name, image })) },
  });

  const deployment = (name: string, spec: Json, status: Json): KubeObject => ({
    apiVersion: "apps/v1",
    kind: "Deployment",
    metadata: meta(name),
    spec: { template: template(["web", "nginx:1.27"]), ...spec },
    status,
  });
  const replicaSet = (name: string, spec: Json, status: Json): KubeObject => ({
    apiVersion: "apps/v1",
    kind: "ReplicaSet",
    metadata: meta(name),
    spec: { template: template(["web", "nginx:1.27"], ["sidecar", "envoy:1.30"]), ...spec },
    status,
  });
  const statefulSet = (name: string, spec: Json, status: Json): KubeObject => ({
    apiVersion: "apps/v1",
    kind: "StatefulSet",
    metadata: meta(name),
    spec: {
      serviceName: name,
      selector: { matchLabels: { app: "web" } },
      template: template(["db", "postgres:17"]),
      ...spec,
    },
    status,
  });
  const daemonSet = (name: string, nodeSelector: Json | undefined, spec: Json, status: Json): KubeObject => {
    const t = template(["agent", "fluent-bit:3"]) as { spec: Json };
    if (nodeSelector) t.spec.nodeSelector = nodeSelector;
    return { apiVersion: "apps/v1", kind: "DaemonSet", metadata: meta(name), spec: { template: t, ...spec }, status };
  };
  const service = (name: string, spec: Json, status: Json = {}): KubeObject => ({
    apiVersion: "v1",
    kind: "Service",
    metadata: meta(name),
    spec,
    status,
  });
  const node = (name: string, labels: Record<string, string>, spec: Json, status: Json): KubeObject => ({
    apiVersion: "v1",
    kind: "Node",
    metadata: { name, uid: `uid-${name}`, creationTimestamp: ago(85 * DAY + 60 * MIN), labels },
    spec,
    status,
  });
  const nodeInfo = {
    kubeletVersion: "v1.37.2",
    osImage: "Debian GNU/Linux 12 (bookworm)",
    kernelVersion: "6.1.0-18-amd64",
    containerRuntimeVersion: "containerd://2.0.4",
    architecture: "amd64",
  };
  const age = "3d4h";
  const sel = { matchLabels: { app: "web" } };

  return [
    // Deployments: READY ready/desired, UP-TO-DATE and AVAILABLE as integers, selector as a label query.
    {
      name: "deployment rolling out",
      obj: deployment(
        "web",
        { replicas: 3, selector: sel },
        { replicas: 3, readyReplicas: 2, updatedReplicas: 1, availableReplicas: 2 },
      ),
      cells: ["web", "2/3", 1, 2, age, "web", "nginx:1.27", "app=web"],
    },
    {
      name: "deployment without status and without replicas (defaults to 1)",
      obj: deployment("fresh", { selector: sel }, {}),
      cells: ["fresh", "0/1", 0, 0, age, "web", "nginx:1.27", "app=web"],
    },
    {
      name: "deployment scaled to zero with a set-based selector",
      obj: deployment(
        "zero",
        {
          replicas: 0,
          selector: {
            matchLabels: { tier: "front", app: "web" },
            matchExpressions: [
              { key: "env", operator: "In", values: ["prod", "canary"] },
              { key: "legacy", operator: "DoesNotExist" },
              { key: "zone", operator: "NotIn", values: ["b", "a"] },
              { key: "app.kubernetes.io/name", operator: "Exists" },
            ],
          },
        },
        {},
      ),
      cells: [
        "zero",
        "0/0",
        0,
        0,
        age,
        "web",
        "nginx:1.27",
        "app=web,app.kubernetes.io/name,env in (canary,prod),!legacy,tier=front,zone notin (a,b)",
      ],
    },

    // ReplicaSets: DESIRED, CURRENT, READY as integers.
    {
      name: "replicaset with two containers",
      obj: replicaSet("web-7d4b9c8f6d", { replicas: 5, selector: sel }, { replicas: 5, readyReplicas: 2 }),
      cells: ["web-7d4b9c8f6d", 5, 5, 2, age, "web,sidecar", "nginx:1.27,envoy:1.30", "app=web"],
    },
    {
      name: "old replicaset scaled down",
      obj: replicaSet(
        "web-5f6c7d8e9a",
        { replicas: 0, selector: { matchLabels: { app: "web", "pod-template-hash": "5f6c7d8e9a" } } },
        { replicas: 0 },
      ),
      cells: [
        "web-5f6c7d8e9a",
        0,
        0,
        0,
        age,
        "web,sidecar",
        "nginx:1.27,envoy:1.30",
        "app=web,pod-template-hash=5f6c7d8e9a",
      ],
    },

    // StatefulSets: READY ready/desired.
    {
      name: "statefulset partly ready",
      obj: statefulSet("db", { replicas: 3 }, { replicas: 3, readyReplicas: 1 }),
      cells: ["db", "1/3", age, "db", "postgres:17"],
    },
    {
      name: "statefulset without status",
      obj: statefulSet("cache", { replicas: 2 }, {}),
      cells: ["cache", "0/2", age, "db", "postgres:17"],
    },

    // DaemonSets: five integers, NODE SELECTOR as sorted k=v or <none>.
    {
      name: "daemonset everywhere",
      obj: daemonSet(
        "logs",
        undefined,
        { selector: { matchLabels: { app: "logs" } } },
        {
          desiredNumberScheduled: 4,
          currentNumberScheduled: 4,
          numberReady: 3,
          updatedNumberScheduled: 2,
          numberAvailable: 3,
        },
      ),
      cells: ["logs", 4, 4, 3, 2, 3, "<none>", age, "agent", "fluent-bit:3", "app=logs"],
    },
    {
      name: "daemonset with a node selector",
      obj: daemonSet(
        "gpu",
        { "nvidia.com/gpu": "true", "kubernetes.io/os": "linux" },
        { selector: { matchLabels: { app: "gpu" } } },
        { desiredNumberScheduled: 0, currentNumberScheduled: 0, numberReady: 0 },
      ),
      cells: [
        "gpu",
        0,
        0,
        0,
        0,
        0,
        "kubernetes.io/os=linux,nvidia.com/gpu=true",
        age,
        "agent",
        "fluent-bit:3",
        "app=gpu",
      ],
    },

    // Services: TYPE, CLUSTER-IP, EXTERNAL-IP, PORT(S), AGE, SELECTOR.
    {
      name: "ClusterIP service with two ports",
      obj: service("api", {
        type: "ClusterIP",
        clusterIP: "10.96.0.10",
        clusterIPs: ["10.96.0.10"],
        ports: [
          { name: "http", port: 80, protocol: "TCP", targetPort: 8080 },
          { name: "dns", port: 53, protocol: "UDP", targetPort: 53 },
        ],
        selector: { app: "api", tier: "back" },
      }),
      cells: ["api", "ClusterIP", "10.96.0.10", "<none>", "80/TCP,53/UDP", age, "app=api,tier=back"],
    },
    {
      name: "NodePort service",
      obj: service("np", {
        type: "NodePort",
        clusterIP: "10.96.1.1",
        clusterIPs: ["10.96.1.1"],
        ports: [
          { port: 80, protocol: "TCP", nodePort: 30080, targetPort: 80 },
          { port: 443, protocol: "TCP", nodePort: 30443, targetPort: 443 },
        ],
        selector: { app: "np" },
      }),
      cells: ["np", "NodePort", "10.96.1.1", "<none>", "80:30080/TCP,443:30443/TCP", age, "app=np"],
    },
    {
      name: "LoadBalancer service still pending",
      obj: service("lb", {
        type: "LoadBalancer",
        clusterIP: "10.96.2.2",
        clusterIPs: ["10.96.2.2"],
        ports: [{ port: 443, protocol: "TCP", nodePort: 31443, targetPort: 8443 }],
        selector: { app: "lb" },
      }),
      cells: ["lb", "LoadBalancer", "10.96.2.2", "<pending>", "443:31443/TCP", age, "app=lb"],
    },
    {
      name: "LoadBalancer with ingress points (sorted, de-duplicated, never shortened) and external IPs",
      obj: service(
        "lb2",
        {
          type: "LoadBalancer",
          clusterIP: "10.96.2.3",
          clusterIPs: ["10.96.2.3"],
          externalIPs: ["192.0.2.50"],
          ports: [{ port: 80, protocol: "TCP", nodePort: 31080, targetPort: 80 }],
        },
        {
          loadBalancer: {
            ingress: [
              { ip: "203.0.113.9" },
              { hostname: "a1b2c3d4e5f6-1234567890.eu-west-1.elb.amazonaws.com" },
              { ip: "198.51.100.7" },
              { ip: "203.0.113.9" },
            ],
          },
        },
      ),
      cells: [
        "lb2",
        "LoadBalancer",
        "10.96.2.3",
        "198.51.100.7,203.0.113.9,a1b2c3d4e5f6-1234567890.eu-west-1.elb.amazonaws.com,192.0.2.50",
        "80:31080/TCP",
        age,
        "<none>",
      ],
    },
    {
      name: "ExternalName service",
      obj: service("ext", { type: "ExternalName", externalName: "db.example.com" }),
      cells: ["ext", "ExternalName", "<none>", "db.example.com", "<none>", age, "<none>"],
    },
    {
      name: "headless service with ClusterIP external IPs",
      obj: service("headless", {
        type: "ClusterIP",
        clusterIP: "None",
        clusterIPs: ["None"],
        externalIPs: ["192.0.2.1", "192.0.2.2"],
        ports: [{ port: 5432, protocol: "TCP", targetPort: 5432 }],
        selector: { app: "db" },
      }),
      cells: ["headless", "ClusterIP", "None", "192.0.2.1,192.0.2.2", "5432/TCP", age, "app=db"],
    },
    {
      name: "service without type or protocol gets the API defaults",
      obj: service("bare", { clusterIP: "10.96.3.3", clusterIPs: ["10.96.3.3"], ports: [{ port: 8080 }] }),
      cells: ["bare", "ClusterIP", "10.96.3.3", "<none>", "8080/TCP", age, "<none>"],
    },

    // Namespaces.
    {
      name: "active namespace",
      obj: { apiVersion: "v1", kind: "Namespace", metadata: meta("team-a"), status: { phase: "Active" } },
      cells: ["team-a", "Active", age],
    },
    {
      name: "terminating namespace",
      obj: {
        apiVersion: "v1",
        kind: "Namespace",
        metadata: meta("old", { deletionTimestamp: ago(MIN) }),
        status: { phase: "Terminating" },
      },
      cells: ["old", "Terminating", age],
    },

    // Nodes: STATUS from the Ready condition plus SchedulingDisabled, ROLES from labels, wide system info.
    {
      name: "ready control-plane node",
      obj: node(
        "cp-1",
        { "node-role.kubernetes.io/control-plane": "", "kubernetes.io/hostname": "cp-1" },
        {},
        {
          conditions: [
            { type: "MemoryPressure", status: "False" },
            { type: "Ready", status: "True" },
          ],
          addresses: [
            { type: "Hostname", address: "cp-1" },
            { type: "InternalIP", address: "172.18.0.2" },
          ],
          nodeInfo,
        },
      ),
      cells: [
        "cp-1",
        "Ready",
        "control-plane",
        "85d",
        "v1.37.2",
        "172.18.0.2",
        "<none>",
        "Debian GNU/Linux 12 (bookworm)",
        "6.1.0-18-amd64 (amd64)",
        "containerd://2.0.4",
      ],
    },
    {
      name: "cordoned node that is not ready, several roles",
      obj: node(
        "w-1",
        {
          "node-role.kubernetes.io/worker": "",
          "node-role.kubernetes.io/gpu": "true",
          "kubernetes.io/role": "infra",
          "node-role.kubernetes.io/": "",
        },
        { unschedulable: true },
        {
          conditions: [{ type: "Ready", status: "False" }],
          addresses: [
            { type: "ExternalIP", address: "203.0.113.4" },
            { type: "InternalIP", address: "10.0.0.4" },
            { type: "InternalIP", address: "10.0.0.5" },
          ],
          nodeInfo,
        },
      ),
      cells: [
        "w-1",
        "NotReady,SchedulingDisabled",
        "gpu,infra,worker",
        "85d",
        "v1.37.2",
        "10.0.0.4",
        "203.0.113.4",
        "Debian GNU/Linux 12 (bookworm)",
        "6.1.0-18-amd64 (amd64)",
        "containerd://2.0.4",
      ],
    },
    {
      name: "new node without conditions or system info",
      obj: node("w-2", { "kubernetes.io/role": "" }, { unschedulable: true }, {}),
      cells: [
        "w-2",
        "Unknown,SchedulingDisabled",
        "<none>",
        "85d",
        "",
        "<none>",
        "<none>",
        "<unknown>",
        "<unknown>",
        "<unknown>",
      ],
    },
    {
      name: "node whose Ready condition is Unknown",
      obj: node(
        "w-3",
        {},
        {},
        { conditions: [{ type: "Ready", status: "Unknown" }], nodeInfo: { architecture: "arm64" } },
      ),
      cells: [
        "w-3",
        "NotReady",
        "<none>",
        "85d",
        "",
        "<none>",
        "<none>",
        "<unknown>",
        "<unknown> (arm64)",
        "<unknown>",
      ],
    },
  ];
}
