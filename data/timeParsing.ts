/**
 * Time values in data files (SPEC §2): ISO-8601 strings or epoch numbers in seconds,
 * milliseconds or microseconds. The format is detected once per file from its first data
 * row and then applied to every row, so a file cannot silently mix units.
 */

import { parseShortDigits } from "./epochDigits.js";

export type TimeFormat = "iso" | "epoch-s" | "epoch-ms" | "epoch-us";

/** Upper bounds of the epoch magnitude classes (absolute value). */
const SECONDS_BELOW = 1e11;
const MILLISECONDS_BELOW = 1e14;

const EPOCH_NUMBER = /^[+-]?\d+(\.\d+)?$/;

/*
 * Date, optional time with optional fraction, optional zone. Date.parse is not used because
 * it reads a zone-less date-time as local time; SPEC §2 wants UTC.
 */
const ISO_DATE_TIME =
  /^(\d{4})-(\d{2})-(\d{2})(?:[Tt ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d{1,9}))?)?)?\s*([Zz]|[+-]\d{2}(?::?\d{2})?)?$/;

/** Human name of a format, for error messages. */
export function describeTimeFormat(format: TimeFormat): string {
  switch (format) {
    case "iso":
      return "ISO-8601 dates";
    case "epoch-s":
      return "epoch seconds";
    case "epoch-ms":
      return "epoch milliseconds";
    case "epoch-us":
      return "epoch microseconds";
  }
}

/** The format of a time value, or null when it is neither an epoch number nor ISO-8601. */
export function detectTimeFormat(text: string): TimeFormat | null {
  const value = text.trim();
  if (EPOCH_NUMBER.test(value)) return Number.isFinite(Number(value)) ? epochFormatOf(Number(value)) : null;
  return Number.isFinite(parseIsoTimeMs(value)) ? "iso" : null;
}

/**
 * Epoch ms of a time value in the given format; NaN when the value does not parse or its
 * magnitude belongs to another epoch unit than the file's.
 */
export function parseTimeMs(text: string, format: TimeFormat): number {
  if (format !== "iso") {
    // Plain integer epochs (nearly every file): no trim, no regular expression, same result.
    const digits = parseShortDigits(text);
    if (digits === digits) return epochFormatOf(digits) === format ? epochToMs(digits, format) : NaN;
  }
  const value = text.trim();
  if (format === "iso") return parseIsoTimeMs(value);
  if (!EPOCH_NUMBER.test(value)) return NaN;
  const epoch = Number(value);
  if (!Number.isFinite(epoch) || epochFormatOf(epoch) !== format) return NaN;
  return epochToMs(epoch, format);
}

function epochToMs(epoch: number, format: TimeFormat): number {
  if (format === "epoch-s") return epoch * 1000;
  if (format === "epoch-ms") return epoch;
  return epoch / 1000;
}

function epochFormatOf(epoch: number): TimeFormat {
  const magnitude = Math.abs(epoch);
  if (magnitude < SECONDS_BELOW) return "epoch-s";
  if (magnitude < MILLISECONDS_BELOW) return "epoch-ms";
  return "epoch-us";
}

/** Epoch ms of an ISO-8601 date or date-time (UTC when no zone is given), or NaN. */
export function parseIsoTimeMs(text: string): number {
  const match = ISO_DATE_TIME.exec(text);
  if (match === null) return NaN;
  const year = Number(match[1]);
  const month = Number(match[2]);
  const day = Number(match[3]);
  const hour = match[4] === undefined ? 0 : Number(match[4]);
  const minute = match[5] === undefined ? 0 : Number(match[5]);
  const second = match[6] === undefined ? 0 : Number(match[6]);
  // Sub-millisecond digits are dropped: bar times are kept to the millisecond.
  const millisecond = match[7] === undefined ? 0 : Number(match[7].slice(0, 3).padEnd(3, "0"));
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return NaN;
  if (hour > 23 || minute > 59 || second > 59) return NaN;
  const local = Date.UTC(year, month - 1, day, hour, minute, second, millisecond);
  return local - zoneOffsetMs(match[8]);
}

function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

/** Offset of a zone designator east of UTC in ms; 0 for "Z" or none. */
function zoneOffsetMs(zone: string | undefined): number {
  if (zone === undefined || zone === "Z" || zone === "z") return 0;
  const sign = zone[0] === "-" ? -1 : 1;
  const digits = zone.slice(1).replace(":", "");
  const hours = Number(digits.slice(0, 2));
  const minutes = digits.length > 2 ? Number(digits.slice(2, 4)) : 0;
  return sign * (hours * 60 + minutes) * 60_000;
}

/** A time for messages: ISO when representable, the raw number otherwise. */
export function formatTimeMs(timeMs: number): string {
  const date = new Date(timeMs);
  return Number.isNaN(date.getTime()) ? String(timeMs) : date.toISOString();
}

/** A duration for messages: "1h", "5m", "1d", "90s", else milliseconds. */
export function formatDurationMs(durationMs: number): string {
  const units: readonly [number, string][] = [
    [86_400_000, "d"],
    [3_600_000, "h"],
    [60_000, "m"],
    [1000, "s"],
  ];
  for (const [size, suffix] of units) {
    if (durationMs >= size && durationMs % size === 0) return `${durationMs / size}${suffix}`;
  }
  return `${durationMs}ms`;
}
