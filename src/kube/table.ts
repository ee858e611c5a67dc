// Server-side Tables (Accept: application/json;as=Table;v=v1;g=meta.k8s.io): the server prints the columns, so any
// kind, CRDs included, can be listed and watched with no definition on our side, as `kubectl get` does.
//
// A TableSource is both the reflector's ListSource and its wire decoder: LIST pages and watch events arrive as Tables,
// and each Table row becomes one TableRow keyed by the row's PartialObjectMetadata (includeObject=Metadata). The
// column definitions come with every LIST page but, on a watch, only with the first event (later events have
// columnDefinitions null): the source keeps the last ones it saw and counts their changes.
//
// Cells are kept as kubectl prints them (null → "", text cut at its first line break with "..."), except the AGE
// column: the server renders it once ("5m") and never again, so tableCell() computes it from creationTimestamp.
import { KubeError } from "./errors.ts";
import { type ApiKind, collectionPathOf } from "./kinds.ts";
import type { KubeObject, ObjectMeta, WatchEvent } from "./objects.ts";
import type { ListSource } from "./reflector.ts";
import type { BaseRow } from "./row.ts";
import { type DecodedList, jsonDecoder, type WireDecoder } from "./wire.ts";

/** The Accept header of kubectl get: a v1 Table, or plain JSON from a server that cannot print one. */
export const TABLE_ACCEPT = "application/json;as=Table;v=v1;g=meta.k8s.io,application/json";

/** One column of a server-side Table (metav1.TableColumnDefinition). */
export interface TableColumnDef {
  /** Header as the server spells it ("Name", "Ready", "Nominated Node"); kubectl prints it upper-cased. */
  name: string;
  /** OpenAPI type: "string", "integer", "number", "boolean", "date". */
  type: string;
  /** "name" for the column holding the object's name, else usually "". */
  format: string;
  description: string;
  /** 0: shown by default; higher: only in the wide view (kubectl -o wide). */
  priority: number;
}

/** A row of a server-side Table, with the object's identity from its metadata. */
export interface TableRow extends BaseRow {
  /** The cells as kubectl prints them, aligned with the columns; the age cell as sent (see tableCell()). */
  cells: string[];
  /** Kind and name of the controlling owner (ownerReferences[controller=true]), for "jump to owner". */
  ownerKind?: string;
  ownerName?: string;
}

/**
 * Lists and watches one kind as server-side Tables. Give it to a Reflector as its source; the reflector then asks for
 * Tables (the source names its own decoder, query parameters and list mode). It always lists with paginated LISTs, as
 * kubectl does: in a watch-list stream of Tables, the end-of-replay bookmark's annotation is not where every server
 * puts it (the simulator drops it), and a reflector that missed it would wait out the whole watch.
 */
export class TableSource implements ListSource<TableRow> {
  readonly name: string;
  readonly params: Readonly<Record<string, string>> = { includeObject: "Metadata" };
  readonly decoder: WireDecoder;
  readonly listMode = "list";
  private readonly kind: Pick<ApiKind, "group" | "version" | "resource" | "namespaced">;
  private columnDefs: TableColumnDef[] | undefined;
  private columnsSeen = 0;
  private ageIndex = -1;
  private nameIndex = 0;

  constructor(kind: Pick<ApiKind, "key" | "group" | "version" | "resource" | "namespaced">) {
    this.kind = kind;
    this.name = kind.key;
    this.decoder = tableDecoder(this);
  }

  path(namespace: string | undefined): string {
    return collectionPathOf(this.kind, namespace);
  }

  /** The columns the server last sent; undefined until the first LIST page (or first watch event) arrived. */
  columns(): readonly TableColumnDef[] | undefined {
    return this.columnDefs;
  }

  /** Bumped whenever the columns change (a CRD's printer columns edited, or the first ones arriving). */
  get columnsVersion(): number {
    return this.columnsSeen;
  }

  /** Index of the AGE column (computed live by tableCell()), -1 when the kind has none. */
  get ageColumn(): number {
    return this.ageIndex;
  }

  toRow(obj: KubeObject): TableRow {
    const meta = obj.metadata ?? {};
    const created = meta.creationTimestamp ? Date.parse(meta.creationTimestamp) : Number.NaN;
    const row: TableRow = {
      namespace: meta.namespace ?? "",
      name: meta.name ?? "",
      uid: meta.uid ?? "",
      createdAt: Number.isFinite(created) ? created : 0,
      cells: Array.isArray(obj.cells) ? (obj.cells as unknown[]).map(cellText) : [],
    };
    const owner = meta.ownerReferences?.find((ref) => ref.controller === true);
    if (owner?.kind && owner.name) {
      row.ownerKind = owner.kind;
      row.ownerName = owner.name;
    }
    return row;
  }

  /** Called by the decoder with every non-null columnDefinitions it reads. */
  setColumns(columns: unknown): void {
    if (!Array.isArray(columns) || columns.length === 0) return;
    const next = columns.map(
      (c: Partial<TableColumnDef>): TableColumnDef => ({
        name: String(c.name ?? ""),
        type: String(c.type ?? "string"),
        format: String(c.format ?? ""),
        description: String(c.description ?? ""),
        priority: typeof c.priority === "number" ? c.priority : 0,
      }),
    );
    if (this.columnDefs && JSON.stringify(this.columnDefs) === JSON.stringify(next)) return;
    this.columnDefs = next;
    this.columnsSeen++;
    this.ageIndex = next.findIndex(isAgeColumn);
    const name = next.findIndex((c) => c.format === "name");
    this.nameIndex = Math.max(name, 0);
  }

  /** The name cell of a raw row, for rows that come without their object's metadata. */
  nameOf(cells: unknown): string {
    const cell = Array.isArray(cells) ? cells[this.nameIndex] : undefined;
    return typeof cell === "string" ? cell : "";
  }
}

/**
 * The text of cell `index` of `row` at `now`: the age computed from creationTimestamp for the AGE column (so it keeps
 * counting between events), else the cell as the server printed it.
 */
export function tableCell(source: Pick<TableSource, "ageColumn">, row: TableRow, index: number, now: number): string {
  if (index === source.ageColumn && row.createdAt > 0) return humanDuration(now - row.createdAt);
  return row.cells[index] ?? "";
}

/** A cell as kubectl prints it: nothing for null, numbers and booleans as Go's fmt does, text up to its first break. */
export function cellText(cell: unknown): string {
  if (cell === null || cell === undefined) return "";
  if (typeof cell === "string") {
    const cut = cell.search(/[\n\r\f]/);
    return cut < 0 ? cell : `${cell.slice(0, cut)}...`;
  }
  if (typeof cell === "number" || typeof cell === "boolean") return String(cell);
  return JSON.stringify(cell);
}

/**
 * The age column: "Age" in every built-in printer and in a CRD's default columns; a CRD may also name its own
 * creationTimestamp column differently, and then only its description says what it is.
 */
function isAgeColumn(column: TableColumnDef): boolean {
  return (
    column.name.toLowerCase() === "age" ||
    (column.type === "date" && column.description.startsWith("CreationTimestamp"))
  );
}

interface RawTable {
  kind?: string;
  metadata?: { resourceVersion?: string; continue?: string; remainingItemCount?: number };
  columnDefinitions?: unknown;
  rows?: { cells?: unknown; object?: { metadata?: ObjectMeta } | null }[] | null;
}

/**
 * A table row as the object the reflector ingests: the row's metadata and its raw cells. A row without metadata
 * (includeObject ignored by the server) is keyed by its name cell alone.
 */
function rowObject(source: TableSource, row: NonNullable<RawTable["rows"]>[number]): KubeObject {
  const metadata = row.object?.metadata ?? { name: source.nameOf(row.cells) };
  return { kind: "TableRow", metadata, cells: row.cells ?? [] };
}

function tableDecoder(source: TableSource): WireDecoder {
  const notTable = (what: string, kind: string | undefined) =>
    new KubeError(
      "protocol",
      `${source.name}: the server sent ${kind ? `a ${kind}` : "something"} instead of a Table in ${what}; it cannot print this kind`,
    );
  return {
    accept: TABLE_ACCEPT,

    decodeList(body: Buffer): DecodedList {
      let table: RawTable;
      try {
        table = JSON.parse(body.toString("utf8")) as RawTable;
      } catch (err) {
        throw new KubeError("protocol", `the server sent a Table that is not JSON (${(err as Error).message})`);
      }
      if (table?.kind !== "Table") throw notTable("a list", table?.kind);
      source.setColumns(table.columnDefinitions);
      return {
        resourceVersion: table.metadata?.resourceVersion ?? "",
        continueToken: table.metadata?.continue ?? "",
        remainingItemCount: table.metadata?.remainingItemCount,
        items: (table.rows ?? []).map((row) => rowObject(source, row)),
      };
    },

    // A Table writes its metadata before its columns and rows, like a list before its items.
    peekContinue(head: Buffer): string | undefined {
      const text = head.toString("latin1", 0, Math.min(head.length, 64 * 1024));
      const end = text.search(/"(columnDefinitions|rows)":/);
      if (end < 0) return undefined;
      const match = /"continue":"([^"\\]*)"/.exec(text.slice(0, end));
      return match ? match[1] : "";
    },

    // Each watch event's object is a Table of one row (also for DELETED; a BOOKMARK's row, if any, is an empty object
    // holding only the resourceVersion). Events are handed on one per row, as plain objects.
    watchParser(onEvent) {
      return jsonDecoder.watchParser((event: WatchEvent) => {
        if (event.type === "ERROR") return onEvent(event);
        const table = event.object as RawTable;
        if (table?.kind !== "Table") throw notTable("a watch event", table?.kind);
        source.setColumns(table.columnDefinitions);
        const rows = table.rows ?? [];
        const version = table.metadata?.resourceVersion;
        if (event.type === "BOOKMARK" || rows.length === 0) {
          const metadata = rows[0]?.object?.metadata;
          onEvent({
            type: "BOOKMARK",
            object: {
              metadata: {
                resourceVersion: version || metadata?.resourceVersion,
                ...(metadata?.annotations && { annotations: metadata.annotations }),
              },
            },
          });
          return;
        }
        for (const row of rows) {
          const obj = rowObject(source, row);
          if (version && obj.metadata && !obj.metadata.resourceVersion) {
            obj.metadata = { ...obj.metadata, resourceVersion: version };
          }
          onEvent({ type: event.type, object: obj });
        }
      });
    },
  };
}

/** apimachinery's duration.HumanDuration, as kubectl prints ages ("45s", "3m2s", "4h", "2d3h", "85d", "3y45d"). */
export function humanDuration(ms: number): string {
  // Up to 2 seconds in the future counts as now: clocks of two machines differ.
  const seconds = Math.trunc(ms / 1000);
  if (seconds < -1) return "<invalid>";
  if (seconds < 0) return "0s";
  if (seconds < 120) return `${seconds}s`;
  const minutes = Math.trunc(seconds / 60);
  if (minutes < 10) return seconds % 60 === 0 ? `${minutes}m` : `${minutes}m${seconds % 60}s`;
  if (minutes < 180) return `${minutes}m`;
  const hours = Math.trunc(minutes / 60);
  if (hours < 8) return minutes % 60 === 0 ? `${hours}h` : `${hours}h${minutes % 60}m`;
  if (hours < 48) return `${hours}h`;
  const days = Math.trunc(hours / 24);
  if (hours < 24 * 8) return hours % 24 === 0 ? `${days}d` : `${days}d${hours % 24}h`;
  if (hours < 24 * 365 * 2) return `${days}d`;
  const years = Math.trunc(days / 365);
  if (hours < 24 * 365 * 8) return days % 365 === 0 ? `${years}y` : `${years}y${days % 365}d`;
  return `${years}y`;
}
