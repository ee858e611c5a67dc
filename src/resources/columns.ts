// Columns that several kinds print the same way (kube-apiserver's printers share them too).
import { doc } from "./descriptions.ts";
import { age } from "./format.ts";
import type { BaseRow, Column } from "./types.ts";

/** AGE: time since creation in kubectl's format. */
export function ageColumn<Row extends BaseRow>(): Column<Row> {
  return {
    name: "AGE",
    title: "Age",
    priority: 0,
    description: doc.objectMetaCreationTimestamp,
    cell: (row, now) => age(row.createdAt, now),
  };
}

/** Rows of workloads: the pod template's container names and images, comma-joined. */
export interface TemplateRow extends BaseRow {
  containers: string;
  images: string;
}

/** CONTAINERS and IMAGES (wide) of a workload's pod template. */
export function templateColumns<Row extends TemplateRow>(): Column<Row>[] {
  return [
    {
      name: "CONTAINERS",
      title: "Containers",
      priority: 1,
      description: "Names of each container in the template.",
      cell: (row) => row.containers,
    },
    {
      name: "IMAGES",
      title: "Images",
      priority: 1,
      description: "Images referenced by each container in the template.",
      cell: (row) => row.images,
    },
  ];
}

/** SELECTOR (wide): the formatted label selector. */
export function selectorColumn<Row extends BaseRow & { selector: string }>(description: string): Column<Row> {
  return { name: "SELECTOR", title: "Selector", priority: 1, description, cell: (row) => row.selector };
}
