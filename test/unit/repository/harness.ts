// Shared by the repository tests: a repository on the simulator, and the server's answers to compare it with.
import type { KubeObject } from "../../../src/kube/objects.ts";
import { compareRows } from "../../../src/kube/store.ts";
import type { InformerOptions } from "../../../src/repository/informer-repository.ts";
import type { BaseRow } from "../../../src/resources/types.ts";
import type { SimOptions } from "../../../src/sim/index.ts";
import { FAST, type Harness, startHarness } from "../kube/sim-harness.ts";

export { until } from "../kube/sim-harness.ts";

/** Fast reconnects and retries; pods only at start (every other kind when held). */
export const OPTIONS: InformerOptions = { ...FAST, refusalRetryMs: 60_000 };

export async function startRepo(
  simOptions: Partial<SimOptions> & { pods: number },
  options: InformerOptions = {},
): Promise<Harness> {
  return startHarness(simOptions, { ...OPTIONS, ...options });
}

/** "namespace/name" of each row, in order. */
export function keys(rows: readonly BaseRow[]): string[] {
  return rows.map((row) => (row.namespace ? `${row.namespace}/${row.name}` : row.name));
}

/** "namespace/name" of server objects, in repository order (newest first, then namespace, then name). */
export function serverKeys(objects: readonly KubeObject[]): string[] {
  const rows = objects.map((o) => ({
    namespace: o.metadata?.namespace ?? "",
    name: o.metadata?.name ?? "",
    uid: "",
    createdAt: Date.parse(o.metadata?.creationTimestamp ?? "") || 0,
  }));
  return keys(rows.sort(compareRows));
}

/** The controller owner of an object as the owner index spells it: "namespace/Kind/name". */
export function controllerOf(o: KubeObject): string | undefined {
  const ref = o.metadata?.ownerReferences?.find((r) => r.controller === true);
  return ref ? `${o.metadata?.namespace ?? ""}/${ref.kind}/${ref.name}` : undefined;
}
