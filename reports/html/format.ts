import { roundSignificant } from "./significant.js";

/**
 * Text helpers of the HTML report: escaping for the two places data goes (HTML text and a
 * JSON data block) and the display formats of its tables. Every format is locale-free
 * (no `toLocaleString`, times in UTC), so the page is byte-identical on every machine.
 */

const HTML_ESCAPES: Readonly<Record<string, string>> = {
  "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;",
};

/** Text for HTML element content or a quoted attribute value. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (character) => HTML_ESCAPES[character]);
}

/**
 * JSON for a `<script type="application/json">` block. `<`, `>` and `&` become `\u003c`
 * and friends, so no `</script>` or `<!--` can end the block early, and U+2028/U+2029 are
 * escaped for older parsers; `JSON.parse` reads all of these back unchanged. Non-finite
 * numbers become null (as `JSON.stringify` writes them).
 */
export function jsonForScript(value: unknown): string {
  const json = JSON.stringify(value);
  return SCRIPT_UNSAFE.test(json) ? json.replace(SCRIPT_UNSAFE_ALL, escapeForScript) : json;
}

/**
 * Writes `text` (JSON text) made script-safe as `jsonForScript` makes it, as UTF-8, into `bytes`
 * at `at` (room for 6 bytes per character); returns the bytes written. Text with nothing to
 * escape and all ASCII — almost always — is copied byte for byte (the same bytes as UTF-8).
 */
export function bytesForScript(text: string, bytes: Buffer, at: number): number {
  if (!SCRIPT_UNSAFE_OR_WIDE.test(text)) return bytes.write(text, at, "latin1");
  return bytes.write(SCRIPT_UNSAFE.test(text) ? text.replace(SCRIPT_UNSAFE_ALL, escapeForScript) : text, at, "utf8");
}

const escapeForScript = (character: string): string => `\\u${character.charCodeAt(0).toString(16).padStart(4, "0")}`;

const SCRIPT_UNSAFE = /[<>&\u2028\u2029]/;
const SCRIPT_UNSAFE_ALL = /[<>&\u2028\u2029]/g;
/** What needs escaping or UTF-8 encoding (anything beyond ASCII, U+2028/U+2029 among it): one character class, a fast scan. */
const SCRIPT_UNSAFE_OR_WIDE = /[<>&\u0080-\uffff]/;

export { roundSignificant } from "./significant.js";

const MISSING = "—";

/** Thousands separated by a thin space, e.g. `12 345.68`; `-0.00` shows as `0.00`. */
export function formatFixed(value: number | null, decimals: number): string {
  if (value === null || !Number.isFinite(value)) return MISSING;
  const text = value.toFixed(decimals);
  const [whole, fraction] = (/^-0(\.0+)?$/.test(text) ? text.slice(1) : text).split(".");
  const grouped = whole.replace(/\B(?=(\d{3})+(?!\d))/g, "\u2009");
  return fraction === undefined ? grouped : `${grouped}.${fraction}`;
}

/** A fraction as a percentage: 0.1234 → `12.34 %`. */
export function formatPct(fraction: number | null, decimals = 2): string {
  return fraction === null || !Number.isFinite(fraction) ? MISSING : `${formatFixed(fraction * 100, decimals)} %`;
}

export function formatUsd(value: number | null): string {
  return formatFixed(value, 2);
}

export function formatCount(value: number | null): string {
  return formatFixed(value, 0);
}

/** Any number: integers whole, others to 6 significant digits. */
export function formatNumber(value: number | null): string {
  if (value === null || !Number.isFinite(value)) return MISSING;
  return Number.isInteger(value) ? formatCount(value) : String(roundSignificant(value, 6));
}

/** A duration in ms as its two largest units: `3d 4h`, `5h 12m`, `42m`, `15s`. */
export function formatDurationMs(ms: number | null): string {
  if (ms === null || !Number.isFinite(ms)) return MISSING;
  const units: [string, number][] = [["d", 86_400_000], ["h", 3_600_000], ["m", 60_000], ["s", 1_000]];
  let rest = Math.round(Math.abs(ms) / 1_000) * 1_000;
  const parts: string[] = [];
  for (const [label, size] of units) {
    if (parts.length === 2) break;
    const count = Math.floor(rest / size);
    rest -= count * size;
    if (count > 0 || parts.length > 0) parts.push(`${count}${label}`);
  }
  return (ms < 0 ? "-" : "") + (parts.length === 0 ? "0s" : parts.filter((part) => !/^0/.test(part)).join(" "));
}

/** Epoch ms as `2025-09-17 07:00 UTC`. */
export function formatTimeUtc(ms: number | null): string {
  if (ms === null || !Number.isFinite(ms)) return MISSING;
  return `${new Date(ms).toISOString().slice(0, 16).replace("T", " ")} UTC`;
}
