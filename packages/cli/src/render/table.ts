/**
 * Tables laid out like the Docker CLI's (Go's tabwriter with minwidth 10, padding 3): every column
 * but the last is padded to its widest cell plus three spaces, at least ten characters wide; the
 * last column is printed as is.
 */
const MIN_WIDTH = 10;
const PADDING = 3;

/** Width in characters (code points), as tabwriter counts runes. */
export function textWidth(s: string): number {
  return [...s].length;
}

export function renderTable(headers: readonly string[], rows: readonly (readonly string[])[]): string[] {
  const all = [headers, ...rows];
  const widths = headers.map((_, col) => Math.max(MIN_WIDTH, ...all.map((r) => textWidth(r[col] ?? '') + PADDING)));
  return all.map((row) =>
    headers
      .map((_, col) => {
        const cell = row[col] ?? '';
        return col === headers.length - 1 ? cell : cell + ' '.repeat(widths[col]! - textWidth(cell));
      })
      .join('')
      .trimEnd(),
  );
}
