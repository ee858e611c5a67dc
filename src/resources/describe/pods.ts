// kubectl describe pod.
import { humanDuration, NO_TIME, parseOptionalTime } from "../format.ts";
import { describeEvents } from "./events.ts";
import {
  describeContainers,
  describeResources,
  describeVolumes,
  podEnvResolver,
  tolerationsMultiline,
  topologySpread,
} from "./podspec.ts";
import type { DescribeInput, Describer } from "./types.ts";
import {
  annotationsMultiline,
  arr,
  controllerOf,
  DescribeWriter,
  isObj,
  labelsMultiline,
  num,
  obj,
  rfc1123z,
  str,
} from "./writer.ts";

function describePod({ object, events, now }: DescribeInput): string {
  const pod = object as Record<string, unknown>;
  const meta = obj(pod.metadata);
  const spec = obj(pod.spec);
  const status = obj(pod.status);
  const w = new DescribeWriter();
  w.write(0, `Name:\t${str(meta.name)}\n`);
  w.write(0, `Namespace:\t${str(meta.namespace)}\n`);
  if (typeof spec.priority === "number") w.write(0, `Priority:\t${spec.priority}\n`);
  if (str(spec.priorityClassName) !== "") w.write(0, `Priority Class Name:\t${str(spec.priorityClassName)}\n`);
  if (str(spec.runtimeClassName) !== "") w.write(0, `Runtime Class Name:\t${str(spec.runtimeClassName)}\n`);
  if (str(spec.serviceAccountName) !== "") w.write(0, `Service Account:\t${str(spec.serviceAccountName)}\n`);
  if (str(spec.nodeName) === "") w.write(0, "Node:\t<none>\n");
  else w.write(0, `Node:\t${str(spec.nodeName)}/${str(status.hostIP)}\n`);
  if (status.startTime !== undefined && status.startTime !== null) {
    w.write(0, `Start Time:\t${rfc1123z(status.startTime)}\n`);
  }
  labelsMultiline(w, "Labels", meta.labels);
  annotationsMultiline(w, "Annotations", meta.annotations);
  const phase = str(status.phase);
  if (meta.deletionTimestamp && phase !== "Failed" && phase !== "Succeeded") {
    const at = parseOptionalTime(meta.deletionTimestamp);
    w.write(0, `Status:\tTerminating (lasts ${at === NO_TIME ? "<unknown>" : humanDuration(now - at)})\n`);
    w.write(0, `Termination Grace Period:\t${num(meta.deletionGracePeriodSeconds)}s\n`);
  } else {
    w.write(0, `Status:\t${phase}\n`);
  }
  if (str(status.reason) !== "") w.write(0, `Reason:\t${str(status.reason)}\n`);
  if (str(status.message) !== "") w.write(0, `Message:\t${str(status.message)}\n`);
  const seccomp = obj(spec.securityContext).seccompProfile;
  if (isObj(seccomp)) {
    w.write(0, `SeccompProfile:\t${str(seccomp.type)}\n`);
    if (seccomp.type === "Localhost") w.write(0, `LocalhostProfile:\t${str(seccomp.localhostProfile)}\n`);
  }
  w.write(0, `IP:\t${str(status.podIP)}\n`);
  const ips = arr(status.podIPs).map(obj);
  if (ips.length === 0) {
    w.write(0, "IPs:\t<none>\n");
  } else {
    w.write(0, "IPs:\n");
    for (const ip of ips) w.write(1, `IP:\t${str(ip.ip)}\n`);
  }
  const controlledBy = controllerOf(meta);
  if (controlledBy !== "") w.write(0, `Controlled By:\t${controlledBy}\n`);
  if (str(status.nominatedNodeName) !== "") w.write(0, `NominatedNodeName:\t${str(status.nominatedNodeName)}\n`);
  if (isObj(spec.resources)) {
    w.write(0, "Resources:\n");
    describeResources(spec.resources, w, 1);
  }
  const resolver = podEnvResolver(pod);
  if (arr(spec.initContainers).length > 0) {
    describeContainers("Init Containers", spec.initContainers, status.initContainerStatuses, resolver, w, "");
  }
  describeContainers("Containers", spec.containers, status.containerStatuses, resolver, w, "");
  if (arr(spec.ephemeralContainers).length > 0) {
    describeContainers(
      "Ephemeral Containers",
      spec.ephemeralContainers,
      status.ephemeralContainerStatuses,
      resolver,
      w,
      "",
    );
  }
  const conditions = arr(status.conditions).map(obj);
  const gates = arr(spec.readinessGates).map(obj);
  if (gates.length > 0) {
    w.write(0, "Readiness Gates:\n  Type\tStatus\n");
    for (const g of gates) {
      const c = conditions.find((c) => c.type === g.conditionType);
      w.write(1, `${str(g.conditionType)} \t${c ? str(c.status) : "<none>"} \n`);
    }
  }
  if (conditions.length > 0) {
    w.write(0, "Conditions:\n  Type\tStatus\n");
    for (const c of conditions) w.write(1, `${str(c.type)} \t${str(c.status)} \n`);
  }
  describeVolumes(spec.volumes, w, "");
  w.write(0, `QoS Class:\t${str(status.qosClass) || computeQos(spec)}\n`);
  labelsMultiline(w, "Node-Selectors", spec.nodeSelector);
  tolerationsMultiline(w, "Tolerations", spec.tolerations);
  topologySpread(spec.topologySpreadConstraints, w, "");
  describeEvents(events, w, now);
  return w.toString();
}

/** qos.ComputePodQOS, for a pod whose status has no QoS class yet (the server sets it on create). */
function computeQos(spec: Record<string, unknown>): string {
  const containers = [...arr(spec.containers), ...arr(spec.initContainers)].map(obj);
  let any = false;
  let guaranteed = true;
  for (const c of containers) {
    const r = obj(c.resources);
    const req = obj(r.requests);
    const lim = obj(r.limits);
    for (const n of ["cpu", "memory"]) {
      if (req[n] !== undefined || lim[n] !== undefined) any = true;
      if (lim[n] === undefined || (req[n] !== undefined && str(req[n]) !== str(lim[n]))) guaranteed = false;
    }
  }
  if (!any) return "BestEffort";
  return guaranteed ? "Guaranteed" : "Burstable";
}

export const podDescriber: Describer = { describe: describePod };
