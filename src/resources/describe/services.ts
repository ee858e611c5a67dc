// `kubectl describe service`, from kubectl's describeService: the spec's addresses and ports, each port's ready
// endpoints as its endpoint slices list them, the traffic policies, and the events.
import type { KubeObject } from "../../kube/objects.ts";
import { describeEvents } from "./events.ts";
import { meta } from "./kit.ts";
import type { Describer } from "./types.ts";
import { annotationsMultiline, arr, DescribeWriter, formatLabels, labelsMultiline, obj, str } from "./writer.ts";

/** The API path listing a service's endpoint slices (kubernetes.io/service-name=NAME). */
export function serviceSlicesPath(namespace: string, service: string): string {
  const selector = encodeURIComponent(`kubernetes.io/service-name=${service}`);
  return `/apis/discovery.k8s.io/v1/namespaces/${encodeURIComponent(namespace)}/endpointslices?labelSelector=${selector}`;
}

/** net.JoinHostPort: an IPv6 address in brackets. */
function joinHostPort(host: string, port: string): string {
  return host.includes(":") ? `[${host}]:${port}` : `${host}:${port}`;
}

/**
 * formatEndpointSlices: the ready endpoints ("ip:port", the first address of each) of the slices' ports named
 * `portName` (all ports when undefined), at most three then " + N more..."; a slice without ports lists bare addresses.
 * kubectl's quirks kept: the fourth endpoint met marks "more" even when it is not ready.
 */
export function formatEndpointSlices(slices: readonly KubeObject[], portName: string | undefined): string {
  if (slices.length === 0) return "<none>";
  const list: string[] = [];
  const max = 3;
  let more = false;
  let count = 0;
  const ready = (endpoint: Record<string, unknown>) => obj(endpoint.conditions).ready !== false;
  for (const slice of slices) {
    const ports = arr(slice.ports).map(obj);
    const endpoints = arr(slice.endpoints).map(obj);
    if (ports.length === 0) {
      for (const endpoint of endpoints) {
        if (list.length === max) more = true;
        if (!ready(endpoint)) continue;
        if (!more) list.push(str(arr(endpoint.addresses)[0]));
        count++;
      }
      continue;
    }
    for (const port of ports) {
      if (portName !== undefined && str(port.name) !== portName) continue;
      for (const endpoint of endpoints) {
        if (list.length === max) more = true;
        if (!ready(endpoint)) continue;
        if (!more) list.push(joinHostPort(str(arr(endpoint.addresses)[0]), String(port.port ?? 0)));
        count++;
      }
    }
  }
  const text = list.join(",");
  return more ? `${text} + ${count - max} more...` : text;
}

/** buildIngressString: the load balancer's IPs (with their IP mode) or host names. */
function loadBalancerIngress(ingress: readonly unknown[]): string {
  return ingress
    .map((i) => {
      const x = obj(i);
      const ip = str(x.ip);
      if (ip === "") return str(x.hostname);
      return x.ipMode !== undefined && x.ipMode !== null ? `${ip} (${str(x.ipMode)})` : ip;
    })
    .join(", ");
}

export const serviceDescriber: Describer = {
  related(object) {
    const m = meta(object);
    return { endpointSlices: serviceSlicesPath(m.namespace, m.name) };
  },

  describe({ object, events, related, now }) {
    const m = meta(object);
    const spec = obj(object.spec);
    const status = obj(object.status);
    const slices = related.endpointSlices;
    const sliceList = Array.isArray(slices) ? (slices as readonly KubeObject[]) : [];
    const w = new DescribeWriter();
    w.write(0, `Name:\t${m.name}\n`);
    w.write(0, `Namespace:\t${m.namespace}\n`);
    labelsMultiline(w, "Labels", m.labels);
    annotationsMultiline(w, "Annotations", m.annotations);
    w.write(0, `Selector:\t${formatLabels(spec.selector)}\n`);
    w.write(0, `Type:\t${str(spec.type)}\n`);
    if (spec.ipFamilyPolicy !== undefined && spec.ipFamilyPolicy !== null) {
      w.write(0, `IP Family Policy:\t${str(spec.ipFamilyPolicy)}\n`);
    }
    const families = arr(spec.ipFamilies).map(str);
    w.write(0, `IP Families:\t${families.length > 0 ? families.join(",") : "<none>"}\n`);
    w.write(0, `IP:\t${str(spec.clusterIP)}\n`);
    const ips = arr(spec.clusterIPs).map(str);
    w.write(0, `IPs:\t${ips.length > 0 ? ips.join(",") : "<none>"}\n`);
    const externalIPs = arr(spec.externalIPs).map(str);
    if (externalIPs.length > 0) w.write(0, `External IPs:\t${externalIPs.join(",")}\n`);
    if (str(spec.loadBalancerIP) !== "") w.write(0, `Desired LoadBalancer IP:\t${str(spec.loadBalancerIP)}\n`);
    if (str(spec.externalName) !== "") w.write(0, `External Name:\t${str(spec.externalName)}\n`);
    const lbIngress = arr(obj(status.loadBalancer).ingress);
    if (lbIngress.length > 0) w.write(0, `LoadBalancer Ingress:\t${loadBalancerIngress(lbIngress)}\n`);
    for (const p of arr(spec.ports)) {
      const port = obj(p);
      const name = str(port.name) || "<unset>";
      const protocol = str(port.protocol);
      w.write(0, `Port:\t${name}\t${String(port.port ?? 0)}/${protocol}\n`);
      const target = port.targetPort;
      w.write(0, `TargetPort:\t${typeof target === "number" ? String(target) : str(target) || "0"}/${protocol}\n`);
      if (typeof port.nodePort === "number" && port.nodePort !== 0) {
        w.write(0, `NodePort:\t${name}\t${port.nodePort}/${protocol}\n`);
      }
      w.write(0, `Endpoints:\t${formatEndpointSlices(sliceList, str(port.name))}\n`);
    }
    w.write(0, `Session Affinity:\t${str(spec.sessionAffinity)}\n`);
    if (str(spec.externalTrafficPolicy) !== "") {
      w.write(0, `External Traffic Policy:\t${str(spec.externalTrafficPolicy)}\n`);
    }
    if (spec.internalTrafficPolicy !== undefined && spec.internalTrafficPolicy !== null) {
      w.write(0, `Internal Traffic Policy:\t${str(spec.internalTrafficPolicy)}\n`);
    }
    if (typeof spec.healthCheckNodePort === "number" && spec.healthCheckNodePort !== 0) {
      w.write(0, `HealthCheck NodePort:\t${spec.healthCheckNodePort}\n`);
    }
    const sourceRanges = arr(spec.loadBalancerSourceRanges).map(str);
    if (sourceRanges.length > 0) w.write(0, `LoadBalancer Source Ranges:\t${sourceRanges.join(",")}\n`);
    describeEvents(events, w, now);
    return w.toString();
  },
};
