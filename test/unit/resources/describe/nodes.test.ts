// kubectl describe node: roles, taints, lease, conditions, addresses, capacity/allocatable, system info, the
// non-terminated pods' requests and limits against what the node allocates (percentages truncated), the totals
// (sums keep the first term's format: "1088Mi", "133554432"), huge pages and extended resources, both event searches.
process.env.TZ = "UTC";

import assert from "node:assert/strict";
import { test } from "node:test";
import type { KubeObject } from "../../../../src/kube/objects.ts";
import { quantityString } from "../../../../src/resources/describe/kit.ts";
import { nodeDescriber, podRequestsAndLimits } from "../../../../src/resources/describe/nodes.ts";
import type { DescribeInput } from "../../../../src/resources/describe/types.ts";

const NOW = Date.parse("2026-03-10T12:00:00Z");

const node: KubeObject = {
  apiVersion: "v1",
  kind: "Node",
  metadata: {
    name: "worker-1",
    uid: "u-node",
    creationTimestamp: "2026-01-05T08:00:00Z",
    labels: {
      "kubernetes.io/hostname": "worker-1",
      "kubernetes.io/os": "linux",
      "node-role.kubernetes.io/worker": "",
      "kubernetes.io/role": "ingress",
    },
    annotations: {
      "node.alpha.kubernetes.io/ttl": "0",
      "volumes.kubernetes.io/controller-managed-attach-detach": "true",
    },
  },
  spec: {
    podCIDR: "10.244.1.0/24",
    podCIDRs: ["10.244.1.0/24", "fd00:1::/64"],
    providerID: "aws:///eu-west-1a/i-0abc",
    taints: [
      { key: "dedicated", value: "db", effect: "NoSchedule" },
      { key: "node.kubernetes.io/unreachable", effect: "NoExecute", timeAdded: "2026-03-10T11:00:00Z" },
      { key: "gpu", effect: "NoSchedule" },
    ],
    unschedulable: true,
  },
  status: {
    conditions: [
      {
        type: "MemoryPressure",
        status: "False",
        lastHeartbeatTime: "2026-03-10T11:59:40Z",
        lastTransitionTime: "2026-01-05T08:01:00Z",
        reason: "KubeletHasSufficientMemory",
        message: "kubelet has sufficient memory available",
      },
      {
        type: "Ready",
        status: "True",
        lastHeartbeatTime: "2026-03-10T11:59:40Z",
        lastTransitionTime: "2026-01-05T08:02:00Z",
        reason: "KubeletReady",
        message: "kubelet is posting ready status",
      },
    ],
    addresses: [
      { type: "InternalIP", address: "10.0.1.20" },
      { type: "Hostname", address: "worker-1" },
    ],
    capacity: {
      cpu: "4",
      memory: "16318420Ki",
      "ephemeral-storage": "101430960Ki",
      "hugepages-2Mi": "1Gi",
      "nvidia.com/gpu": "2",
      pods: "110",
    },
    allocatable: {
      cpu: "3800m",
      memory: "15216084Ki",
      "ephemeral-storage": "93478772582",
      "hugepages-2Mi": "1Gi",
      "nvidia.com/gpu": "2",
      pods: "110",
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
  },
};

const container = (name: string, resources: unknown) => ({ name, image: `registry.example/${name}:1`, resources });
const pods: KubeObject[] = [
  {
    metadata: { name: "cache-0", namespace: "shop", creationTimestamp: "2026-03-10T11:30:00Z" },
    spec: {
      containers: [container("cache", { requests: { memory: "100M", "ephemeral-storage": "1Gi" } })],
      initContainers: [
        { ...container("proxy", { requests: { cpu: "100m", memory: "32Mi" } }), restartPolicy: "Always" },
      ],
    },
  },
  {
    metadata: { name: "db-0", namespace: "shop", creationTimestamp: "2026-03-01T12:00:00Z" },
    spec: {
      containers: [
        container("db", { requests: { cpu: "500m", memory: "1Gi" }, limits: { cpu: "1", memory: "2Gi" } }),
        container("exporter", {
          requests: { cpu: "50m", memory: "64Mi", "hugepages-2Mi": "256Mi" },
          limits: { "nvidia.com/gpu": "1", "hugepages-2Mi": "256Mi" },
        }),
      ],
      initContainers: [container("init", { requests: { cpu: "2", memory: "100M" } })],
      overhead: { cpu: "250m", memory: "120Mi" },
    },
  },
];

test("related: the node's non-terminated pods, its lease, and its events under its name as the UID", () => {
  assert.deepEqual(nodeDescriber.related?.(node), {
    pods: "/api/v1/pods?fieldSelector=spec.nodeName%3Dworker-1%2Cstatus.phase!%3DSucceeded%2Cstatus.phase!%3DFailed",
    lease: "/apis/coordination.k8s.io/v1/namespaces/kube-node-lease/leases/worker-1",
    eventsByName:
      "/api/v1/events?fieldSelector=involvedObject.kind%3DNode%2CinvolvedObject.name%3Dworker-1%2CinvolvedObject.namespace%3D%2CinvolvedObject.uid%3Dworker-1",
  });
});

test("a pod's requests: containers summed, the init peak, sidecars, overhead; limits: overhead only on what is set", () => {
  const text = (list: Map<string, { nanos: bigint; format: "DecimalSI" | "BinarySI" | "DecimalExponent" }>) =>
    Object.fromEntries([...list].map(([k, q]) => [k, quantityString(q)]));
  const db = podRequestsAndLimits(pods[1]!);
  // cpu: max(500m+50m, init 2) + 250m; memory: max(1Gi+64Mi, 100M) + 120Mi.
  assert.deepEqual(text(db.requests), { cpu: "2250m", memory: "1208Mi", "hugepages-2Mi": "256Mi" });
  assert.deepEqual(text(db.limits), {
    cpu: "1250m",
    memory: "2168Mi",
    "nvidia.com/gpu": "1",
    "hugepages-2Mi": "256Mi",
  });
  const cache = podRequestsAndLimits(pods[0]!);
  // A sidecar adds to the containers' sum: 100M + 32Mi keeps the first term's (decimal) format.
  assert.deepEqual(text(cache.requests), { memory: "133554432", "ephemeral-storage": "1Gi", cpu: "100m" });
});

const CASES: { name: string; input: DescribeInput; want: string[] }[] = [
  {
    name: "a node with pods, a lease, and events from both searches",
    input: {
      object: node,
      events: [
        {
          type: "Normal",
          reason: "RegisteredNode",
          message: "Node worker-1 event: Registered Node worker-1 in Controller",
          source: { component: "node-controller" },
          count: 1,
          firstTimestamp: "2026-03-04T12:00:00Z",
          lastTimestamp: "2026-03-04T12:00:00Z",
        },
      ],
      related: {
        pods,
        lease: {
          metadata: { name: "worker-1", namespace: "kube-node-lease" },
          spec: { holderIdentity: "worker-1", leaseDurationSeconds: 40, renewTime: "2026-03-10T11:59:58.123456Z" },
        },
        eventsByName: [
          {
            type: "Normal",
            reason: "NodeNotSchedulable",
            message: "Node worker-1 status is now: NodeNotSchedulable",
            source: { component: "kubelet", host: "worker-1" },
            count: 2,
            firstTimestamp: "2026-03-01T12:00:00Z",
            lastTimestamp: "2026-03-03T12:00:00Z",
          },
        ],
      },
      now: NOW,
    },
    want: [
      "Name:               worker-1",
      "Roles:              ingress,worker",
      "Labels:             kubernetes.io/hostname=worker-1",
      "                    kubernetes.io/os=linux",
      "                    kubernetes.io/role=ingress",
      "                    node-role.kubernetes.io/worker=",
      "Annotations:        node.alpha.kubernetes.io/ttl: 0",
      "                    volumes.kubernetes.io/controller-managed-attach-detach: true",
      "CreationTimestamp:  Mon, 05 Jan 2026 08:00:00 +0000",
      "Taints:             node.kubernetes.io/unreachable:NoExecute",
      "                    dedicated=db:NoSchedule",
      "                    gpu:NoSchedule",
      "Unschedulable:      true",
      "Lease:",
      "  HolderIdentity:  worker-1",
      "  AcquireTime:     <unset>",
      "  RenewTime:       Tue, 10 Mar 2026 11:59:58 +0000",
      "Conditions:",
      "  Type             Status  LastHeartbeatTime                 LastTransitionTime                Reason                       Message",
      "  ----             ------  -----------------                 ------------------                ------                       -------",
      "  MemoryPressure   False   Tue, 10 Mar 2026 11:59:40 +0000   Mon, 05 Jan 2026 08:01:00 +0000   KubeletHasSufficientMemory   kubelet has sufficient memory available",
      "  Ready            True    Tue, 10 Mar 2026 11:59:40 +0000   Mon, 05 Jan 2026 08:02:00 +0000   KubeletReady                 kubelet is posting ready status",
      "Addresses:",
      "  InternalIP:  10.0.1.20",
      "  Hostname:    worker-1",
      "Capacity:",
      "  cpu:                4",
      "  ephemeral-storage:  101430960Ki",
      "  hugepages-2Mi:      1Gi",
      "  memory:             16318420Ki",
      "  nvidia.com/gpu:     2",
      "  pods:               110",
      "Allocatable:",
      "  cpu:                3800m",
      "  ephemeral-storage:  93478772582",
      "  hugepages-2Mi:      1Gi",
      "  memory:             15216084Ki",
      "  nvidia.com/gpu:     2",
      "  pods:               110",
      "System Info:",
      "  Machine ID:                 ec2a1b",
      "  System UUID:                ec2a1b-uuid",
      "  Boot ID:                    boot-1",
      "  Kernel Version:             6.1.0-18-amd64",
      "  OS Image:                   Debian GNU/Linux 12 (bookworm)",
      "  Operating System:           linux",
      "  Architecture:               amd64",
      "  Container Runtime Version:  containerd://1.7.13",
      "  Kubelet Version:            v1.32.4",
      "  Kube-Proxy Version:         v1.32.4",
      "PodCIDR:                      10.244.1.0/24",
      "PodCIDRs:                     10.244.1.0/24,fd00:1::/64",
      "ProviderID:                   aws:///eu-west-1a/i-0abc",
      "Non-terminated Pods:          (2 in total)",
      "  Namespace                   Name       CPU Requests  CPU Limits   Memory Requests  Memory Limits  Age",
      "  ---------                   ----       ------------  ----------   ---------------  -------------  ---",
      "  shop                        cache-0    100m (2%)     0 (0%)       133554432 (0%)   0 (0%)         30m",
      "  shop                        db-0       2250m (59%)   1250m (32%)  1208Mi (8%)      2168Mi (14%)   9d",
      "Allocated resources:",
      "  (Total limits may be over 100 percent, i.e., overcommitted.)",
      "  Resource           Requests         Limits",
      "  --------           --------         ------",
      "  cpu                2350m (61%)      1250m (32%)",
      "  memory             1400234240 (8%)  2168Mi (14%)",
      "  ephemeral-storage  1Gi (1%)         0 (0%)",
      "  hugepages-2Mi      256Mi (25%)      256Mi (25%)",
      "  nvidia.com/gpu     0                1",
      "Events:",
      "  Type    Reason              Age              From             Message",
      "  ----    ------              ----             ----             -------",
      "  Normal  NodeNotSchedulable  7d (x2 over 9d)  kubelet          Node worker-1 status is now: NodeNotSchedulable",
      "  Normal  RegisteredNode      6d               node-controller  Node worker-1 event: Registered Node worker-1 in Controller",
    ],
  },
  {
    name: "a bare node: no lease, pods not listed (refused), nothing allocatable",
    input: {
      object: { metadata: { name: "bare", creationTimestamp: "2026-03-10T11:00:00Z" }, spec: {}, status: {} },
      events: [],
      related: { pods: undefined, lease: undefined, eventsByName: [] },
      now: NOW,
    },
    want: [
      "Name:               bare",
      "Roles:              <none>",
      "Labels:             <none>",
      "Annotations:        <none>",
      "CreationTimestamp:  Tue, 10 Mar 2026 11:00:00 +0000",
      "Taints:             <none>",
      "Unschedulable:      false",
      'Lease:              Failed to get lease: leases.coordination.k8s.io "bare" not found',
      "Addresses:",
      "System Info:",
      "  Machine ID:                 ",
      "  System UUID:                ",
      "  Boot ID:                    ",
      "  Kernel Version:             ",
      "  OS Image:                   ",
      "  Operating System:           ",
      "  Architecture:               ",
      "  Container Runtime Version:  ",
      "  Kubelet Version:            ",
      "  Kube-Proxy Version:         ",
      "Pods:                         not authorized",
      "Events:                       <none>",
    ],
  },
  {
    name: "a node without allocatable: capacity is what pods are measured against; no pods",
    input: {
      object: {
        metadata: { name: "small", creationTimestamp: "2026-03-10T11:00:00Z" },
        spec: {},
        status: { capacity: { cpu: "2", memory: "4Gi", pods: "10" } },
      },
      events: [],
      related: { pods: [], lease: undefined, eventsByName: [] },
      now: NOW,
    },
    want: [
      "Name:               small",
      "Roles:              <none>",
      "Labels:             <none>",
      "Annotations:        <none>",
      "CreationTimestamp:  Tue, 10 Mar 2026 11:00:00 +0000",
      "Taints:             <none>",
      "Unschedulable:      false",
      'Lease:              Failed to get lease: leases.coordination.k8s.io "small" not found',
      "Addresses:",
      "Capacity:",
      "  cpu:     2",
      "  memory:  4Gi",
      "  pods:    10",
      "System Info:",
      "  Machine ID:                 ",
      "  System UUID:                ",
      "  Boot ID:                    ",
      "  Kernel Version:             ",
      "  OS Image:                   ",
      "  Operating System:           ",
      "  Architecture:               ",
      "  Container Runtime Version:  ",
      "  Kubelet Version:            ",
      "  Kube-Proxy Version:         ",
      "Non-terminated Pods:          (0 in total)",
      "  Namespace                   Name    CPU Requests  CPU Limits  Memory Requests  Memory Limits  Age",
      "  ---------                   ----    ------------  ----------  ---------------  -------------  ---",
      "Allocated resources:",
      "  (Total limits may be over 100 percent, i.e., overcommitted.)",
      "  Resource           Requests  Limits",
      "  --------           --------  ------",
      "  cpu                0 (0%)    0 (0%)",
      "  memory             0 (0%)    0 (0%)",
      "  ephemeral-storage  0 (0%)    0 (0%)",
      "Events:              <none>",
    ],
  },
];

for (const c of CASES) {
  test(c.name, () => {
    const text = nodeDescriber.describe(c.input);
    assert.equal(text, c.want.join("\n"));
  });
}
