/** Markdown tables and number formatting for the printed and written results. */

export type Cell = string | number | null | undefined;

/** A GitHub-flavoured Markdown table; numeric columns are right-aligned. */
export function markdownTable(headers: readonly string[], rows: readonly Cell[][]): string {
  const text = rows.map((row) => headers.map((_, i) => cellText(row[i])));
  const numeric = headers.map((_, i) => rows.length > 0 && rows.every((row) => typeof row[i] === 'number' || row[i] == null));
  const lines = [
    `| ${headers.join(' | ')} |`,
    `| ${numeric.map((n) => (n ? '---:' : '---')).join(' | ')} |`,
    ...text.map((cells) => `| ${cells.join(' | ')} |`),
  ];
  return lines.join('\n');
}

function cellText(cell: Cell): string {
  if (cell == null) return '–';
  if (typeof cell === 'number') return formatNumber(cell);
  return cell.replace(/\|/g, '\\|');
}

/** Integers as they are; otherwise three significant digits for small numbers, none after the point for large ones. */
export function formatNumber(value: number): string {
  if (!Number.isFinite(value)) return '–';
  if (Number.isInteger(value)) return String(value);
  const abs = Math.abs(value);
  if (abs >= 100) return value.toFixed(0);
  if (abs >= 10) return value.toFixed(1);
  if (abs >= 1) return value.toFixed(2);
  return value.toFixed(3);
}

/** `x` relative to the best of `others` (`lowerIsBetter` picks the minimum), e.g. `0.42×`; '–' without peers. */
export function ratioToBest(value: number | undefined, others: readonly (number | undefined)[], lowerIsBetter: boolean): string {
  const valid = others.filter((v): v is number => v != null && Number.isFinite(v) && v > 0);
  if (value == null || !Number.isFinite(value) || valid.length === 0) return '–';
  const best = lowerIsBetter ? Math.min(...valid) : Math.max(...valid);
  return `${formatNumber(value / best)}×`;
}

/** A target's verdict cell: met, or not met in bold. */
export function verdict(ok: boolean): string {
  return ok ? 'met' : '**not met**';
}

/** Bytes in decimal gigabytes (10⁹), as issue 16's memory bound is written, e.g. `0.703 GB`. */
export function gigabytes(bytes: number): string {
  return `${formatNumber(bytes / 1e9)} GB`;
}

export function megabytes(bytes: number): number {
  return bytes / (1024 * 1024);
}
