import { renderTable } from './table.js';

/** One column of a listing: its table header, its key in `--format json` (Docker's), its value. */
export interface Column<R> {
  header: string;
  key: string;
  value: (row: R) => string;
}

export interface ListingOptions {
  quiet?: boolean;
  format?: string;
}

/** Rejects a --format this CLI does not know (Docker's Go templates are not supported). */
export function checkFormat(format: string | undefined): void {
  if (format === undefined || format === 'json' || format === 'table') return;
  throw new Error(`unsupported --format "${format}": use "json" or "table"`);
}

/** One JSON object per row with the keys sorted, as `docker ... --format json` prints them. */
export function renderJsonLines<R>(rows: readonly R[], columns: readonly Column<R>[], extra?: (row: R) => Record<string, unknown>): string[] {
  return rows.map((row) => {
    const obj: Record<string, unknown> = { ...extra?.(row) };
    for (const c of columns) obj[c.key] = c.value(row);
    const sorted = Object.fromEntries(Object.keys(obj).sort().map((k) => [k, obj[k]]));
    return JSON.stringify(sorted);
  });
}

export interface Listing<R> {
  columns: readonly Column<R>[];
  /** What `-q` prints for a row. */
  id: (row: R) => string;
  /** Cells that appear in the table differently from JSON (e.g. node ls's `ID *`). */
  tableCell?: (row: R, column: Column<R>) => string | undefined;
  /** Extra fields only in JSON (e.g. node ls's Self). */
  jsonExtra?: (row: R) => Record<string, unknown>;
}

/** The lines a listing prints: IDs with -q, JSON lines with --format json, else a table. */
export function renderListing<R>(rows: readonly R[], listing: Listing<R>, opts: ListingOptions): string[] {
  checkFormat(opts.format);
  if (opts.quiet) return rows.map(listing.id);
  if (opts.format === 'json') return renderJsonLines(rows, listing.columns, listing.jsonExtra);
  const headers = listing.columns.map((c) => c.header);
  const cells = rows.map((r) => listing.columns.map((c) => listing.tableCell?.(r, c) ?? c.value(r)));
  return renderTable(headers, cells);
}
