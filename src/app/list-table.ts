// A short list as a table (a pod's containers, the contexts): every row measured, since there are few; the selected
// one in reverse video. Long lists use the table view, which measures only what is on screen.
import { cellText } from "../kube/table.ts";
import { displayWidth, isPrintableAscii, sanitize } from "../tui/width.ts";
import { layoutColumns, paintHeader, paintRow, type TableColumn } from "./table.ts";

/** A cell as drawn: as kubectl prints a multi-line value (up to its first line break, then "..."), controls replaced. */
const clean = (text: string) => (isPrintableAscii(text) ? text : sanitize(cellText(text)));

/** The header line and one line per row, cut to `width`; `style` gives a row's SGR codes ("" plain). */
export function listTableLines<Row>(
  columns: readonly TableColumn<Row>[],
  rows: readonly Row[],
  options: { width: number; now: number; cursor: number; style: (row: Row) => string },
): string[] {
  const cells = rows.map((r) => columns.map((c) => clean(c.cell(r, options.now))));
  const natural = columns.map((c, i) => Math.max(displayWidth(c.name), ...cells.map((r) => displayWidth(r[i] ?? ""))));
  const { shown, widths } = layoutColumns(columns, natural, options.width);
  const lines = [
    paintHeader(
      shown.map((i) => columns[i]?.name ?? ""),
      widths,
    ),
  ];
  rows.forEach((row, i) => {
    const rowCells = cells[i] as string[];
    const paint = { base: options.style(row), selected: i === options.cursor };
    lines.push(
      paintRow(
        shown.map((c) => rowCells[c] as string),
        widths,
        paint,
        options.width,
      ),
    );
  });
  return lines;
}
