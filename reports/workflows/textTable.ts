/**
 * Text helpers shared by the workflow formatters (compare, tiers, regress): aligned plain-text
 * tables for the terminal, Markdown tables, and number display. Formatting only; every
 * function is deterministic (no locale: `toFixed` / `toPrecision`, never `toLocaleString`).
 */

export type Align = "left" | "right";

/** Shown for a value that is missing or undefined (null, NaN, ±Infinity). */
export const MISSING = "—";

export interface TextTable {
  readonly header: readonly string[];
  readonly rows: readonly (readonly string[])[];
  /** Per column; columns without an entry are left-aligned. */
  readonly align?: readonly Align[];
}

function widthsOf(table: TextTable): number[] {
  const widths = table.header.map((cell) => cell.length);
  for (const row of table.rows) {
    row.forEach((cell, column) => {
      widths[column] = Math.max(widths[column] ?? 0, cell.length);
    });
  }
  return widths;
}

function padCell(cell: string, width: number, align: Align): string {
  return align === "right" ? cell.padStart(width) : cell.padEnd(width);
}

/** Columns separated by two spaces, a dashed rule under the header, no trailing spaces, no final newline. */
export function formatAlignedTable(table: TextTable): string {
  const widths = widthsOf(table);
  const line = (cells: readonly string[]): string =>
    widths
      .map((width, column) => padCell(cells[column] ?? "", width, table.align?.[column] ?? "left"))
      .join("  ")
      .trimEnd();
  const rule = widths.map((width) => "-".repeat(width)).join("  ");
  return [line(table.header), rule, ...table.rows.map(line)].join("\n");
}

/** A Markdown cell: `|` escaped, line breaks flattened. */
function markdownCell(cell: string): string {
  return cell.replaceAll("|", "\\|").replace(/\r?\n|\r/g, " ");
}

/** A GitHub-flavoured Markdown table, no final newline. */
export function formatMarkdownTable(table: TextTable): string {
  const row = (cells: readonly string[]): string => `| ${cells.map(markdownCell).join(" | ")} |`;
  const rule = `|${table.header.map((_, column) => (table.align?.[column] === "right" ? "---:" : "---")).join("|")}|`;
  return [row(table.header), rule, ...table.rows.map(row)].join("\n");
}

function isShown(value: number | null | undefined): value is number {
  return value !== null && value !== undefined && Number.isFinite(value);
}

/** `toFixed` without a negative zero ("-0.00" becomes "0.00"). */
function fixed(value: number, digits: number): string {
  const text = value.toFixed(digits);
  return /^-0\.?0*$/.test(text) ? text.slice(1) : text;
}

/** A fraction as a percentage: 0.1234 → "12.34 %". */
export function displayPercent(value: number | null | undefined, digits = 2): string {
  return isShown(value) ? `${fixed(value * 100, digits)} %` : MISSING;
}

/** A signed fraction as a percentage: 0.01 → "+1.00 %". */
export function displaySignedPercent(value: number | null | undefined, digits = 2): string {
  if (!isShown(value)) return MISSING;
  const text = fixed(value * 100, digits);
  return `${value > 0 && !/^0\.?0*$/.test(text) ? "+" : ""}${text} %`;
}

/** A plain number with a fixed number of decimals: 1.5 → "1.50". */
export function displayNumber(value: number | null | undefined, digits = 2): string {
  return isShown(value) ? fixed(value, digits) : MISSING;
}

/** A signed number with a fixed number of decimals: 1.5 → "+1.50". */
export function displaySignedNumber(value: number | null | undefined, digits = 2): string {
  if (!isShown(value)) return MISSING;
  const text = fixed(value, digits);
  return `${value > 0 && !/^0\.?0*$/.test(text) ? "+" : ""}${text}`;
}

/** A number to `digits` significant digits in its shortest form: 0.012345678 → "0.0123457". */
export function displaySignificant(value: number | null | undefined, digits = 6): string {
  if (!isShown(value)) return MISSING;
  const rounded = Number(value.toPrecision(digits));
  return String(rounded === 0 ? 0 : rounded);
}

/** Like `displaySignificant`, with a "+" on positive values. */
export function displaySignedSignificant(value: number | null | undefined, digits = 6): string {
  const text = displaySignificant(value, digits);
  return isShown(value) && Number(text) > 0 ? `+${text}` : text;
}
