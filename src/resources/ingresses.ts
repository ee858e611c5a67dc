// Ingresses as `kubectl get ingresses` prints them (printIngress). The server renders its Table wide, so ADDRESS is
// never clipped.

import type { KubeObject } from "../kube/objects.ts";
import { ageColumn } from "./columns.ts";
import { arr, baseFields, compareBytes, intern, obj, str } from "./fields.ts";
import { type OwnerFields, ownerFields } from "./owners.ts";
import type { BaseRow, ResourceDef } from "./types.ts";

/** An ingress as the cache keeps it. */
export interface IngressRow extends BaseRow, OwnerFields {
  /** spec.ingressClassName, "<none>" when unset. */
  className: string;
  /** Up to three hosts, "*" when no rule names one, "a,b,c + 2 more..." beyond. */
  hosts: string;
  /** Load-balancer IPs (or hostnames), sorted and de-duplicated, comma-joined. */
  address: string;
  /** "80", or "80, 443" when the ingress has TLS. */
  ports: string;
}

/** formatHosts: counts rules, not hosts, once three hosts are listed (rules without a host count too). */
function hostsText(rules: readonly unknown[]): string {
  const MAX = 3;
  const list: string[] = [];
  let more = false;
  for (const item of rules) {
    if (list.length === MAX) more = true;
    const host = str(obj(item)?.host);
    if (!more && host !== "") list.push(host);
  }
  if (list.length === 0) return "*";
  const text = list.join(",");
  return more ? `${text} + ${rules.length - MAX} more...` : text;
}

/** ingressLoadBalancerStatusStringer: IP over hostname per entry, as a sorted set. */
export function loadBalancerText(status: unknown): string {
  const points = new Set<string>();
  for (const item of arr(obj(obj(status)?.loadBalancer)?.ingress)) {
    const ingress = obj(item);
    const point = str(ingress?.ip) || str(ingress?.hostname);
    if (point !== "") points.add(point);
  }
  return [...points].sort(compareBytes).join(",");
}

export function ingressRow(o: KubeObject): IngressRow {
  const spec = obj(o.spec);
  return {
    ...baseFields(o),
    ...ownerFields(o),
    className: typeof spec?.ingressClassName === "string" ? intern(spec.ingressClassName) : "<none>",
    hosts: hostsText(arr(spec?.rules)),
    address: loadBalancerText(o.status),
    ports: arr(spec?.tls).length > 0 ? "80, 443" : "80",
  };
}

export const ingresses: ResourceDef<IngressRow> = {
  type: "ingresses",
  kind: "Ingress",
  group: "networking.k8s.io",
  version: "v1",
  namespaced: true,
  shortNames: ["ing"],
  columns: [
    {
      name: "CLASS",
      title: "Class",
      priority: 0,
      description: "The name of the IngressClass resource that should be used for additional configuration",
      cell: (row) => row.className,
    },
    {
      name: "HOSTS",
      title: "Hosts",
      priority: 0,
      description: "Hosts that incoming requests are matched against before the ingress rule",
      cell: (row) => row.hosts,
    },
    {
      name: "ADDRESS",
      title: "Address",
      priority: 0,
      description: "Address is a list containing ingress points for the load-balancer",
      cell: (row) => row.address,
    },
    {
      name: "PORTS",
      title: "Ports",
      priority: 0,
      description: "Ports of TLS configurations that open",
      cell: (row) => row.ports,
    },
    ageColumn(),
  ],
  toRow: ingressRow,
};
