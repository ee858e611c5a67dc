// Every resource kind Timoneiro knows, how kubectl-style names resolve to them, and the server-side Table shape
// (`Accept: application/json;as=Table;v=v1;g=meta.k8s.io`) built from the same columns, so that the simulated API
// server and the UI print from one source.

import { clusterrolebindings } from "./clusterrolebindings.ts";
import { clusterroles } from "./clusterroles.ts";
import { configmaps } from "./configmaps.ts";
import { cronjobs } from "./cronjobs.ts";
import { customresourcedefinitions } from "./customresourcedefinitions.ts";
import { daemonsets } from "./daemonsets.ts";
import { deployments } from "./deployments.ts";
import { doc } from "./descriptions.ts";
import { endpointslices } from "./endpointslices.ts";
import { events } from "./events.ts";
import { horizontalpodautoscalers } from "./horizontalpodautoscalers.ts";
import { ingresses } from "./ingresses.ts";
import { jobs } from "./jobs.ts";
import { namespaces } from "./namespaces.ts";
import { networkpolicies } from "./networkpolicies.ts";
import { nodes } from "./nodes.ts";
import { persistentvolumeclaims } from "./persistentvolumeclaims.ts";
import { persistentvolumes } from "./persistentvolumes.ts";
import { pods } from "./pods.ts";
import { replicasets } from "./replicasets.ts";
import { rolebindings } from "./rolebindings.ts";
import { roles } from "./roles.ts";
import { secrets } from "./secrets.ts";
import { serviceaccounts } from "./serviceaccounts.ts";
import { services } from "./services.ts";
import { statefulsets } from "./statefulsets.ts";
import { storageclasses } from "./storageclasses.ts";
import type { BaseRow, Column, ResourceDef, ResourceType } from "./types.ts";

export type { BaseRow, Column, ResourceDef, ResourceType } from "./types.ts";

// Each def is typed with its own row; stored under the common BaseRow view. Callers pass rows that came from the
// same def's toRow, which is what makes the cast sound.
export const resourceDefs = {
  pods: pods as unknown as ResourceDef,
  deployments: deployments as unknown as ResourceDef,
  services: services as unknown as ResourceDef,
  namespaces: namespaces as unknown as ResourceDef,
  statefulsets: statefulsets as unknown as ResourceDef,
  daemonsets: daemonsets as unknown as ResourceDef,
  replicasets: replicasets as unknown as ResourceDef,
  nodes: nodes as unknown as ResourceDef,
  jobs: jobs as unknown as ResourceDef,
  cronjobs: cronjobs as unknown as ResourceDef,
  configmaps: configmaps as unknown as ResourceDef,
  secrets: secrets as unknown as ResourceDef,
  persistentvolumeclaims: persistentvolumeclaims as unknown as ResourceDef,
  persistentvolumes: persistentvolumes as unknown as ResourceDef,
  ingresses: ingresses as unknown as ResourceDef,
  events: events as unknown as ResourceDef,
  horizontalpodautoscalers: horizontalpodautoscalers as unknown as ResourceDef,
  serviceaccounts: serviceaccounts as unknown as ResourceDef,
  roles: roles as unknown as ResourceDef,
  rolebindings: rolebindings as unknown as ResourceDef,
  clusterroles: clusterroles as unknown as ResourceDef,
  clusterrolebindings: clusterrolebindings as unknown as ResourceDef,
  networkpolicies: networkpolicies as unknown as ResourceDef,
  endpointslices: endpointslices as unknown as ResourceDef,
  storageclasses: storageclasses as unknown as ResourceDef,
  customresourcedefinitions: customresourcedefinitions as unknown as ResourceDef,
} satisfies Record<ResourceType, ResourceDef>;

/** Every built-in kind: kubectl-identical columns. Any other kind is shown through the server's Table. */
export const builtinKinds: readonly ResourceDef[] = Object.values(resourceDefs);

const byResource = new Map<string, ResourceDef>(builtinKinds.map((def) => [def.type, def]));

/** The built-in definition of a resource that must have one (throws otherwise: a programming error). */
export function builtinKindOrThrow(resource: ResourceType): ResourceDef {
  const def = byResource.get(resource);
  if (!def) throw new Error(`no built-in definition for ${resource}`);
  return def;
}

/** The built-in definition of a resource ("pods", "deployments"), if Timoneiro has one. */
export function builtinKind(resource: ResourceType): ResourceDef | undefined {
  return byResource.get(resource);
}

// Every name kubectl accepts for a kind, lower-case: plural, singular, short names, and the group-qualified forms
// ("deployments.apps", "deploy.v1.apps").
const byName = new Map<string, ResourceDef>();
for (const def of builtinKinds) {
  const names = [def.type, def.kind.toLowerCase(), ...def.shortNames];
  for (const name of names) {
    byName.set(name, def);
    if (def.group !== "") {
      byName.set(`${name}.${def.group}`, def);
      byName.set(`${name}.${def.version}.${def.group}`, def);
    }
  }
}

/** The kind for a name as typed after `kubectl get` (`pods`, `pod`, `po`, `Deployment`, `deploy.apps`, ...). */
export function resourceDefFor(nameOrShortName: string): ResourceDef | undefined {
  return byName.get(nameOrShortName.trim().toLowerCase());
}

/** One entry of a metav1.Table's columnDefinitions. */
export interface TableColumnDefinition {
  name: string;
  type: string;
  format: string;
  description: string;
  priority: number;
}

/** columnDefinitions of the server-side Table for a kind: Name first, then the kind's columns. */
export function tableColumnDefinitions(def: ResourceDef): TableColumnDefinition[] {
  const nameLast = def.namePosition === "wide-last";
  const name = {
    name: "Name",
    type: "string",
    format: "name",
    description: doc.objectMetaName,
    priority: nameLast ? 1 : 0,
  };
  const columns: TableColumnDefinition[] = nameLast ? [] : [name];
  for (const column of def.columns as Column<BaseRow>[]) {
    columns.push({
      name: column.title ?? titleCase(column.name),
      type: column.type ?? "string",
      format: "",
      description: column.description ?? "",
      priority: column.priority,
    });
  }
  if (nameLast) columns.push(name);
  return columns;
}

/** The cells of one server-side Table row, aligned with tableColumnDefinitions (name first, or last for events). */
export function tableCells(def: ResourceDef, row: BaseRow, now: number): (string | number)[] {
  const name = def.nameCell ? def.nameCell(row) : row.name;
  const nameLast = def.namePosition === "wide-last";
  const cells: (string | number)[] = nameLast ? [] : [name];
  for (const column of def.columns as Column<BaseRow>[]) {
    const text = column.cell(row, now);
    cells.push(column.numeric ? Number(text) : text);
  }
  if (nameLast) cells.push(name);
  return cells;
}

/** "NOMINATED NODE" → "Nominated Node", for columns that do not spell out their server-side title. */
function titleCase(header: string): string {
  return header.toLowerCase().replace(/(^|[\s-])([a-z])/g, (_, sep: string, c: string) => sep + c.toUpperCase());
}
