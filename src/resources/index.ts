// Every resource kind Timoneiro knows, how kubectl-style names resolve to them, and the server-side Table shape
// (`Accept: application/json;as=Table;v=v1;g=meta.k8s.io`) built from the same columns, so that the simulated API
// server and the UI print from one source.
import { daemonsets } from "./daemonsets.ts";
import { deployments } from "./deployments.ts";
import { doc } from "./descriptions.ts";
import { namespaces } from "./namespaces.ts";
import { nodes } from "./nodes.ts";
import { pods } from "./pods.ts";
import { replicasets } from "./replicasets.ts";
import { services } from "./services.ts";
import { statefulsets } from "./statefulsets.ts";
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
  const columns: TableColumnDefinition[] = [
    { name: "Name", type: "string", format: "name", description: doc.objectMetaName, priority: 0 },
  ];
  for (const column of def.columns as Column<BaseRow>[]) {
    columns.push({
      name: column.title ?? titleCase(column.name),
      type: column.type ?? "string",
      format: "",
      description: column.description ?? "",
      priority: column.priority,
    });
  }
  return columns;
}

/** The cells of one server-side Table row, aligned with tableColumnDefinitions (name first). */
export function tableCells(def: ResourceDef, row: BaseRow, now: number): (string | number)[] {
  const cells: (string | number)[] = [row.name];
  for (const column of def.columns as Column<BaseRow>[]) {
    const text = column.cell(row, now);
    cells.push(column.numeric ? Number(text) : text);
  }
  return cells;
}

/** "NOMINATED NODE" → "Nominated Node", for columns that do not spell out their server-side title. */
function titleCase(header: string): string {
  return header.toLowerCase().replace(/(^|[\s-])([a-z])/g, (_, sep: string, c: string) => sep + c.toUpperCase());
}
