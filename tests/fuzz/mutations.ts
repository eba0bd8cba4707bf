/**
 * Mutations of valid inputs: CSV text (bars, funding, predictions), JSON config documents
 * and Q-tables. Each mutation is seeded and returns a short note, so a failure message says
 * what was done to the file.
 */

import type { Rng } from "./prng.js";
import { RawJson, toJsonText, type Json } from "./validInputs.js";

/** A file's content after mutation: text, or bytes once binary junk went in. */
export type Content = string | Uint8Array;

export interface CsvShape {
  /** Line 0 is a header. */
  readonly hasHeader: boolean;
  /** Field index of the time column. */
  readonly timeColumn: number;
  /** Field indexes of numeric columns (prices, volume, rates, confidence …). */
  readonly numericColumns: readonly number[];
}

/** Values to drop into a numeric field. */
export const SPECIAL_NUMBERS = [
  "NaN", "nan", "Infinity", "-Infinity", "inf", "-inf", "1e308", "1e400", "-1e400", "1e-400", "-1e308", "4.9e-324",
  "-0", "0", "0.0", "-1", "-0.0001", "+5", ".5", "5.", "0x10", "0b11", "1_000", "1,000", " 12 ", "", " ", "12e", "e5",
  "--1", "1..2", "١٢٣", "１２３", "12\u00a0", "9".repeat(400), "0.".concat("0".repeat(330), "1"), "null", "undefined", "true",
] as const;

const LETTERS = ["abc", "x", "12a.5", "1O0", "one", "N/A", "-", "?", "#VALUE!", "€100", "12%"];

const TIME_JUNK = [
  "0", "-1", "1", "99999999999999999999", "1e12", "1704067200000.5", "2024-13-01", "2024-02-30T00:00:00Z", "2024-01-01T25:00:00Z",
  "2024/01/01 00:00", "01.01.2024", "Mon, 01 Jan 2024 00:00:00 GMT", "2024-01-01T00:00:00+25:00", "2024-01-01T00:00:00.123456789Z",
  "9999-12-31T23:59:59Z", "0000-01-01", "-271821-04-20", "1970-01-01", "T", "now", "",
];

function splitLines(text: string): string[] {
  const lines = text.split("\n");
  if (lines.length > 0 && lines[lines.length - 1] === "") lines.pop();
  return lines;
}

function joinLines(lines: readonly string[]): string {
  return lines.map((line) => `${line}\n`).join("");
}

function dataRange(lines: readonly string[], shape: CsvShape): [number, number] {
  return [shape.hasHeader ? 1 : 0, lines.length - 1];
}

function pickDataLine(rng: Rng, lines: readonly string[], shape: CsvShape): number {
  const [first, last] = dataRange(lines, shape);
  return last < first ? -1 : rng.int(first, last);
}

function setField(line: string, column: number, value: string): string {
  const fields = line.split(",");
  if (column < fields.length) fields[column] = value;
  return fields.join(",");
}

type TextMutation = (rng: Rng, lines: string[], shape: CsvShape) => { lines: string[]; note: string };

/** Mutations that keep the text line-structured. */
const LINE_MUTATIONS: Record<string, TextMutation> = {
  letters: (rng, lines, shape) => {
    const at = pickDataLine(rng, lines, shape);
    if (at < 0) return { lines, note: "letters: no data line" };
    const column = rng.pick(shape.numericColumns);
    const value = rng.pick(LETTERS);
    lines[at] = setField(lines[at], column, value);
    return { lines, note: `line ${at + 1} field ${column} = ${JSON.stringify(value)}` };
  },
  specialNumber: (rng, lines, shape) => {
    const at = pickDataLine(rng, lines, shape);
    if (at < 0) return { lines, note: "special: no data line" };
    const column = rng.pick(shape.numericColumns);
    const value = rng.pick(SPECIAL_NUMBERS);
    lines[at] = setField(lines[at], column, value);
    return { lines, note: `line ${at + 1} field ${column} = ${JSON.stringify(value.length > 40 ? `${value.slice(0, 20)}…(${value.length})` : value)}` };
  },
  specialNumberEverywhere: (rng, lines, shape) => {
    const column = rng.pick(shape.numericColumns);
    const value = rng.pick(["0", "1e308", "-1", "1e-320", "NaN", "1e400", "0.00000001"]);
    const [first, last] = dataRange(lines, shape);
    for (let i = first; i <= last; i++) lines[i] = setField(lines[i], column, value);
    return { lines, note: `every data row field ${column} = ${value}` };
  },
  negate: (rng, lines, shape) => {
    const at = pickDataLine(rng, lines, shape);
    if (at < 0) return { lines, note: "negate: no data line" };
    const column = rng.pick(shape.numericColumns);
    const field = lines[at].split(",")[column] ?? "";
    lines[at] = setField(lines[at], column, field.startsWith("-") ? field.slice(1) : `-${field}`);
    return { lines, note: `line ${at + 1} field ${column} negated` };
  },
  swapColumns: (rng, lines, shape) => {
    // high < low when the columns are high and low; else some other inconsistency.
    const at = pickDataLine(rng, lines, shape);
    if (at < 0 || shape.numericColumns.length < 2) return { lines, note: "swap: nothing to swap" };
    const [a, b] = rng.shuffle(shape.numericColumns).slice(0, 2);
    const fields = lines[at].split(",");
    [fields[a], fields[b]] = [fields[b], fields[a]];
    lines[at] = fields.join(",");
    return { lines, note: `line ${at + 1} fields ${a} and ${b} swapped` };
  },
  duplicateLine: (rng, lines, shape) => {
    const at = pickDataLine(rng, lines, shape);
    if (at < 0) return { lines, note: "duplicate: no data line" };
    lines.splice(at, 0, lines[at]);
    return { lines, note: `line ${at + 1} duplicated` };
  },
  swapLines: (rng, lines, shape) => {
    const a = pickDataLine(rng, lines, shape);
    const b = pickDataLine(rng, lines, shape);
    if (a < 0) return { lines, note: "swap lines: no data" };
    [lines[a], lines[b]] = [lines[b], lines[a]];
    return { lines, note: `lines ${a + 1} and ${b + 1} swapped` };
  },
  reverse: (_rng, lines, shape) => {
    const [first] = dataRange(lines, shape);
    return { lines: [...lines.slice(0, first), ...lines.slice(first).reverse()], note: "data rows reversed" };
  },
  timeJunk: (rng, lines, shape) => {
    const at = pickDataLine(rng, lines, shape);
    if (at < 0) return { lines, note: "time: no data line" };
    const value = rng.pick(TIME_JUNK);
    lines[at] = setField(lines[at], shape.timeColumn, value);
    return { lines, note: `line ${at + 1} time = ${JSON.stringify(value)}` };
  },
  timeOtherUnit: (rng, lines, shape) => {
    // One row's time in another unit than the rest (mixed units).
    const at = pickDataLine(rng, lines, shape);
    if (at < 0) return { lines, note: "unit: no data line" };
    const text = lines[at].split(",")[shape.timeColumn] ?? "";
    const ms = /^\d+$/.test(text) ? Number(text) : Date.parse(text);
    const unit = rng.pick(["s", "us", "iso", "ms-float"]);
    const value = !Number.isFinite(ms) ? "x" : unit === "s" ? String(ms / 1000) : unit === "us" ? String(ms * 1000) : unit === "iso" ? new Date(ms).toISOString() : `${ms}.25`;
    lines[at] = setField(lines[at], shape.timeColumn, value);
    return { lines, note: `line ${at + 1} time in ${unit}: ${value}` };
  },
  timeShift: (rng, lines, shape) => {
    // Irregular spacing: one row's time moved a little (not a whole bar).
    const at = pickDataLine(rng, lines, shape);
    if (at < 0) return { lines, note: "shift: no data line" };
    const text = lines[at].split(",")[shape.timeColumn] ?? "";
    if (!/^\d+$/.test(text)) return { lines, note: "shift: time not an integer" };
    const value = String(Number(text) + rng.pick([-1, 1, 7, 1000, -60_000, 1_800_000]));
    lines[at] = setField(lines[at], shape.timeColumn, value);
    return { lines, note: `line ${at + 1} time shifted to ${value}` };
  },
  dropRows: (rng, lines, shape) => {
    // Gaps: a few rows removed (valid; counted).
    const count = rng.int(1, 5);
    for (let k = 0; k < count; k++) {
      const at = pickDataLine(rng, lines, shape);
      if (at > (shape.hasHeader ? 1 : 0) && at < lines.length - 1) lines.splice(at, 1);
    }
    return { lines, note: `${count} rows dropped (gaps)` };
  },
  keepFewRows: (rng, lines, shape) => {
    const [first] = dataRange(lines, shape);
    const keep = rng.pick([0, 1, 2, 3]);
    return { lines: lines.slice(0, first + keep), note: `only ${keep} data rows` };
  },
  extraColumnAll: (rng, lines) => {
    const value = rng.pick(["", "0", "x", "1.5"]);
    return { lines: lines.map((line) => `${line},${value}`), note: `extra column ${JSON.stringify(value)} on every line` };
  },
  extraColumnOne: (rng, lines, shape) => {
    const at = pickDataLine(rng, lines, shape);
    if (at < 0) return { lines, note: "extra: no data" };
    lines[at] = `${lines[at]},${rng.pick(["", "1", "junk"])}`;
    return { lines, note: `extra field on line ${at + 1}` };
  },
  missingColumnAll: (rng, lines) => {
    const width = lines[0]?.split(",").length ?? 0;
    const column = rng.int(0, Math.max(0, width - 1));
    return { lines: lines.map((line) => line.split(",").filter((_, index) => index !== column).join(",")), note: `column ${column} removed everywhere` };
  },
  missingColumnOne: (rng, lines, shape) => {
    const at = pickDataLine(rng, lines, shape);
    if (at < 0) return { lines, note: "missing: no data" };
    const fields = lines[at].split(",");
    fields.splice(rng.int(0, fields.length - 1), 1);
    lines[at] = fields.join(",");
    return { lines, note: `a field removed on line ${at + 1}` };
  },
  headerOnly: (_rng, lines) => ({ lines: lines.slice(0, 1), note: "first line only" }),
  dropHeader: (_rng, lines, shape) => ({ lines: shape.hasHeader ? lines.slice(1) : lines, note: "header removed" }),
  addHeader: (rng, lines, shape) => {
    const width = lines[0]?.split(",").length ?? 6;
    const names = shape.hasHeader ? lines[0].split(",") : Array.from({ length: width }, (_, k) => rng.pick(["open_time", "open", "high", "low", "close", "volume", `c${k}`]));
    return { lines: [names.join(","), ...lines], note: `header line added: ${names.join(",")}` };
  },
  headerJunk: (rng, lines, shape) => {
    if (!shape.hasHeader || lines.length === 0) return { lines, note: "no header" };
    const fields = lines[0].split(",");
    const column = rng.int(0, fields.length - 1);
    const value = rng.pick(["", "ｏｐｅｎ", "Öpen", "close", "timestamp", "\"open\"", "open ", "OPEN", rng.junkString(8)]);
    fields[column] = value;
    lines[0] = fields.join(",");
    return { lines, note: `header field ${column} = ${JSON.stringify(value)}` };
  },
  emptyLineMiddle: (rng, lines) => {
    const at = rng.int(1, Math.max(1, lines.length - 1));
    lines.splice(at, 0, rng.pick(["", " ", "\t", ",,,,,"]));
    return { lines, note: `blank-ish line inserted at ${at + 1}` };
  },
  trailingBlankLines: (rng, lines) => {
    const count = rng.int(1, 4);
    return { lines: [...lines, ...Array.from({ length: count }, () => "")], note: `${count} trailing blank lines` };
  },
  commentLine: (rng, lines) => {
    const at = rng.int(0, lines.length);
    lines.splice(at, 0, rng.pick(["# comment", "// note", ";", "\"\""]));
    return { lines, note: `comment-like line at ${at + 1}` };
  },
  quoteAll: (_rng, lines) => ({ lines: lines.map((line) => line.split(",").map((field) => `"${field}"`).join(",")), note: "every field quoted" }),
  quoteBroken: (rng, lines, shape) => {
    const at = pickDataLine(rng, lines, shape);
    if (at < 0) return { lines, note: "quote: no data" };
    const fields = lines[at].split(",");
    const column = rng.int(0, fields.length - 1);
    const form = rng.pick(["open", "embedded-newline", "embedded-comma", "doubled"]);
    fields[column] = form === "open" ? `"${fields[column]}` : form === "embedded-newline" ? `"${fields[column]}\n9"` : form === "embedded-comma" ? `"${fields[column]},5"` : `"${fields[column]}""x"`;
    lines[at] = fields.join(",");
    return { lines, note: `line ${at + 1} field ${column} quoted (${form})` };
  },
  otherDelimiter: (rng, lines) => {
    const delimiter = rng.pick([";", "\t", "|", " ", ", "]);
    return { lines: lines.map((line) => line.replaceAll(",", delimiter)), note: `delimiter ${JSON.stringify(delimiter)}` };
  },
  trailingComma: (_rng, lines) => ({ lines: lines.map((line) => `${line},`), note: "trailing comma on every line" }),
  padFields: (rng, lines, shape) => {
    const at = pickDataLine(rng, lines, shape);
    if (at < 0) return { lines, note: "pad: no data" };
    const pad = rng.pick([" ", "\t", "\u00a0", "\u200b"]);
    lines[at] = lines[at].split(",").map((field) => `${pad}${field}${pad}`).join(",");
    return { lines, note: `line ${at + 1} fields padded with ${JSON.stringify(pad)}` };
  },
  unicode: (rng, lines, shape) => {
    const at = rng.chance(0.5) ? 0 : pickDataLine(rng, lines, shape);
    if (at < 0) return { lines, note: "unicode: no line" };
    const fields = lines[at].split(",");
    const column = rng.int(0, fields.length - 1);
    const junk = rng.pick(["€", "中文", "😀", "\u0301", "\u202e", "₿"]);
    fields[column] = rng.chance(0.5) ? `${fields[column]}${junk}` : `${junk}${fields[column]}`;
    lines[at] = fields.join(",");
    return { lines, note: `line ${at + 1} field ${column} with ${JSON.stringify(junk)}` };
  },
  longLine: (rng, lines, shape) => {
    const at = rng.chance(0.3) ? 0 : pickDataLine(rng, lines, shape);
    if (at < 0) return { lines, note: "long: no line" };
    const length = rng.pick([5000, 70_000, 300_000]);
    const form = rng.pick(["digits", "letters", "fields"]);
    const fields = lines[at].split(",");
    const column = rng.int(0, fields.length - 1);
    if (form === "digits") fields[column] = "1".repeat(length);
    else if (form === "letters") fields[column] = "x".repeat(length);
    else fields.push(...Array.from({ length: length / 10 }, () => "1"));
    lines[at] = fields.join(",");
    return { lines, note: `line ${at + 1}: ${form} ×${length}` };
  },
  manyRows: (rng, lines, shape) => {
    // Repeat the last row many times (duplicate timestamps far from the start).
    const [first, last] = dataRange(lines, shape);
    if (last < first) return { lines, note: "many: no data" };
    const count = rng.pick([50, 500, 3000]);
    return { lines: [...lines, ...Array.from({ length: count }, () => lines[last])], note: `last row repeated ${count} times` };
  },
  symbolCell: (rng, lines, shape) => {
    // For predictions: symbol names that exist nowhere, or odd spellings.
    const at = pickDataLine(rng, lines, shape);
    if (at < 0) return { lines, note: "symbol: no data" };
    const fields = lines[at].split(",");
    const column = rng.int(0, fields.length - 1);
    fields[column] = rng.pick(["btcusdt", "BTC-USDT", "BTC/USDT", "XYZUSDT", "", " ", "BTCUSDT ", "ＢＴＣ", "BUY", "SELL", "hold", "HODL", "0.5"]);
    lines[at] = fields.join(",");
    return { lines, note: `line ${at + 1} field ${column} = ${JSON.stringify(fields[column])}` };
  },
};

/** Mutations on the whole text. */
const TEXT_MUTATIONS: Record<string, (rng: Rng, text: string) => { text: string; note: string }> = {
  truncate: (rng, text) => {
    const at = rng.int(0, Math.max(0, text.length - 1));
    return { text: text.slice(0, at), note: `truncated at char ${at} of ${text.length}` };
  },
  truncateNearEnd: (rng, text) => {
    // Mid-number in the last line (a download cut short).
    const at = Math.max(0, text.length - rng.int(2, 20));
    return { text: text.slice(0, at), note: `truncated ${text.length - at} chars before the end` };
  },
  bom: (_rng, text) => ({ text: `\ufeff${text}`, note: "UTF-8 BOM" }),
  doubleBom: (_rng, text) => ({ text: `\ufeff\ufeff${text}`, note: "two BOMs" }),
  crlf: (_rng, text) => ({ text: text.replaceAll("\n", "\r\n"), note: "CRLF line ends" }),
  cr: (_rng, text) => ({ text: text.replaceAll("\n", "\r"), note: "CR line ends" }),
  mixedEndings: (rng, text) => ({ text: text.split("\n").map((line) => line + rng.pick(["\n", "\r\n", "\r", "\n\r"])).join("").slice(0, -1), note: "mixed line ends" }),
  noFinalNewline: (_rng, text) => ({ text: text.replace(/\n$/, ""), note: "no final newline" }),
  empty: () => ({ text: "", note: "empty file" }),
  whitespaceOnly: (rng) => ({ text: rng.pick([" ", "\n", "\n\n\n", " \t \n  \r\n", "\ufeff", "\ufeff\n"]), note: "whitespace only" }),
  singleComma: (rng) => ({ text: rng.pick([",", ",\n", "\"", "\"\n", "\n,\n"]), note: "a lone separator" }),
};

export interface MutatedContent {
  readonly content: Content;
  readonly notes: string[];
}

/** Names of all CSV mutations (line, text and binary), for weighting and reports. */
export const CSV_MUTATION_NAMES = [...Object.keys(LINE_MUTATIONS), ...Object.keys(TEXT_MUTATIONS), "binaryInsert", "binaryFile", "nulBytes", "invalidUtf8"];

/** Applies `count` random mutations to CSV text; binary mutations come last (they end the text form). */
export function mutateCsv(rng: Rng, text: string, shape: CsvShape, count: number): MutatedContent {
  const notes: string[] = [];
  let current = text;
  let bytes: Uint8Array | null = null;
  for (let k = 0; k < count; k++) {
    const name = rng.pick(CSV_MUTATION_NAMES);
    if (name in LINE_MUTATIONS) {
      const lines = splitLines(current);
      if (lines.length === 0) {
        notes.push(`${name}: skipped (no lines)`);
        continue;
      }
      const result = LINE_MUTATIONS[name](rng, lines, shape);
      current = joinLines(result.lines);
      notes.push(`${name}: ${result.note}`);
    } else if (name in TEXT_MUTATIONS) {
      const result = TEXT_MUTATIONS[name](rng, current);
      current = result.text;
      notes.push(`${name}: ${result.note}`);
    } else {
      const base = Buffer.from(current, "utf8");
      bytes = binaryMutation(rng, name, base, notes);
      break;
    }
  }
  return { content: bytes ?? current, notes };
}

function binaryMutation(rng: Rng, name: string, base: Uint8Array, notes: string[]): Uint8Array {
  switch (name) {
    case "binaryInsert": {
      const at = rng.int(0, base.length);
      const junk = rng.bytes(rng.int(1, 64));
      notes.push(`binaryInsert: ${junk.length} random bytes at byte ${at}`);
      return Buffer.concat([base.subarray(0, at), junk, base.subarray(at)]);
    }
    case "binaryFile": {
      const length = rng.pick([1, 16, 512, 4096, 70_000]);
      notes.push(`binaryFile: ${length} random bytes`);
      return rng.bytes(length);
    }
    case "nulBytes": {
      const copy = Buffer.from(base);
      const count = rng.int(1, 8);
      for (let k = 0; k < count && copy.length > 0; k++) copy[rng.int(0, copy.length - 1)] = 0;
      notes.push(`nulBytes: ${count} bytes set to NUL`);
      return copy;
    }
    default: {
      // Invalid UTF-8 sequences (lone continuation bytes, overlong forms, a cut multi-byte char).
      const at = rng.int(0, base.length);
      const junk = rng.pick([[0x80], [0xc0, 0xaf], [0xe2, 0x82], [0xff, 0xfe], [0xed, 0xa0, 0x80], [0xf4, 0x90, 0x80, 0x80]]);
      notes.push(`invalidUtf8: ${junk.map((b) => b.toString(16)).join(" ")} at byte ${at}`);
      return Buffer.concat([base.subarray(0, at), Uint8Array.from(junk), base.subarray(at)]);
    }
  }
}

/* ------------------------------------------------------------------ JSON ---- */

type JsonObject = { [key: string]: Json };

function isObject(value: Json): value is JsonObject {
  return typeof value === "object" && value !== null && !Array.isArray(value) && !(value instanceof RawJson);
}

/** Every [container, key] slot in a JSON value (objects and arrays), depth first. */
function slots(value: Json, out: Array<[JsonObject | Json[], string | number]> = []): Array<[JsonObject | Json[], string | number]> {
  if (Array.isArray(value)) {
    value.forEach((child, index) => {
      out.push([value, index]);
      slots(child, out);
    });
  } else if (isObject(value)) {
    for (const [key, child] of Object.entries(value)) {
      out.push([value, key]);
      slots(child, out);
    }
  }
  return out;
}

function containers(value: Json, out: JsonObject[] = []): JsonObject[] {
  if (Array.isArray(value)) value.forEach((child) => containers(child, out));
  else if (isObject(value)) {
    out.push(value);
    Object.values(value).forEach((child) => containers(child, out));
  }
  return out;
}

/** A value of a random type, often awkward. */
export function randomJsonValue(rng: Rng, depth = 0): Json {
  return rng.weighted<() => Json>([
    [3, () => rng.pick([0, -0, 1, -1, 0.5, 2, 1.5, 100, 1e308, -1e308, 5e-324, 1e-9, 0.9999999999999999, 2 ** 53 + 1, 1e21])],
    [1, () => new RawJson(rng.pick(["1e400", "-1e400", "1e-400", "123456789012345678901234567890", "-0.0", "1E2"]))],
    [2, () => rng.pick(["", " ", "0.5", "1e2", "NaN", "Infinity", "true", "null", "static", "STATIC", "perp", "rl", rng.junkString(12)])],
    [1, () => rng.chance(0.5)],
    [1, () => null],
    [1, () => (depth > 2 ? [] : Array.from({ length: rng.int(0, 3) }, () => randomJsonValue(rng, depth + 1)))],
    [1, () => (depth > 2 ? {} : setOwn({}, rng.pick(["kind", "x", "", "__proto__", "constructor", "paths"]), randomJsonValue(rng, depth + 1)))],
  ])();
}

const KEY_TYPOS = ["stoplossPct", "stopLoss", "takeProfit", "kindd", "Kind", "leverag", "fracton", "maxLeverag", "exit", "exitss", "sizng", "gate", "seedd", "__proto__", "constructor", "prototype", "", " ", "😀", "toString", "hasOwnProperty"];

export const JSON_MUTATION_NAMES = [
  "wrongType", "unknownKey", "outOfRange", "nestedNull", "arrayForObject", "deleteKey", "kindJunk", "topLevel", "hugeString",
  "invalidText", "duplicateKey", "deepNesting", "bom",
] as const;

/**
 * Applies `count` mutations to a config object; returns its text. Text-level mutations
 * (invalid JSON, duplicate keys, BOM, deep nesting) come last, on the serialised form.
 */
export function mutateJson(rng: Rng, document: JsonObject, count: number): { text: string; notes: string[] } {
  let value: Json = structuredCloneJson(document);
  const notes: string[] = [];
  let textMutation: string | null = null;
  for (let k = 0; k < count; k++) {
    const name = rng.pick(JSON_MUTATION_NAMES);
    const all = slots(value);
    switch (name) {
      case "wrongType":
      case "outOfRange": {
        if (all.length === 0) break;
        const [container, key] = rng.pick(all);
        const replacement: Json =
          name === "wrongType"
            ? randomJsonValue(rng)
            : rng.pick<Json>([-1, 0, -0.5, 1, 1.0000001, 2, 1e308, -1e308, 1e-320, 0.5, 3.7, 1_000_000, new RawJson("1e400"), 2 ** 31, -(2 ** 31)]);
        (container as Record<string | number, Json>)[key] = replacement;
        notes.push(`${name}: ${String(key)} = ${replacement instanceof RawJson ? replacement.text : JSON.stringify(replacement)}`);
        break;
      }
      case "unknownKey": {
        const targets = containers(value);
        if (targets.length === 0) break;
        const target = rng.pick(targets);
        const key = rng.pick(KEY_TYPOS);
        setOwn(target, key, randomJsonValue(rng));
        notes.push(`unknownKey: ${JSON.stringify(key)}`);
        break;
      }
      case "nestedNull": {
        if (all.length === 0) break;
        const [container, key] = rng.pick(all);
        (container as Record<string | number, Json>)[key] = null;
        notes.push(`nestedNull: ${String(key)} = null`);
        break;
      }
      case "arrayForObject": {
        const objects = all.filter(([container, key]) => isObject((container as Record<string | number, Json>)[key]));
        if (objects.length === 0) break;
        const [container, key] = rng.pick(objects);
        const inner = (container as Record<string | number, Json>)[key];
        (container as Record<string | number, Json>)[key] = rng.chance(0.5) ? [inner] : [];
        notes.push(`arrayForObject: ${String(key)}`);
        break;
      }
      case "deleteKey": {
        const keyed = all.filter(([container]) => !Array.isArray(container));
        if (keyed.length === 0) break;
        const [container, key] = rng.pick(keyed);
        delete (container as JsonObject)[key as string];
        notes.push(`deleteKey: ${String(key)}`);
        break;
      }
      case "kindJunk": {
        const kinded = containers(value).filter((object) => "kind" in object);
        if (kinded.length === 0) break;
        const target = rng.pick(kinded);
        target.kind = rng.pick<Json>(["Static", "STATIC", "ai ", "", "none", "fixed_fraction", "ema", "kelly", "predictions", "math", "rl", 1, null, ["static"]]);
        notes.push(`kindJunk: kind = ${JSON.stringify(target.kind)}`);
        break;
      }
      case "topLevel":
        value = rng.pick<Json>([[], [document], "config", 42, null, true]);
        notes.push(`topLevel: ${JSON.stringify(value).slice(0, 40)}`);
        break;
      case "hugeString": {
        if (all.length === 0) break;
        const [container, key] = rng.pick(all);
        (container as Record<string | number, Json>)[key] = "x".repeat(rng.pick([1000, 100_000]));
        notes.push(`hugeString at ${String(key)}`);
        break;
      }
      default:
        textMutation = name;
    }
    if (textMutation !== null) break;
  }
  let text = toJsonText(value, rng.pick([0, 2]));
  if (textMutation !== null) {
    const result = jsonTextMutation(rng, textMutation, text);
    text = result.text;
    notes.push(result.note);
  }
  return { text, notes };
}

function jsonTextMutation(rng: Rng, name: string, text: string): { text: string; note: string } {
  switch (name) {
    case "duplicateKey":
      return { text: text.replace(/^\{/, '{"seed": 1, "seed": 2,'), note: "duplicateKey: seed twice" };
    case "deepNesting": {
      const depth = rng.pick([100, 5000, 100_000]);
      const nested = "[".repeat(depth) + "]".repeat(depth);
      return { text: text.replace(/^\{/, `{"nested": ${nested},`), note: `deepNesting: ${depth} levels` };
    }
    case "bom":
      return { text: `\ufeff${text}`, note: "bom" };
    default: {
      const form = rng.pick(["truncate", "trailingComma", "comment", "singleQuotes", "nanLiteral", "unquotedKey", "empty", "garbage", "two-objects"]);
      switch (form) {
        case "truncate":
          return { text: text.slice(0, rng.int(0, Math.max(0, text.length - 1))), note: "invalidText: truncated" };
        case "trailingComma":
          return { text: text.replace(/\}\s*$/, ",}"), note: "invalidText: trailing comma" };
        case "comment":
          return { text: `// comment\n${text}`, note: "invalidText: comment" };
        case "singleQuotes":
          return { text: text.replaceAll('"', "'"), note: "invalidText: single quotes" };
        case "nanLiteral":
          return { text: text.replace(/^\{/, '{"initialBalance": NaN,'), note: "invalidText: NaN literal" };
        case "unquotedKey":
          return { text: text.replace(/^\{/, "{seed: 1,"), note: "invalidText: unquoted key" };
        case "empty":
          return { text: rng.pick(["", " ", "\n", "\ufeff"]), note: "invalidText: empty" };
        case "garbage":
          return { text: rng.junkString(40), note: "invalidText: garbage" };
        default:
          return { text: `${text}\n{}`, note: "invalidText: two objects" };
      }
    }
  }
}

/** Sets an own enumerable key, also for "__proto__" (a plain assignment would set the prototype instead). */
function setOwn(target: JsonObject, key: string, value: Json): JsonObject {
  Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
  return target;
}

function structuredCloneJson(value: Json): Json {
  if (value instanceof RawJson) return value;
  if (Array.isArray(value)) return value.map(structuredCloneJson);
  if (value !== null && typeof value === "object") {
    const out: JsonObject = {};
    for (const [key, child] of Object.entries(value)) setOwn(out, key, structuredCloneJson(child));
    return out;
  }
  return value;
}
