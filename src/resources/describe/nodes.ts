// `kubectl describe node`, from kubectl's describeNode: roles, labels, taints, the node's lease, the conditions
// table, addresses, capacity and allocatable, system info, pod CIDRs, the non-terminated pods with their requests and
// limits against what the node can allocate, the totals ("Allocated resources"), and the events.
import type { KubeObject } from "../../kube/objects.ts";
import { parseOptionalTime, since } from "../format.ts";
import { quantityText } from "../quantity.ts";
import { describeEvents, eventsPath } from "./events.ts";
import {
  addResourceList,
  maxResourceList,
  meta,
  milliValue,
  percent,
  quantityString,
  type ResourceList,
  resourceList,
  unitValue,
  writeList,
  ZERO,
} from "./kit.ts";
import type { Describer } from "./types.ts";
import { annotationsMultiline, arr, byteOrder, DescribeWriter, labelsMultiline, obj, rfc1123z, str } from "./writer.ts";

type Json = Record<string, unknown>;

/** findNodeRoles: node-role.kubernetes.io/<role> labels and the kubernetes.io/role label, sorted. */
function nodeRoles(labels: Json): string[] {
  const roles = new Set<string>();
  for (const [k, v] of Object.entries(labels)) {
    if (k.startsWith("node-role.kubernetes.io/")) {
      const role = k.slice("node-role.kubernetes.io/".length);
      if (role !== "") roles.add(role);
    } else if (k === "kubernetes.io/role" && str(v) !== "") roles.add(str(v));
  }
  return [...roles].sort(byteOrder);
}

/** Taint.ToString: "key=value:Effect" ("key:Effect" without a value). */
function taintText(t: Json): string {
  return str(t.value) === "" ? `${str(t.key)}:${str(t.effect)}` : `${str(t.key)}=${str(t.value)}:${str(t.effect)}`;
}

/** kubectl's resourcehelper.PodRequestsAndLimits: containers summed, init containers' peak, sidecars, overhead. */
export function podRequestsAndLimits(pod: KubeObject): { requests: ResourceList; limits: ResourceList } {
  const spec = obj(pod.spec);
  const status = obj(pod.status);
  const statuses = new Map<string, Json>();
  for (const s of arr(status.containerStatuses)) statuses.set(str(obj(s).name), obj(s));
  const requests: ResourceList = new Map();
  for (const c of arr(spec.containers)) {
    let reqs = resourceList(obj(obj(c).resources).requests);
    const cs = statuses.get(str(obj(c).name));
    if (cs?.resources !== undefined && cs.resources !== null) {
      const actual = resourceList(obj(cs.resources).requests);
      if (str(status.resize) === "Infeasible") reqs = actual;
      else {
        const merged: ResourceList = new Map();
        for (const [k, q] of reqs) {
          const other = actual.get(k);
          merged.set(k, other !== undefined && q.nanos <= other.nanos ? other : q);
        }
        for (const [k, q] of actual) if (!merged.has(k)) merged.set(k, q);
        reqs = merged;
      }
    }
    addResourceList(requests, reqs);
  }
  const limits: ResourceList = new Map();
  for (const c of arr(spec.containers)) addResourceList(limits, resourceList(obj(obj(c).resources).limits));
  for (const [total, field] of [
    [requests, "requests"],
    [limits, "limits"],
  ] as const) {
    const sidecars: ResourceList = new Map();
    const initPeak: ResourceList = new Map();
    for (const c of arr(spec.initContainers)) {
      let own = resourceList(obj(obj(c).resources)[field]);
      if (str(obj(c).restartPolicy) === "Always") {
        addResourceList(total, own);
        addResourceList(sidecars, own);
        own = sidecars;
      } else {
        const tmp: ResourceList = new Map();
        addResourceList(tmp, own);
        addResourceList(tmp, sidecars);
        own = tmp;
      }
      maxResourceList(initPeak, own);
    }
    maxResourceList(total, initPeak);
  }
  const overhead = resourceList(spec.overhead);
  addResourceList(requests, overhead);
  for (const [k, q] of overhead) {
    const have = limits.get(k);
    if (have !== undefined && have.nanos !== 0n) addResourceList(limits, new Map([[k, q]]));
  }
  return { requests, limits };
}

const STANDARD = new Set(["cpu", "memory", "ephemeral-storage"]);

function describeNodeResource(w: DescribeWriter, node: KubeObject, pods: readonly KubeObject[], now: number): void {
  const status = obj(node.status);
  w.write(0, `Non-terminated Pods:\t(${pods.length} in total)\n`);
  w.write(1, "Namespace\tName\t\tCPU Requests\tCPU Limits\tMemory Requests\tMemory Limits\tAge\n");
  w.write(1, "---------\t----\t\t------------\t----------\t---------------\t-------------\t---\n");
  const allocatableJson = Object.keys(obj(status.allocatable)).length > 0 ? status.allocatable : status.capacity;
  const allocatable = resourceList(allocatableJson);
  const cpu = milliValue(allocatable.get("cpu") ?? ZERO);
  const memory = unitValue(allocatable.get("memory") ?? ZERO);
  const requests: ResourceList = new Map();
  const limits: ResourceList = new Map();
  for (const pod of pods) {
    const own = podRequestsAndLimits(pod);
    addResourceList(requests, own.requests);
    addResourceList(limits, own.limits);
    const cpuReq = own.requests.get("cpu") ?? ZERO;
    const cpuLim = own.limits.get("cpu") ?? ZERO;
    const memReq = own.requests.get("memory") ?? ZERO;
    const memLim = own.limits.get("memory") ?? ZERO;
    const age = since(parseOptionalTime(pod.metadata?.creationTimestamp), now);
    w.write(
      1,
      `${str(pod.metadata?.namespace)}\t${str(pod.metadata?.name)}\t\t` +
        `${quantityString(cpuReq)} (${percent(milliValue(cpuReq), cpu)}%)\t` +
        `${quantityString(cpuLim)} (${percent(milliValue(cpuLim), cpu)}%)\t` +
        `${quantityString(memReq)} (${percent(unitValue(memReq), memory)}%)\t` +
        `${quantityString(memLim)} (${percent(unitValue(memLim), memory)}%)\t${age}\n`,
    );
  }
  w.write(0, "Allocated resources:\n  (Total limits may be over 100 percent, i.e., overcommitted.)\n");
  w.write(1, "Resource\tRequests\tLimits\n");
  w.write(1, "--------\t--------\t------\n");
  const row = (name: string, value: (q: typeof ZERO) => bigint, of: bigint) => {
    const req = requests.get(name) ?? ZERO;
    const lim = limits.get(name) ?? ZERO;
    const reqPct = of !== 0n ? percent(value(req), of) : "0";
    const limPct = of !== 0n ? percent(value(lim), of) : "0";
    w.write(1, `${name}\t${quantityString(req)} (${reqPct}%)\t${quantityString(lim)} (${limPct}%)\n`);
  };
  row("cpu", milliValue, cpu);
  row("memory", unitValue, memory);
  row("ephemeral-storage", unitValue, unitValue(allocatable.get("ephemeral-storage") ?? ZERO));
  const names = [...allocatable.keys()].sort(byteOrder);
  for (const name of names) {
    if (name.startsWith("hugepages-")) row(name, unitValue, unitValue(allocatable.get(name) ?? ZERO));
  }
  for (const name of names) {
    if (name.startsWith("hugepages-") || STANDARD.has(name) || name === "pods") continue;
    w.write(1, `${name}\t${quantityString(requests.get(name) ?? ZERO)}\t${quantityString(limits.get(name) ?? ZERO)}\n`);
  }
}

/** printResourceList: "  name:\tquantity", sorted by name. */
function writeResources(w: DescribeWriter, list: Json): void {
  for (const name of Object.keys(list).sort(byteOrder)) w.write(0, `  ${name}:\t${quantityText(list[name])}\n`);
}

export const nodeDescriber: Describer = {
  related(object) {
    const name = meta(object).name;
    const selector = `spec.nodeName=${name},status.phase!=Succeeded,status.phase!=Failed`;
    return {
      pods: `/api/v1/pods?fieldSelector=${encodeURIComponent(selector)}`,
      lease: `/apis/coordination.k8s.io/v1/namespaces/kube-node-lease/leases/${encodeURIComponent(name)}`,
      // kubectl searches a node's events twice: by its UID (controllers) and with its name as the UID (the kubelet).
      eventsByName: eventsPath({ ...object, metadata: { ...object.metadata, uid: name } }),
    };
  },

  describe({ object, events, related, now }) {
    const m = meta(object);
    const spec = obj(object.spec);
    const status = obj(object.status);
    const w = new DescribeWriter();
    w.write(0, `Name:\t${m.name}\n`);
    const roles = nodeRoles(m.labels);
    w.write(0, `Roles:\t${roles.length > 0 ? roles.join(",") : "<none>"}\n`);
    labelsMultiline(w, "Labels", m.labels);
    annotationsMultiline(w, "Annotations", m.annotations);
    w.write(0, `CreationTimestamp:\t${rfc1123z(object.metadata?.creationTimestamp)}\n`);
    const taints = arr(spec.taints)
      .map(obj)
      .map((t) => ({ t, key: `${str(t.effect)},${str(t.key)}` }))
      .sort((a, b) => byteOrder(a.key, b.key))
      .map((x) => taintText(x.t));
    writeList(w, "Taints", taints);
    w.write(0, `Unschedulable:\t${spec.unschedulable === true}\n`);

    const lease = related.lease;
    if (lease === undefined || Array.isArray(lease)) {
      w.write(0, `Lease:\tFailed to get lease: leases.coordination.k8s.io "${m.name}" not found\n`);
    } else {
      const leaseSpec = obj((lease as KubeObject).spec);
      w.write(0, "Lease:\n");
      w.write(
        1,
        `HolderIdentity:\t${typeof leaseSpec.holderIdentity === "string" ? leaseSpec.holderIdentity : "<unset>"}\n`,
      );
      w.write(1, `AcquireTime:\t${leaseSpec.acquireTime ? rfc1123z(leaseSpec.acquireTime) : "<unset>"}\n`);
      w.write(1, `RenewTime:\t${leaseSpec.renewTime ? rfc1123z(leaseSpec.renewTime) : "<unset>"}\n`);
    }

    const conditions = arr(status.conditions).map(obj);
    if (conditions.length > 0) {
      w.write(0, "Conditions:\n  Type\tStatus\tLastHeartbeatTime\tLastTransitionTime\tReason\tMessage\n");
      w.write(1, "----\t------\t-----------------\t------------------\t------\t-------\n");
      for (const c of conditions) {
        w.write(
          1,
          `${str(c.type)} \t${str(c.status)} \t${rfc1123z(c.lastHeartbeatTime)} \t${rfc1123z(c.lastTransitionTime)} \t${str(c.reason)} \t${str(c.message)}\n`,
        );
      }
    }
    w.write(0, "Addresses:\n");
    for (const a of arr(status.addresses).map(obj)) w.write(1, `${str(a.type)}:\t${str(a.address)}\n`);
    const capacity = obj(status.capacity);
    if (Object.keys(capacity).length > 0) {
      w.write(0, "Capacity:\n");
      writeResources(w, capacity);
    }
    const allocatable = obj(status.allocatable);
    if (Object.keys(allocatable).length > 0) {
      w.write(0, "Allocatable:\n");
      writeResources(w, allocatable);
    }
    const info = obj(status.nodeInfo);
    w.write(0, "System Info:\n");
    w.write(0, `  Machine ID:\t${str(info.machineID)}\n`);
    w.write(0, `  System UUID:\t${str(info.systemUUID)}\n`);
    w.write(0, `  Boot ID:\t${str(info.bootID)}\n`);
    w.write(0, `  Kernel Version:\t${str(info.kernelVersion)}\n`);
    w.write(0, `  OS Image:\t${str(info.osImage)}\n`);
    w.write(0, `  Operating System:\t${str(info.operatingSystem)}\n`);
    w.write(0, `  Architecture:\t${str(info.architecture)}\n`);
    w.write(0, `  Container Runtime Version:\t${str(info.containerRuntimeVersion)}\n`);
    w.write(0, `  Kubelet Version:\t${str(info.kubeletVersion)}\n`);
    w.write(0, `  Kube-Proxy Version:\t${str(info.kubeProxyVersion)}\n`);
    if (str(spec.podCIDR) !== "") w.write(0, `PodCIDR:\t${str(spec.podCIDR)}\n`);
    const cidrs = arr(spec.podCIDRs).map(str);
    if (cidrs.length > 0) w.write(0, `PodCIDRs:\t${cidrs.join(",")}\n`);
    if (str(spec.providerID) !== "") w.write(0, `ProviderID:\t${str(spec.providerID)}\n`);
    const pods = related.pods;
    if (Array.isArray(pods)) describeNodeResource(w, object, pods as KubeObject[], now);
    else w.write(0, "Pods:\tnot authorized\n");
    const byName = related.eventsByName;
    describeEvents([...events, ...(Array.isArray(byName) ? (byName as KubeObject[]) : [])], w, now);
    return w.toString();
  },
};
