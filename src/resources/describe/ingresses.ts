// `kubectl describe ingress`, from kubectl's describeIngressV1: address, class, default backend, TLS, the rules
// table (host, path, backend with the backend service's ready endpoints), annotations last, and the events.
import type { KubeObject } from "../../kube/objects.ts";
import { describeEvents } from "./events.ts";
import { meta } from "./kit.ts";
import { formatEndpointSlices, serviceSlicesPath } from "./services.ts";
import type { DescribeInput, Describer } from "./types.ts";
import { annotationsMultiline, arr, byteOrder, DescribeWriter, labelsMultiline, obj, str } from "./writer.ts";

type Json = Record<string, unknown>;

/** Every backend of the ingress: the default one and each path's. */
function backends(object: KubeObject): Json[] {
  const spec = obj(object.spec);
  const out: Json[] = [];
  if (spec.defaultBackend !== undefined && spec.defaultBackend !== null) out.push(obj(spec.defaultBackend));
  for (const rule of arr(spec.rules)) {
    for (const path of arr(obj(obj(rule).http).paths)) out.push(obj(obj(path).backend));
  }
  return out;
}

/** serviceBackendStringer: "name:port" (the port's number, else its name). */
function serviceBackend(service: Json): string {
  const port = obj(service.port);
  const number = typeof port.number === "number" ? port.number : 0;
  return `${str(service.name)}:${number !== 0 ? String(number) : str(port.name)}`;
}

/** describeBackendV1: a service backend with its endpoints, or a resource backend. */
function describeBackend(backend: Json, related: DescribeInput["related"]): string {
  if (backend.service !== undefined && backend.service !== null) {
    const service = obj(backend.service);
    const name = str(service.name);
    const text = serviceBackend(service);
    const found = related[`service:${name}`];
    if (found === undefined || Array.isArray(found)) return `${text} (<error: services "${name}" not found>)`;
    const port = obj(service.port);
    const number = typeof port.number === "number" ? port.number : 0;
    let portName = "";
    for (const p of arr(obj((found as KubeObject).spec).ports)) {
      const sp = obj(p);
      if (number !== 0 && number === sp.port) portName = str(sp.name);
      else if (str(port.name) !== "" && str(port.name) === str(sp.name)) portName = str(sp.name);
    }
    const slices = related[`endpointSlices:${name}`];
    return `${text} (${formatEndpointSlices(Array.isArray(slices) ? (slices as KubeObject[]) : [], portName)})`;
  }
  if (backend.resource !== undefined && backend.resource !== null) {
    const resource = obj(backend.resource);
    const group = typeof resource.apiGroup === "string" ? resource.apiGroup : "<none>";
    return `APIGroup: ${group}, Kind: ${str(resource.kind)}, Name: ${str(resource.name)}`;
  }
  return "";
}

export const ingressDescriber: Describer = {
  related(object) {
    const namespace = meta(object).namespace;
    const out: Record<string, string> = {};
    for (const backend of backends(object)) {
      const name = str(obj(backend.service).name);
      if (backend.service === undefined || backend.service === null) continue;
      out[`service:${name}`] =
        `/api/v1/namespaces/${encodeURIComponent(namespace)}/services/${encodeURIComponent(name)}`;
      out[`endpointSlices:${name}`] = serviceSlicesPath(namespace, name);
    }
    return out;
  },

  describe({ object, events, related, now }) {
    const m = meta(object);
    const spec = obj(object.spec);
    const w = new DescribeWriter();
    w.write(0, `Name:\t${m.name}\n`);
    labelsMultiline(w, "Labels", m.labels);
    w.write(0, `Namespace:\t${m.namespace}\n`);
    const addresses = new Set<string>();
    for (const i of arr(obj(obj(object.status).loadBalancer).ingress)) {
      const x = obj(i);
      if (str(x.ip) !== "") addresses.add(str(x.ip));
      else if (str(x.hostname) !== "") addresses.add(str(x.hostname));
    }
    w.write(0, `Address:\t${[...addresses].sort(byteOrder).join(",")}\n`);
    w.write(0, `Ingress Class:\t${typeof spec.ingressClassName === "string" ? spec.ingressClassName : "<none>"}\n`);
    const defaultBackend =
      spec.defaultBackend !== undefined && spec.defaultBackend !== null
        ? describeBackend(obj(spec.defaultBackend), related)
        : "<default>";
    w.write(0, `Default backend:\t${defaultBackend}\n`);
    const tls = arr(spec.tls).map(obj);
    if (tls.length > 0) {
      w.write(0, "TLS:\n");
      for (const t of tls) {
        const hosts = arr(t.hosts).map(str).join(",");
        if (str(t.secretName) === "") w.write(1, `SNI routes ${hosts}\n`);
        else w.write(1, `${str(t.secretName)} terminates ${hosts}\n`);
      }
    }
    w.write(0, "Rules:\n  Host\tPath\tBackends\n");
    w.write(1, "----\t----\t--------\n");
    let count = 0;
    for (const r of arr(spec.rules)) {
      const rule = obj(r);
      if (rule.http === undefined || rule.http === null) continue;
      count++;
      w.write(1, `${str(rule.host) || "*"}\t\n`);
      for (const p of arr(obj(rule.http).paths)) {
        const path = obj(p);
        w.write(2, `\t${str(path.path)} \t${describeBackend(obj(path.backend), related)}\n`);
      }
    }
    if (count === 0) w.write(1, `*\t*\t${defaultBackend}\n`);
    annotationsMultiline(w, "Annotations", m.annotations);
    describeEvents(events, w, now);
    return w.toString();
  },
};
