// Objects of every kind besides pods that Timoneiro prints, in the states their kubectl columns distinguish. Without
// controllers nothing changes them after the test writes them: spec through the API, status through the status
// subresource (as the controllers and the kubelet would).
//
// On an external cluster (lib/target.ts) the corpus is made safe to write there, and some of it is left out: no
// nodes (a scheduler or DaemonSet would use them) and no Terminating namespace (the namespace controller finishes the
// deletion); the workloads' pods can never be scheduled (a scheduler name no scheduler serves), so no container ever
// runs, and their controllers own (and rewrite) the status the corpus writes; no NodePort, LoadBalancer (a cloud would
// provision one) or externalIPs service (admission may refuse it, and it would claim those addresses).
import assert from "node:assert/strict";
import { createNamespace, type Json } from "./api.ts";
import { type Api, EXTERNAL, NO_SCHEDULER } from "./target.ts";

export const KINDS_NAMESPACE = "kinds";

async function post(cluster: Api, path: string, body: Json): Promise<void> {
  const res = await cluster.request("POST", path, body);
  assert.equal(res.status, 201, `POST ${path}: ${res.body.toString("utf8").slice(0, 2000)}`);
}

async function patchStatus(cluster: Api, path: string, status: Json): Promise<void> {
  const res = await cluster.request(
    "PATCH",
    `${path}/status`,
    { status },
    {
      headers: { "Content-Type": "application/merge-patch+json" },
    },
  );
  assert.equal(res.status, 200, `PATCH ${path}/status: ${res.body.toString("utf8").slice(0, 2000)}`);
}

const template = (app: string, containers: Json[] = [{ name: app, image: `registry.example/${app}:1.2` }]): Json => ({
  metadata: { labels: { app } },
  spec: { containers, ...(EXTERNAL && { schedulerName: NO_SCHEDULER }) },
});

function nodeStatus(ready: "True" | "False" | undefined, extra: Json = {}): Json {
  const now = new Date().toISOString().replace(/\.\d+Z$/, "Z");
  return {
    ...(ready !== undefined && {
      conditions: [
        { type: "Ready", status: ready, reason: "KubeletReady", lastHeartbeatTime: now, lastTransitionTime: now },
      ],
    }),
    nodeInfo: {
      machineID: "m",
      systemUUID: "s",
      bootID: "b",
      kernelVersion: "6.8.0-45-generic",
      osImage: "Ubuntu 24.04.1 LTS",
      containerRuntimeVersion: "containerd://2.0.0",
      kubeletVersion: "v1.37.2",
      kubeProxyVersion: "",
      operatingSystem: "linux",
      architecture: "amd64",
    },
    ...extra,
  };
}

/** Writes the corpus into namespace `ns`; returns when every object and status is written. */
export async function writeKindsCorpus(cluster: Api, ns = KINDS_NAMESPACE): Promise<void> {
  await createNamespace(cluster, ns);

  // Nodes: Ready with roles and both addresses; NotReady and cordoned; no conditions at all (Unknown).
  const nodes: { name: string; labels: Json; unschedulable?: boolean; status: Json }[] = [
    {
      name: "cp-1",
      labels: { "node-role.kubernetes.io/control-plane": "", "node-role.kubernetes.io/etcd": "" },
      status: nodeStatus("True", {
        addresses: [
          { type: "InternalIP", address: "192.168.0.10" },
          { type: "ExternalIP", address: "203.0.113.10" },
          { type: "Hostname", address: "cp-1" },
        ],
      }),
    },
    {
      name: "worker-1",
      labels: { "kubernetes.io/role": "worker" },
      unschedulable: true,
      status: nodeStatus("False", { addresses: [{ type: "InternalIP", address: "192.168.0.11" }] }),
    },
    { name: "worker-2", labels: {}, status: nodeStatus(undefined) },
  ];
  for (const node of EXTERNAL ? [] : nodes) {
    await post(cluster, "/api/v1/nodes", {
      apiVersion: "v1",
      kind: "Node",
      metadata: { name: node.name, labels: node.labels },
      spec: node.unschedulable ? { unschedulable: true } : {},
    });
    await patchStatus(cluster, `/api/v1/nodes/${node.name}`, node.status);
  }

  // Namespaces: Active, and Terminating (no namespace controller finishes the deletion).
  if (!EXTERNAL) {
    await createNamespace(cluster, "doomed");
    const deleted = await cluster.request("DELETE", "/api/v1/namespaces/doomed");
    assert.ok(deleted.status === 200 || deleted.status === 202, deleted.body.toString());
  }

  const apps = `/apis/apps/v1/namespaces/${ns}`;
  await post(cluster, `${apps}/deployments`, {
    metadata: { name: "web" },
    spec: {
      replicas: 3,
      selector: { matchLabels: { app: "web" } },
      template: template("web", [
        { name: "nginx", image: "nginx:1.27" },
        { name: "sidecar", image: "registry.example/log:2" },
      ]),
    },
  });
  await patchStatus(cluster, `${apps}/deployments/web`, {
    replicas: 3,
    updatedReplicas: 3,
    readyReplicas: 2,
    availableReplicas: 2,
    observedGeneration: 1,
  });
  await post(cluster, `${apps}/deployments`, {
    metadata: { name: "idle" },
    spec: {
      replicas: 0,
      selector: {
        matchLabels: { app: "idle" },
        matchExpressions: [{ key: "tier", operator: "In", values: ["back", "front"] }],
      },
      template: { metadata: { labels: { app: "idle", tier: "back" } }, spec: template("idle").spec },
    },
  });

  await post(cluster, `${apps}/replicasets`, {
    metadata: { name: "web-5d8f7c9b4" },
    spec: { replicas: 3, selector: { matchLabels: { app: "web" } }, template: template("web") },
  });
  await patchStatus(cluster, `${apps}/replicasets/web-5d8f7c9b4`, { replicas: 3, readyReplicas: 1 });

  await post(cluster, `${apps}/statefulsets`, {
    metadata: { name: "db" },
    spec: { replicas: 3, serviceName: "db", selector: { matchLabels: { app: "db" } }, template: template("db") },
  });
  await patchStatus(cluster, `${apps}/statefulsets/db`, { replicas: 3, readyReplicas: 2, availableReplicas: 2 });

  await post(cluster, `${apps}/daemonsets`, {
    metadata: { name: "agent" },
    spec: {
      selector: { matchLabels: { app: "agent" } },
      template: {
        ...template("agent"),
        spec: { ...(template("agent").spec as Json), nodeSelector: { "kubernetes.io/os": "linux", disk: "ssd" } },
      },
    },
  });
  await patchStatus(cluster, `${apps}/daemonsets/agent`, {
    desiredNumberScheduled: 3,
    currentNumberScheduled: 3,
    numberReady: 2,
    updatedNumberScheduled: 1,
    numberAvailable: 2,
    numberMisscheduled: 0,
  });
  await post(cluster, `${apps}/daemonsets`, {
    metadata: { name: "everywhere" },
    spec: { selector: { matchLabels: { app: "everywhere" } }, template: template("everywhere") },
  });

  const core = `/api/v1/namespaces/${ns}`;
  const ports = [
    { name: "http", port: 80, targetPort: 8080, protocol: "TCP" },
    { name: "dns", port: 53, protocol: "UDP" },
  ];
  await post(cluster, `${core}/services`, { metadata: { name: "web" }, spec: { selector: { app: "web" }, ports } });
  await post(cluster, `${core}/services`, {
    metadata: { name: "db" },
    spec: { clusterIP: "None", selector: { app: "db" }, ports: [{ port: 5432 }] },
  });
  await post(cluster, `${core}/services`, {
    metadata: { name: "alias" },
    spec: { type: "ExternalName", externalName: "db.example.com" },
  });
  await post(cluster, `${core}/services`, { metadata: { name: "no-ports" }, spec: { clusterIP: "None" } });
  if (EXTERNAL) return;
  await post(cluster, `${core}/services`, {
    metadata: { name: "nodeport" },
    spec: { type: "NodePort", selector: { app: "web" }, ports: [{ port: 80, nodePort: 30080 }] },
  });
  await post(cluster, `${core}/services`, {
    metadata: { name: "lb-pending" },
    spec: { type: "LoadBalancer", ports: [{ port: 443, nodePort: 30443 }] },
  });
  await post(cluster, `${core}/services`, {
    metadata: { name: "lb" },
    spec: { type: "LoadBalancer", ports: [{ port: 443, nodePort: 30444 }] },
  });
  await patchStatus(cluster, `${core}/services/lb`, {
    loadBalancer: { ingress: [{ ip: "198.51.100.7" }, { hostname: "lb.example.com" }] },
  });
  await post(cluster, `${core}/services`, {
    metadata: { name: "external-ips" },
    spec: { externalIPs: ["198.51.100.20", "198.51.100.21"], ports: [{ port: 8443, protocol: "TCP" }] },
  });
}
