// The pods screen: kubectl's columns (values from resources/pods.ts), NODE and IP from `-o wide`, rows coloured by
// state, and a filter over namespace, name, status, node and IP.
import type { PodRow } from "../../resources/pods.ts";
import { pods } from "../../resources/pods.ts";
import type { Column } from "../../resources/types.ts";
import { HaystackCache } from "../filter.ts";
import { podRowState } from "../row-style.ts";
import type { TableColumn } from "../table.ts";
import { fromColumn, NAME_COLUMN, NAMESPACE_COLUMN, type ScreenDef } from "./screen.ts";

function podColumn(name: string): Column<PodRow> {
  const column = pods.columns.find((c) => c.name === name);
  if (!column) throw new Error(`resources/pods.ts has no ${name} column`);
  return column;
}

const status = podColumn("STATUS");
const node = podColumn("NODE");
const ip = podColumn("IP");

// Filter fields, in this order: namespace, name, status, node, IP (as printed, so "<none>" finds unscheduled pods).
function podFilterFields(row: PodRow): string[] {
  return [row.namespace, row.name, status.cell(row, 0), node.cell(row, 0), ip.cell(row, 0)];
}

// Hide order on narrow terminals: IP first, then NODE, then NAMESPACE.
const columns: TableColumn<PodRow>[] = [
  NAMESPACE_COLUMN,
  NAME_COLUMN,
  fromColumn(podColumn("READY"), 0),
  fromColumn(status, 0, 2),
  fromColumn(podColumn("RESTARTS"), 0),
  fromColumn(podColumn("AGE"), 0),
  fromColumn(node, 2, 3),
  fromColumn(ip, 3, 4),
];

export const podsScreen: ScreenDef<PodRow> = {
  resource: "pods",
  title: "Pods",
  aliases: ["pods", "pod", ...pods.shortNames],
  rows: (repo) => repo.getPods(),
  columns,
  filterFields: podFilterFields,
  rowState: podRowState,
  haystacks: new HaystackCache<PodRow>(podFilterFields),
};
