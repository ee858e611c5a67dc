// Services as `kubectl get services` prints them (kube-apiserver's printService). The server always renders its
// Table "wide", so a load balancer's EXTERNAL-IP is never shortened the way old client-side printing did.

import type { KubeObject } from "../kube/objects.ts";
import { ageColumn, selectorColumn } from "./columns.ts";
import { doc } from "./descriptions.ts";
import { arr, baseFields, compareBytes, formatLabels, int, intern, obj, str } from "./fields.ts";
import type { BaseRow, ResourceDef } from "./types.ts";

export interface ServiceRow extends BaseRow {
  /** spec.type; the API defaults it to ClusterIP. */
  type: string;
  /** First of spec.clusterIPs ("None" for headless services), "<none>" when there is none. */
  clusterIP: string;
  /** EXTERNAL-IP as printed: IPs, "<none>", "<pending>", the externalName, or "<unknown>". */
  externalIP: string;
  /** PORT(S) as printed: "80/TCP,443:30443/TCP" or "<none>". */
  ports: string;
  /** spec.selector as "k=v,...", "<none>" when empty. */
  selector: string;
}

export function serviceRow(o: KubeObject): ServiceRow {
  const spec = obj(o.spec);
  const type = str(spec?.type) || "ClusterIP";
  const clusterIP = str(arr(spec?.clusterIPs)[0]) || str(spec?.clusterIP);
  return {
    ...baseFields(o),
    type: intern(type),
    clusterIP: clusterIP === "" ? "<none>" : clusterIP,
    externalIP: externalIP(type, spec, obj(o.status)),
    ports: portsText(spec),
    selector: formatLabels(spec?.selector),
  };
}

function externalIP(
  type: string,
  spec: Record<string, unknown> | undefined,
  status: Record<string, unknown> | undefined,
) {
  const externalIPs = arr(spec?.externalIPs).map(str);
  switch (type) {
    case "ClusterIP":
    case "NodePort":
      return externalIPs.length > 0 ? externalIPs.join(",") : "<none>";
    case "LoadBalancer": {
      // Ingress points, IP over hostname, de-duplicated and sorted, then the spec's external IPs.
      const points = new Set<string>();
      for (const item of arr(obj(status?.loadBalancer)?.ingress)) {
        const ingress = obj(item);
        const point = str(ingress?.ip) || str(ingress?.hostname);
        if (point !== "") points.add(point);
      }
      const all = [...points].sort(compareBytes).concat(externalIPs);
      return all.length > 0 ? all.join(",") : "<pending>";
    }
    case "ExternalName":
      return str(spec?.externalName);
    default:
      return "<unknown>";
  }
}

function portsText(spec: Record<string, unknown> | undefined): string {
  const ports = arr(spec?.ports);
  if (ports.length === 0) return "<none>";
  let text = "";
  for (let i = 0; i < ports.length; i++) {
    const port = obj(ports[i]);
    const protocol = str(port?.protocol) || "TCP";
    const nodePort = int(port?.nodePort);
    if (i > 0) text += ",";
    text += nodePort > 0 ? `${int(port?.port)}:${nodePort}/${protocol}` : `${int(port?.port)}/${protocol}`;
  }
  return text;
}

export const services: ResourceDef<ServiceRow> = {
  type: "services",
  kind: "Service",
  group: "",
  version: "v1",
  namespaced: true,
  shortNames: ["svc"],
  columns: [
    { name: "TYPE", title: "Type", priority: 0, description: doc.serviceSpecType, cell: (row) => row.type },
    {
      name: "CLUSTER-IP",
      title: "Cluster-IP",
      priority: 0,
      description: doc.serviceSpecClusterIP,
      cell: (row) => row.clusterIP,
    },
    {
      name: "EXTERNAL-IP",
      title: "External-IP",
      priority: 0,
      description: doc.serviceSpecExternalIPs,
      cell: (row) => row.externalIP,
    },
    { name: "PORT(S)", title: "Port(s)", priority: 0, description: doc.serviceSpecPorts, cell: (row) => row.ports },
    ageColumn(),
    selectorColumn(doc.serviceSpecSelector),
  ],
  toRow: serviceRow,
};
