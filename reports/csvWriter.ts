/**
 * Writes CSV text straight into a fixed byte buffer and hands each full buffer to a sink (a
 * file descriptor, or a collector in tests), so a file of a million rows is never one string
 * and no row or field string is built for integers, times or text already in the buffer.
 *
 * Every value is written exactly as the string formatters of `csv.ts` write it (tested byte
 * for byte): numbers as `String(x)` — the shortest text that parses back to the same float64 —
 * with integers written digit by digit (the same text, no string made), an empty field for
 * null / NaN / ±Infinity, booleans as `true` / `false`, text quoted only when it holds `,`,
 * `"`, `\r` or `\n`, and text that a spreadsheet would run as a formula neutralised (see
 * `neutralizeFormula`).
 */
import { formatIsoTime } from "./isoTime.js";

/** Receives the bytes of one full buffer (only valid during the call: the buffer is reused). */
export type ChunkSink = (bytes: Uint8Array) => void;

export type CsvField = string | number | boolean | null | undefined;

/** 256 KiB: large enough that each write call moves a lot, small enough to stay in cache. */
const CHUNK_BYTES = 1 << 18;
/** The longest `String(x)` of a double (e.g. `-2.2250738585072014e-308`) is 24 characters. */
const NUMBER_ROOM = 32;
const DAY_MS = 86_400_000;
const COMMA = 44;
const NEWLINE = 10;
const QUOTE = 34;
const DIGIT_0 = 48;

export class CsvWriter {
  private readonly buffer: Buffer;
  private position = 0;
  private cachedDayMs = NaN;
  private cachedDatePrefix = "";

  constructor(private readonly sink: ChunkSink, capacity = CHUNK_BYTES) {
    this.buffer = Buffer.allocUnsafe(Math.max(capacity, 256));
  }

  /** Hands what is buffered to the sink. */
  flush(): void {
    if (this.position === 0) return;
    this.sink(this.buffer.subarray(0, this.position));
    this.position = 0;
  }

  comma(): void {
    if (this.position === this.buffer.length) this.flush();
    this.buffer[this.position++] = COMMA;
  }

  newline(): void {
    if (this.position === this.buffer.length) this.flush();
    this.buffer[this.position++] = NEWLINE;
  }

  /** Text as it is (UTF-8), with no quoting: header names and other fixed text. */
  raw(text: string): void {
    const length = text.length;
    if (this.position + length > this.buffer.length) this.flush();
    if (length <= 64 && this.position + length <= this.buffer.length) {
      let position = this.position;
      for (let k = 0; k < length; k++) {
        const code = text.charCodeAt(k);
        if (code > 127) return this.rawUtf8(text);
        this.buffer[position++] = code;
      }
      this.position = position;
      return;
    }
    this.rawUtf8(text);
  }

  private rawUtf8(text: string): void {
    const most = Buffer.byteLength(text);
    if (this.position + most > this.buffer.length) this.flush();
    if (most > this.buffer.length) {
      this.sink(Buffer.from(text));
      return;
    }
    this.position += this.buffer.write(text, this.position);
  }

  /** A number as `formatNumber` writes it: `String(x)`, nothing when missing or not finite. */
  number(value: number | null | undefined): void {
    if (value === null || value === undefined || !Number.isFinite(value)) return;
    if (Number.isSafeInteger(value)) this.integer(value);
    else this.raw(String(value));
  }

  /** A safe integer's decimal digits (what `String(n)` gives, `-0` as `0`). */
  integer(value: number): void {
    if (this.position + NUMBER_ROOM > this.buffer.length) this.flush();
    let rest = value;
    if (rest < 0) {
      this.buffer[this.position++] = 45; // "-"
      rest = -rest;
    }
    let digits = 1;
    for (let scale = 10; scale <= rest; scale *= 10) digits++;
    let position = this.position + digits;
    this.position = position;
    do {
      const next = Math.floor(rest / 10);
      this.buffer[--position] = DIGIT_0 + (rest - next * 10);
      rest = next;
    } while (rest > 0);
  }

  /**
   * Epoch ms as `formatIsoTime` writes it (ISO-8601 UTC with ms). The date part of the last
   * day seen is kept, so a long, mostly consecutive time column costs a few digit writes a row.
   */
  isoTime(timeMs: number | null | undefined): void {
    if (timeMs === null || timeMs === undefined || !Number.isInteger(timeMs) || Math.abs(timeMs) > 8.64e15 - DAY_MS) {
      this.raw(formatIsoTime(timeMs));
      return;
    }
    const dayMs = Math.floor(timeMs / DAY_MS) * DAY_MS;
    if (dayMs !== this.cachedDayMs) {
      const iso = new Date(dayMs).toISOString();
      this.cachedDayMs = dayMs;
      this.cachedDatePrefix = iso.slice(0, iso.indexOf("T") + 1);
    }
    this.raw(this.cachedDatePrefix);
    if (this.position + 16 > this.buffer.length) this.flush();
    let rest = timeMs - dayMs;
    const hours = Math.floor(rest / 3_600_000);
    rest -= hours * 3_600_000;
    const minutes = Math.floor(rest / 60_000);
    rest -= minutes * 60_000;
    const seconds = Math.floor(rest / 1000);
    this.twoDigits(hours, 58); // ":"
    this.twoDigits(minutes, 58);
    this.twoDigits(seconds, 46); // "."
    const millis = rest - seconds * 1000;
    const buffer = this.buffer;
    buffer[this.position++] = DIGIT_0 + Math.floor(millis / 100);
    buffer[this.position++] = DIGIT_0 + (Math.floor(millis / 10) % 10);
    buffer[this.position++] = DIGIT_0 + (millis % 10);
    buffer[this.position++] = 90; // "Z"
  }

  private twoDigits(value: number, separator: number): void {
    const tens = Math.floor(value / 10);
    this.buffer[this.position++] = DIGIT_0 + tens;
    this.buffer[this.position++] = DIGIT_0 + (value - tens * 10);
    this.buffer[this.position++] = separator;
  }

  /** One field of any type, as `formatCsvField` writes it. */
  field(value: CsvField): void {
    if (typeof value === "number") this.number(value);
    else if (typeof value === "boolean") this.raw(value ? "true" : "false");
    else if (typeof value === "string") this.text(value);
  }

  /** Text as a CSV field: formulas neutralised, quoted (with `"` doubled) only when needed. */
  text(value: string): void {
    const safe = neutralizeFormula(value);
    if (!NEEDS_QUOTES.test(safe)) {
      this.raw(safe);
      return;
    }
    if (this.position === this.buffer.length) this.flush();
    this.buffer[this.position++] = QUOTE;
    this.raw(safe.replaceAll('"', '""'));
    if (this.position === this.buffer.length) this.flush();
    this.buffer[this.position++] = QUOTE;
  }

  /**
   * A row of fields separated by commas, ended by a newline. The fields at `isoColumns` are
   * epoch ms written as ISO-8601 times (our own text, never neutralised as a formula).
   */
  row(fields: readonly CsvField[], isoColumns: readonly number[] = NO_COLUMNS): void {
    let nextIso = isoColumns.length > 0 ? isoColumns[0] : -1;
    let isoIndex = 0;
    for (let k = 0; k < fields.length; k++) {
      if (k > 0) this.comma();
      if (k === nextIso) {
        this.isoTime(fields[k] as number | null | undefined);
        isoIndex++;
        nextIso = isoIndex < isoColumns.length ? isoColumns[isoIndex] : -1;
      } else {
        this.field(fields[k]);
      }
    }
    this.newline();
  }
}

const NEEDS_QUOTES = /[",\r\n]/;
const NO_COLUMNS: readonly number[] = [];

/** Text that is a plain decimal number (`-1.5`, `+2`, `1e-9`): data, not a formula. */
const PLAIN_NUMBER = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

/**
 * CSV injection (OWASP "CSV Injection"): a cell that starts with `=`, `+`, `-`, `@`, a tab or
 * a carriage return is run as a formula by Excel, LibreOffice and Google Sheets — a symbol
 * named after a file `=HYPERLINK(…).csv` would become a live link. Such text gets a leading
 * `'`, which spreadsheets show as text and drop from the cell's value. Numbers are never
 * changed: they are written from numbers, and text that is a plain decimal number (a signed
 * value already formatted) is data, not a formula.
 */
export function neutralizeFormula(text: string): string {
  if (text.length === 0) return text;
  const first = text.charCodeAt(0);
  // "=" 61, "+" 43, "-" 45, "@" 64, tab 9, CR 13
  if (first !== 61 && first !== 43 && first !== 45 && first !== 64 && first !== 9 && first !== 13) return text;
  if ((first === 43 || first === 45) && PLAIN_NUMBER.test(text)) return text;
  return `'${text}`;
}

/** Output-folder content (`writeRunFolder`) streamed through a writer: never one string. */
export function streamedCsv(write: (writer: CsvWriter) => void): { readonly stream: (sink: ChunkSink) => void } {
  return {
    stream(sink) {
      const writer = new CsvWriter(sink);
      write(writer);
      writer.flush();
    },
  };
}

/** Runs `write` against a writer whose bytes are collected and returned as one string. */
export function writeToString(write: (writer: CsvWriter) => void): string {
  const chunks: Buffer[] = [];
  const writer = new CsvWriter((bytes) => void chunks.push(Buffer.from(bytes)));
  write(writer);
  writer.flush();
  return Buffer.concat(chunks).toString("utf8");
}
