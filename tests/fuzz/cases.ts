/**
 * One fuzz case = a pure function of (seed, case index): the files to write into a case
 * folder, the CLI arguments and the environment. `buildCase` never touches the disk.
 *
 * Safety: every path a case can make the CLI write (`--out`, `--rl-save`, `sizing.save`,
 * `output.dir`) lies inside the case folder, and `--out` is always given (last), so no case
 * writes into the project folder. Junk strings never start with "-", so they cannot smuggle
 * in a flag.
 */

import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { CONFIG_FLAGS } from "../../cli/backtestFlags.js";
import { destructiveOutCase, specialFilesCase } from "./fileCases.js";
import { Rng } from "./prng.js";
import { mutateCsv, mutateJson, SPECIAL_NUMBERS, type Content, type CsvShape } from "./mutations.js";
import {
  EXIT_KINDS, SIZING_KINDS, SYMBOLS, fundingCsvLines, genericCsvLines, klineCsvLines, predictionsCsvLines, randomBars,
  randomClock, randomConfig, randomExits, randomGenericOptions, randomSizing, toJsonText,
  type Bar, type BarClock, type BarSet, type PathContext,
} from "./validInputs.js";

export const CASE_KINDS = [
  "valid", "bars-generic", "bars-kline", "bars-folder", "bars-extreme", "funding", "predictions", "config", "flags", "env", "qtable", "module", "combined",
  "special-files", "destructive-out",
] as const;
export type CaseKind = (typeof CASE_KINDS)[number];

const KIND_WEIGHTS: ReadonlyArray<readonly [number, CaseKind]> = [
  [12, "valid"], [13, "bars-generic"], [7, "bars-kline"], [8, "bars-folder"], [6, "bars-extreme"], [8, "funding"],
  [10, "predictions"], [15, "config"], [12, "flags"], [4, "env"], [3, "qtable"], [5, "module"], [4, "combined"],
  [5, "special-files"], [5, "destructive-out"],
];

export interface CaseFile {
  /** Relative to the case folder. */
  readonly path: string;
  readonly content: Content;
}

export interface CaseLink {
  readonly path: string;
  readonly target: string;
}

export interface FuzzCase {
  readonly seed: number;
  readonly index: number;
  readonly kind: CaseKind;
  /** What was generated and mutated, for failure messages. */
  readonly notes: string[];
  readonly files: CaseFile[];
  /** Empty folders to create (relative). */
  readonly folders: string[];
  /** Symbolic links to create: `path` (relative) pointing at `target` (as given, may dangle). */
  readonly links: CaseLink[];
  /** FIFOs to create (relative). */
  readonly fifos: string[];
  /** Case files exitlab may replace or delete (relative): its own files of an earlier run. Every other case file must survive unchanged. */
  readonly replaceable: string[];
  /** Why the case must end in an error (exit 1 or 2), when it must; null otherwise. */
  readonly mustFail: string | null;
  readonly args: string[];
  readonly env: Record<string, string>;
  /** The run folder the case asks for (absolute). */
  readonly outDir: string;
  /** Only data files were mutated (config, flags and environment are valid): exit 2 would be wrong. */
  readonly dataOnly: boolean;
}

/** The Q-tables a setup run saved, by layout ("lev0-sty0" …), for the qtable cases. */
export type QTables = ReadonlyMap<string, string>;

/** The kind of case `index` (the first draw of its generator; cheap, for grouping). */
export function kindOf(seed: number, index: number): CaseKind {
  return new Rng(seed, index).weighted(KIND_WEIGHTS);
}

export interface Builder {
  readonly rng: Rng;
  readonly caseDir: string;
  readonly notes: string[];
  readonly files: CaseFile[];
  readonly folders: string[];
  readonly links: CaseLink[];
  readonly fifos: string[];
  readonly replaceable: string[];
  mustFail: string | null;
  /** Arguments after "backtest", before the final --out. */
  readonly args: string[];
  readonly env: Record<string, string>;
  dataOnly: boolean;
  outDir: string;
}

export function buildCase(seed: number, index: number, caseDir: string, qTables: QTables): FuzzCase {
  const rng = new Rng(seed, index);
  const kind = rng.weighted(KIND_WEIGHTS);
  const b: Builder = { rng, caseDir, notes: [], files: [], folders: [], links: [], fifos: [], replaceable: [], mustFail: null, args: [], env: {}, dataOnly: false, outDir: join(caseDir, "out") };

  switch (kind) {
    case "valid":
      validCase(b);
      break;
    case "bars-generic":
    case "bars-kline":
    case "bars-extreme":
      barFileCase(b, kind);
      break;
    case "bars-folder":
      barFolderCase(b);
      break;
    case "funding":
      fundingCase(b);
      break;
    case "predictions":
      predictionsCase(b);
      break;
    case "config":
      configCase(b, qTables);
      break;
    case "flags":
      flagsCase(b);
      break;
    case "env":
      envCase(b);
      break;
    case "qtable":
      qTableCase(b, qTables);
      break;
    case "module":
      moduleCase(b, index);
      break;
    case "combined":
      combinedCase(b, qTables);
      break;
    case "special-files":
      specialFilesCase(b);
      break;
    case "destructive-out":
      destructiveOutCase(b);
      break;
  }
  if (rng.chance(0.5)) b.args.push("--quiet");
  // Half the cases parse every time; the others use the cache in the sandbox (so the determinism rerun compares a parse with a cache hit).
  if (kind !== "flags" && rng.chance(0.5)) b.args.push("--no-cache");
  return {
    seed, index, kind, notes: b.notes, files: b.files, folders: b.folders, links: b.links, fifos: b.fifos, replaceable: b.replaceable, mustFail: b.mustFail,
    args: ["backtest", ...b.args, "--out", b.outDir], env: b.env, outDir: b.outDir, dataOnly: b.dataOnly,
  };
}

/* ------------------------------------------------------------ data sets ---- */

export interface DataSet {
  readonly clock: BarClock;
  readonly sets: BarSet[];
  /** Values for --data. */
  readonly dataArgs: string[];
  /** Absolute path of the (first) bar file, for single-file cases. */
  readonly firstFile: string;
}

export function abs(b: Builder, relative: string): string {
  return join(b.caseDir, relative);
}

export function addFile(b: Builder, path: string, content: Content): string {
  b.files.push({ path, content });
  return abs(b, path);
}

function pickSymbols(rng: Rng): string[] {
  const count = rng.weighted<number>([[6, 1], [3, 2], [1, 3]]);
  return rng.shuffle(SYMBOLS).slice(0, count);
}

/** Valid bars as files: one generic file per symbol under data/ (a folder or the files), maybe with funding/. */
export function validData(b: Builder, options: { folderFunding?: boolean } = {}): DataSet {
  const { rng } = b;
  const clock = randomClock(rng);
  const symbols = pickSymbols(rng);
  const sets = symbols.map((symbol) => randomBars(rng, symbol, clock));
  const kline = rng.chance(0.2);
  const files = sets.map((set) =>
    addFile(b, `data/${set.symbol}.csv`, joinLines(kline ? klineCsvLines(set, rng.pick(["ms", "us"])) : genericCsvLines(set, randomGenericOptions(rng)))),
  );
  const withFunding = options.folderFunding ?? rng.chance(0.3);
  if (withFunding) for (const set of sets) if (rng.chance(0.7)) addFile(b, `data/funding/${set.symbol}.csv`, joinLines(fundingCsvLines(rng, clock)));
  const asFolder = withFunding || rng.chance(0.5);
  b.notes.push(`${sets.length} symbol(s) ${symbols.join(",")}, ${clock.count} bars of ${clock.timeframeMs / 60_000} min${kline ? ", kline" : ""}${withFunding ? ", funding/" : ""}`);
  return { clock, sets, dataArgs: asFolder ? [abs(b, "data")] : files, firstFile: files[0] };
}

export function joinLines(lines: readonly string[]): string {
  return lines.map((line) => `${line}\n`).join("");
}

function genericShape(order: readonly number[]): CsvShape {
  const timeColumn = order.indexOf(0);
  return { hasHeader: true, timeColumn, numericColumns: order.map((_, index) => index).filter((index) => index !== timeColumn) };
}

const KLINE_SHAPE: CsvShape = { hasHeader: false, timeColumn: 0, numericColumns: [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11] };

/** Safe, valid flags that vary the engine path without touching config validity (never a flag already given). */
function addValidFlags(b: Builder, max: number): void {
  const { rng } = b;
  const given = new Set(b.args.filter((arg) => arg.startsWith("--")));
  const options: Array<() => string[]> = [
    () => ["--exit", rng.pick(EXIT_KINDS)],
    () => ["--sizing", rng.pick(SIZING_KINDS)],
    () => ["--intrabar", rng.pick(["default", "pessimistic", "optimistic"])],
    () => ["--on-opposite", rng.pick(["ignore", "close", "reverse"])],
    () => ["--market", "spot"],
    () => ["--funding-rate", rng.pick(["0.0001", "-0.0003", "0.01"])],
    () => ["--equity-every", String(rng.int(1, 7))],
    () => ["--min-confidence", rng.pick(["0", "0.3", "0.45"])],
    () => ["--max-holding-bars", String(rng.int(1, 20))],
    () => ["--slippage-bps", rng.pick(["0", "5", "50"])],
    () => ["--cap-leverage-to-stop"],
  ];
  const count = rng.int(0, max);
  const used = new Set<number>();
  for (let k = 0; k < count; k++) {
    const which = rng.int(0, options.length - 1);
    if (used.has(which)) continue;
    used.add(which);
    const flag = options[which]();
    if (!given.has(flag[0])) b.args.push(...flag);
  }
}

/* ----------------------------------------------------------- case kinds ---- */

function validCase(b: Builder): void {
  const data = validData(b);
  b.args.push("--data", ...data.dataArgs);
  if (b.rng.chance(0.4)) {
    const predictions = addFile(b, "preds.csv", joinLines(predictionsCsvLines(b.rng, data.sets)));
    b.args.push("--signals", predictions);
    b.notes.push("predictions signals");
  }
  if (b.rng.chance(0.5)) {
    const config = randomConfig(b.rng, pathContext(b, data, null, null));
    addFile(b, "config.json", toJsonText(config));
    b.args.push("--config", abs(b, "config.json"));
    b.notes.push(`config ${truncate(toJsonText(config, 0), 400)}`);
  } else {
    addValidFlags(b, 4);
  }
}

/** The strategy modules shipped as examples (SPEC §3 user modules). */
const EXAMPLE_MODULES = ["breakout.mjs", "smaCross.mjs"].map((name) => resolve(fileURLToPath(new URL("../../strategies/signals/examples/", import.meta.url)), name));

function pathContext(b: Builder, data: DataSet, predictions: string | null, qTable: string | null): PathContext {
  return {
    dataPaths: data.dataArgs, predictionsPath: predictions, qTablePath: qTable, scratchPath: abs(b, "scratch/q.json"),
    modulePath: b.rng.chance(0.3) ? b.rng.pick(EXAMPLE_MODULES) : null,
  };
}

/** Bars pushed to extremes but still valid CSV: tiny or huge prices, flat bars, odd clocks. */
function extremeBars(rng: Rng, set: BarSet): { set: BarSet; note: string } {
  const form = rng.pick(["huge", "tiny", "flat", "hugeVolume", "epoch0", "year9999", "irregular", "twoBars", "crash", "spike", "subMs"]);
  const map = (f: (bar: Bar, index: number) => Bar): BarSet => ({ ...set, bars: set.bars.map(f) });
  switch (form) {
    case "huge": {
      const factor = rng.pick([1e100, 1e250, 1e300, 1e305]);
      return { set: map((bar) => ({ ...bar, open: bar.open * factor, high: bar.high * factor, low: bar.low * factor, close: bar.close * factor })), note: `prices × ${factor}` };
    }
    case "tiny": {
      const factor = rng.pick([1e-12, 1e-100, 1e-300, 1e-310]);
      return { set: map((bar) => ({ ...bar, open: bar.open * factor, high: bar.high * factor, low: bar.low * factor, close: bar.close * factor })), note: `prices × ${factor}` };
    }
    case "flat":
      return { set: map((bar) => ({ ...bar, open: 100, high: 100, low: 100, close: 100 })), note: "every price 100" };
    case "hugeVolume":
      return { set: map((bar) => ({ ...bar, volume: 1e308 })), note: "volume 1e308" };
    case "epoch0":
      return { set: map((bar, index) => ({ ...bar, time: index * set.timeframeMs })), note: "times from epoch 0" };
    case "year9999": {
      const start = Date.UTC(9999, 0, 1);
      return { set: map((bar, index) => ({ ...bar, time: start + index * set.timeframeMs })), note: "times in year 9999" };
    }
    case "irregular": {
      let time = set.bars[0].time;
      return { set: map((bar) => ({ ...bar, time: (time += rng.int(1, 5) * set.timeframeMs + rng.pick([0, 0, 0, 1, 500])) })), note: "irregular spacing" };
    }
    case "twoBars":
      return { set: { ...set, bars: set.bars.slice(0, 2) }, note: "two bars" };
    case "crash":
      return {
        set: map((bar, index) => (index < set.bars.length / 2 ? bar : { ...bar, open: bar.open * 1e-6, high: bar.high * 1e-6, low: bar.low * 1e-6, close: bar.close * 1e-6 })),
        note: "prices ÷ 1e6 halfway (gap through every stop and liquidation)",
      };
    case "spike":
      return { set: map((bar, index) => (index % 7 === 3 ? { ...bar, high: bar.high * 100, low: bar.low / 100 } : bar)), note: "wicks ×100 every 7th bar" };
    default:
      return { set: map((bar, index) => ({ ...bar, time: set.bars[0].time + index * 3 })), note: "bars 3 ms apart" };
  }
}

function barFileCase(b: Builder, kind: "bars-generic" | "bars-kline" | "bars-extreme"): void {
  const { rng } = b;
  b.dataOnly = true;
  const clock = randomClock(rng);
  const symbol = rng.pick(SYMBOLS);
  let set = randomBars(rng, symbol, clock);
  const kline = kind === "bars-kline" || (kind === "bars-extreme" && rng.chance(0.3));
  let shape: CsvShape;
  let text: string;
  if (kind === "bars-extreme") {
    const extreme = extremeBars(rng, set);
    set = extreme.set;
    b.notes.push(`extreme: ${extreme.note}`);
  }
  if (kline) {
    const unit = rng.pick(["ms", "us"] as const);
    text = joinLines(klineCsvLines(set, unit));
    shape = KLINE_SHAPE;
    b.notes.push(`kline ${unit}, ${set.bars.length} bars`);
  } else {
    const options = randomGenericOptions(rng);
    text = joinLines(genericCsvLines(set, options));
    shape = genericShape(options.order);
    b.notes.push(`generic ${options.timeUnit} time "${options.timeName}", order ${options.order.join("")}, digits ${options.digits}, ${set.bars.length} bars`);
  }
  const mutations = kind === "bars-extreme" ? (rng.chance(0.7) ? 0 : 1) : rng.weighted<number>([[5, 1], [3, 2], [2, 3]]);
  const mutated = mutateCsv(rng, text, shape, mutations);
  b.notes.push(...mutated.notes);
  const name = rng.weighted<string>([[8, `${symbol}.csv`], [1, `binance_usdm_perp_${symbol}_1h.csv`], [1, "bars.csv"], [1, `${symbol}.CSV`]]);
  const path = addFile(b, `data/${name}`, mutated.content);
  const form = rng.weighted<string>([[6, "file"], [2, "folder"], [1, "named"]]);
  b.args.push("--data", form === "file" ? path : form === "folder" ? abs(b, "data") : `${symbol}=${path}`);
  if (form !== "file") b.notes.push(`--data as ${form}`);
  addValidFlags(b, 2);
}

function barFolderCase(b: Builder): void {
  const { rng } = b;
  b.dataOnly = true;
  const clock = randomClock(rng);
  const symbols = pickSymbols(rng);
  const sets = symbols.map((symbol) => randomBars(rng, symbol, clock));
  const layout = rng.pick(["flat", "monthly", "mixed"]);
  b.notes.push(`folder layout ${layout}: ${symbols.join(",")}, ${clock.count} bars`);
  const written: { path: string; shape: CsvShape; text: string }[] = [];
  for (const set of sets) {
    const kline = rng.chance(0.3);
    const options = randomGenericOptions(rng);
    const format = (part: BarSet): { text: string; shape: CsvShape } =>
      kline ? { text: joinLines(klineCsvLines(part, "ms")), shape: KLINE_SHAPE } : { text: joinLines(genericCsvLines(part, options)), shape: genericShape(options.order) };
    const perSymbolFolder = layout === "monthly" || (layout === "mixed" && rng.chance(0.5));
    if (perSymbolFolder) {
      const parts = rng.int(1, 3);
      const size = Math.ceil(set.bars.length / parts);
      for (let p = 0; p < parts; p++) {
        const part = { ...set, bars: set.bars.slice(p * size, (p + 1) * size) };
        if (part.bars.length === 0) continue;
        const { text, shape } = format(part);
        written.push({ path: `data/${set.symbol}/${set.symbol}-1h-2024-0${p + 1}.csv`, shape, text });
      }
    } else {
      const { text, shape } = format(set);
      written.push({ path: `data/${set.symbol}.csv`, shape, text });
    }
  }
  // Mutate one of the files (or none: the layout itself is the mutation).
  const target = rng.chance(0.6) ? rng.int(0, written.length - 1) : -1;
  written.forEach((file, index) => {
    if (index === target) {
      const mutated = mutateCsv(rng, file.text, file.shape, rng.int(1, 2));
      b.notes.push(`${file.path}: ${mutated.notes.join("; ")}`);
      addFile(b, file.path, mutated.content);
    } else {
      addFile(b, file.path, file.text);
    }
  });
  const extras = rng.int(0, 3);
  const chosen = new Set<string>();
  for (let k = 0; k < extras; k++) {
    const extra = rng.pick([
      "README.txt", ".DS_Store", "notes.json", "data.csv.bak", ".hidden.csv", "empty-folder", "funding-file", "empty-funding", "detail",
      "duplicate-symbol", "unknown-funding", "csv-folder", "lower-case-name", "junk-csv",
    ]);
    // A file named "funding" and a funding/ folder cannot both exist.
    const fundingFolder = ["empty-funding", "unknown-funding"];
    if (chosen.has(extra) || (extra === "funding-file" && fundingFolder.some((name) => chosen.has(name))) || (fundingFolder.includes(extra) && chosen.has("funding-file"))) continue;
    chosen.add(extra);
    b.notes.push(`extra: ${extra}`);
    switch (extra) {
      case "README.txt":
        addFile(b, "data/README.txt", "bars for the fuzzer\n");
        break;
      case ".DS_Store":
        addFile(b, "data/.DS_Store", rng.bytes(64));
        break;
      case "notes.json":
        addFile(b, "data/notes.json", "{}\n");
        break;
      case "data.csv.bak":
        addFile(b, "data/data.csv.bak", "junk\n");
        break;
      case ".hidden.csv":
        addFile(b, "data/.hidden.csv", "junk\n");
        break;
      case "empty-folder":
        b.folders.push("data/EMPTYUSDT");
        break;
      case "funding-file":
        addFile(b, "data/funding", "timestamp,funding_rate\n");
        break;
      case "empty-funding":
        b.folders.push("data/funding");
        break;
      case "detail":
        addFile(b, `data/detail/${sets[0].symbol}.csv`, joinLines(detailLines(rng, sets[0])));
        break;
      case "duplicate-symbol":
        addFile(b, `data/binance_${sets[0].symbol}_copy.csv`, joinLines(genericCsvLines(sets[0], randomGenericOptions(rng))));
        break;
      case "unknown-funding":
        addFile(b, "data/funding/DOGEUSDT.csv", joinLines(fundingCsvLines(rng, clock)));
        break;
      case "csv-folder":
        b.folders.push("data/folder.csv");
        break;
      case "lower-case-name":
        addFile(b, `data/${sets[0].symbol.toLowerCase()}.csv`, joinLines(genericCsvLines(sets[0], randomGenericOptions(rng))));
        break;
      default:
        addFile(b, "data/JUNKUSDT.csv", rng.bytes(rng.int(0, 200)));
    }
  }
  b.args.push("--data", abs(b, "data"));
  addValidFlags(b, 2);
}

/** Lower-timeframe bars inside each main bar (a path open → extreme → extreme → close), sometimes off. */
function detailLines(rng: Rng, set: BarSet): string[] {
  const parts = rng.pick([2, 4, 6]);
  const step = set.timeframeMs / parts;
  const lines = ["timestamp,open,high,low,close,volume"];
  if (!Number.isInteger(step)) return lines;
  for (const bar of set.bars) {
    const highFirst = rng.chance(0.5);
    const points = [bar.open, highFirst ? bar.high : bar.low, highFirst ? bar.low : bar.high, bar.close];
    for (let k = 0; k < parts; k++) {
      const at = (x: number) => {
        const position = (x / parts) * 3;
        const i = Math.min(2, Math.floor(position));
        return points[i] + (points[i + 1] - points[i]) * (position - i);
      };
      const open = at(k);
      const close = at(k + 1);
      const skew = rng.chance(0.05) ? 1.01 : 1; // occasionally a detail bar outside the main bar
      lines.push(`${bar.time + k * step},${open},${Math.max(open, close) * skew},${Math.min(open, close)},${close},1`);
    }
  }
  return lines;
}

function fundingCase(b: Builder): void {
  const { rng } = b;
  b.dataOnly = true;
  const data = validData(b, { folderFunding: false });
  const symbol = data.sets[0].symbol;
  const lines = fundingCsvLines(rng, data.clock);
  const hasExtra = lines[0].split(",").length === 4;
  const shape: CsvShape = { hasHeader: true, timeColumn: 0, numericColumns: hasExtra ? [2, 3] : [1] };
  const mutated = mutateCsv(rng, joinLines(lines), shape, rng.weighted<number>([[2, 0], [5, 1], [3, 2]]));
  b.notes.push(`funding for ${symbol}: ${mutated.notes.join("; ") || "valid"}`);
  const where = rng.pick(["subfolder", "flag-file", "flag-named", "flag-folder"]);
  b.notes.push(`funding given as ${where}`);
  if (where === "subfolder") {
    // A funding/ subfolder only counts when the data is given as a folder.
    addFile(b, `data/funding/${symbol}.csv`, mutated.content);
    b.args.push("--data", abs(b, "data"));
  } else {
    b.args.push("--data", ...data.dataArgs);
    if (where === "flag-file") b.args.push("--funding", addFile(b, `funding-in/${symbol}.csv`, mutated.content));
    else if (where === "flag-named") b.args.push("--funding", `${symbol}=${addFile(b, "funding-in/rates.csv", mutated.content)}`);
    else {
      addFile(b, `funding-in/${symbol}.csv`, mutated.content);
      b.args.push("--funding", abs(b, "funding-in"));
    }
  }
  if (rng.chance(0.5)) b.args.push("--funding-rate", rng.pick(["0.0001", "-0.0002"]));
}

function predictionsCase(b: Builder): void {
  const { rng } = b;
  b.dataOnly = true;
  const data = validData(b);
  const lines = silentPredictionVariant(b, predictionsCsvLines(rng, data.sets));
  const header = lines[0].split(",");
  const numericColumns = header.map((_, index) => index).filter((index) => index >= 3);
  const shape: CsvShape = { hasHeader: true, timeColumn: 0, numericColumns: [...numericColumns, 1, 2] };
  const mutated = mutateCsv(rng, joinLines(lines), shape, rng.weighted<number>([[1, 0], [5, 1], [3, 2], [1, 3]]));
  b.notes.push(`predictions (${header.join(",")}): ${mutated.notes.join("; ") || "valid"}`);
  const viaFlag = rng.chance(0.8);
  // --signals reads a path as predictions only when it ends in .csv; the config names the kind itself.
  const file = addFile(b, rng.pick(viaFlag ? ["preds.csv", "my preds €.csv", "PREDS.CSV"] : ["preds.csv", "predictions.txt"]), mutated.content);
  b.args.push("--data", ...data.dataArgs);
  if (viaFlag) {
    b.args.push("--signals", file);
  } else {
    addFile(b, "config.json", toJsonText({ signals: { kind: "predictions", file } }));
    b.args.push("--config", abs(b, "config.json"));
    b.notes.push("predictions via config");
  }
  if (rng.chance(0.4)) b.args.push("--exit", "ai");
  addValidFlags(b, 2);
}

/**
 * Issue 21's inputs: symbols that match the data only in part or by case, confidences on a
 * 0–100 scale, size multipliers ≤ 0 or absurd — with or without the option that says what
 * was meant (--symbol-map, --confidence-scale).
 */
function silentPredictionVariant(b: Builder, lines: string[]): string[] {
  const { rng } = b;
  const variant = rng.weighted<string>([[6, "none"], [1, "lower-case"], [1, "some-unknown"], [1, "scale-100"], [1, "size-odd"]]);
  if (variant === "none") return lines;
  b.notes.push(`predictions variant ${variant}`);
  const header = lines[0].split(",");
  const sizeColumn = header.findIndex((name) => name === "size_multiplier" || name === "size");
  const rows = lines.slice(1).map((line) => line.split(","));
  for (const [k, fields] of rows.entries()) {
    if (variant === "lower-case" || (variant === "some-unknown" && k % 2 === 0)) fields[1] = variant === "lower-case" ? fields[1].toLowerCase() : "SOLUSDT";
    if (variant === "scale-100" && fields[3] !== "") fields[3] = String(Number(fields[3]) * 100);
    if (variant === "size-odd" && sizeColumn >= 0) fields[sizeColumn] = rng.pick(["0", "-0.5", "11", "1e308", "10", ""]);
  }
  // These flags may be invalid themselves (an exit 2 is then right): the case is no longer data-only.
  if ((variant === "lower-case" || variant === "scale-100") && rng.chance(0.6)) b.dataOnly = false;
  if (variant === "lower-case" && !b.dataOnly) b.args.push("--symbol-map", rng.pick(["btcusdt=BTCUSDT,ethusdt=ETHUSDT", "btcusdt=BTCUSDT", "x=", "=y"]));
  if (variant === "scale-100" && !b.dataOnly) b.args.push("--confidence-scale", rng.pick(["100", "1", "50"]));
  return [lines[0], ...rows.map((fields) => fields.join(","))];
}

function configCase(b: Builder, qTables: QTables): void {
  const { rng } = b;
  const data = validData(b);
  const predictions = rng.chance(0.3) ? addFile(b, "preds.csv", joinLines(predictionsCsvLines(rng, data.sets))) : null;
  const qTable = rng.chance(0.2) ? addFile(b, "qtable.json", rng.pick([...qTables.values()])) : null;
  const config = randomConfig(rng, pathContext(b, data, predictions, qTable));
  // Every kind of every mode section, with random parameters, a good part of the time.
  if (rng.chance(0.4)) config.exits = randomExits(rng, rng.pick(EXIT_KINDS));
  if (rng.chance(0.4)) config.sizing = randomSizing(rng, rng.pick(SIZING_KINDS), pathContext(b, data, predictions, qTable));
  const mutations = rng.weighted<number>([[3, 0], [5, 1], [2, 2], [1, 3]]);
  const { text, notes } = mutateJson(rng, config, mutations);
  b.notes.push(`config ${truncate(toJsonText(config, 0), 600)}`, ...notes);
  const fileForm = rng.weighted<string>([[20, "file"], [1, "missing"], [1, "folder"], [1, "binary"], [1, "huge"]]);
  if (rng.chance(0.7) || !("data" in config)) b.args.push("--data", ...data.dataArgs);
  switch (fileForm) {
    case "file":
      b.args.push("--config", addFile(b, "config.json", text));
      break;
    case "missing":
      b.args.push("--config", abs(b, "no-such-config.json"));
      b.notes.push("config file missing");
      break;
    case "folder":
      b.folders.push("config-folder");
      b.args.push("--config", abs(b, "config-folder"));
      b.notes.push("config is a folder");
      break;
    case "binary":
      b.args.push("--config", addFile(b, "config.json", rng.bytes(rng.int(0, 300))));
      b.notes.push("config is random bytes");
      break;
    default:
      b.args.push("--config", addFile(b, "config.json", `{"seed": 1, "pad": "${"x".repeat(2_000_000)}"}`));
      b.notes.push("config is 2 MB with an unknown key");
  }
}

/* ---------------------------------------------------------------- flags ---- */

const NUMBER_JUNK = [
  "0", "-1", "-0", "1e308", "1e400", "-1e400", "NaN", "Infinity", "-Infinity", "abc", "", " ", "0x10", "1e-320", "0.5", "3", "100",
  "2147483648", "9007199254740993", " 5", "5 ", "1,5", "½", "１", "true", "null", "--", "1e", "5%",
];

/** Sensible values per flag, so flag fuzzing also reaches runs that succeed. */
function sensibleValue(rng: Rng, flag: string): string {
  const between = (low: number, high: number, digits = 4) => rng.between(low, high).toFixed(digits);
  switch (flag) {
    case "equity-every": return String(rng.int(1, 10));
    case "sl": case "tp": return rng.weighted<string>([[4, between(0.001, 0.2)], [1, "off"], [1, "none"], [1, "OFF"], [1, "null"]]);
    case "max-holding-bars": return String(rng.int(1, 30));
    case "fraction": return between(0.01, 1);
    case "notional": return between(10, 100_000, 2);
    case "quantity": return between(0.001, 10);
    case "leverage": return String(rng.int(1, 60));
    case "max-leverage": return String(rng.pick([1, 2, 10, 25, 100, 199, 200, 1000]));
    case "initial-balance": return rng.pick(["1", "100", "10000", "1e7", "0.01", "1e15"]);
    case "taker-fee": case "maker-fee": return between(0, 0.01, 5);
    case "slippage-bps": return between(0, 100, 1);
    case "funding-rate": return rng.chance(0.8) ? between(-0.01, 0.01, 5) : rng.pick(["0.05", "-0.05", "0.0501", "1", "-0.5"]);
    case "mmr": return rng.pick(["0", "0.001", "0.005", "0.05", "0.5", "0.6"]);
    case "lot-size": case "tick-size": return rng.pick(["0", "0.001", "0.01", "1", "100", "1e6", "5e-324", "1e-12", "1e-13"]);
    case "min-notional": return rng.pick(["0", "5", "100", "1e9"]);
    case "min-confidence": return between(0, 1, 2);
    case "max-open": return String(rng.int(1, 5));
    case "seed": return String(rng.int(0, 1e6));
    case "symbols": return rng.pick(["BTCUSDT", "BTCUSDT,ETHUSDT", "ETHUSDT", ",", "DOGEUSDT", "btcusdt", " BTCUSDT , SOLUSDT "]);
    case "symbol-map": return rng.pick(["btcusdt=BTCUSDT", "a=b,c=d", "=", "x", "BTCUSDT=ETHUSDT,ETHUSDT=BTCUSDT"]);
    case "confidence-scale": return rng.pick(["1", "100", "0", "-1", "1e308"]);
    default: return "1";
  }
}

/** A junk string that cannot be read as a flag. */
function junk(rng: Rng, maxLength: number): string {
  const text = rng.junkString(maxLength);
  return text.startsWith("-") ? `x${text}` : text;
}

function pathValue(b: Builder, data: DataSet, predictions: string): string {
  const { rng } = b;
  return rng.pick([
    data.firstFile, data.firstFile, abs(b, "data"), abs(b, "nope.csv"), abs(b, "README.txt"), abs(b, "data/README.txt"), "",
    `${data.sets[0].symbol}=${data.firstFile}`, `=${data.firstFile}`, `BAD NAME=${data.firstFile}`, `X=${abs(b, "missing.csv")}`,
    predictions, abs(b, "config.json"), `${data.firstFile}/`, `${data.firstFile}\u0000x`, abs(b, "scratch"), abs(b, "😀.csv"),
  ]);
}

/** Flags whose values are paths (every other string flag gets junk or its choices). */
const PATH_FLAGS = ["data", "funding", "detail-data", "signals", "rl-load", "config"];

function flagsCase(b: Builder): void {
  const { rng } = b;
  const data = validData(b);
  const predictions = addFile(b, "preds.csv", joinLines(predictionsCsvLines(rng, data.sets)));
  addFile(b, "README.txt", "not a csv\n");
  addFile(b, "config.json", toJsonText(randomConfig(rng, pathContext(b, data, predictions, null))));
  const flagNames = Object.keys(CONFIG_FLAGS).filter((name) => name !== "out");
  const count = rng.int(1, 6);
  let dataGiven = false;
  for (let k = 0; k < count; k++) {
    const flag = rng.weighted<string>([[30, rng.pick(flagNames)], [2, "config"], [2, "force"], [2, "cache"], [1, "unknown"], [1, "positional"]]);
    if (flag === "cache") {
      // The parsed-bars cache (on by default, in the working folder: the sandbox). Its folder stays inside the case.
      b.args.push(...rng.pick([["--no-cache"], ["--cache"], ["--cache=false"], [`--cache-dir=${abs(b, "cache")}`], ["--cache-dir", abs(b, "README.txt")], ["--cache-dir", abs(b, "data")], ["--cache-dir", join(abs(b, "README.txt"), "sub")]]));
      continue;
    }
    if (flag === "unknown") {
      b.args.push(rng.pick(["--foo", "--stop-loss", "--sl-pct", "-x", "--data-path", "--Exit", "--exit-policy", "--seed=1=2", "-"]));
      continue;
    }
    if (flag === "positional") {
      b.args.push(rng.pick(["extra", "run", "backtest", "0.5", "😀"]));
      continue;
    }
    if (flag === "force") {
      b.args.push(rng.pick(["--force", "--no-force", "--force=false", "--force=yes"]));
      continue;
    }
    const spec = flag === "config" ? { type: "string", array: false, choices: undefined } : CONFIG_FLAGS[flag].option;
    const values = (): string[] => {
      if (PATH_FLAGS.includes(flag)) {
        const count = spec.array ? rng.int(0, 3) : 1;
        return Array.from({ length: count }, () =>
          flag === "signals" && rng.chance(0.4)
            ? rng.pick(["ema-cross", "EMA-CROSS", "predictions", "", "rsi-reversion", "momentum", "macd-cross", "change-24h", "macd", "module", EXAMPLE_MODULES[0], "x.ts", "x.cjs"])
            : pathValue(b, data, predictions));
      }
      if (flag === "rl-save") return [rng.pick([abs(b, "scratch/q.json"), abs(b, "scratch"), abs(b, "README.txt/q.json"), ""])];
      if (spec.type === "boolean") return [];
      if (spec.choices !== undefined) {
        const choices = spec.choices as readonly string[];
        return [rng.weighted<string>([[12, rng.pick(choices)], [1, rng.pick(choices).toUpperCase()], [1, junk(rng, 10)], [1, ""]])];
      }
      // Mostly sensible values, so that flag fuzzing also reaches many complete runs.
      return [rng.weighted<string>([[12, sensibleValue(rng, flag)], [2, rng.pick(NUMBER_JUNK)], [1, rng.pick(SPECIAL_NUMBERS)], [1, junk(rng, 12)]])];
    };
    const given = values();
    if (flag === "data") dataGiven = true;
    const form = rng.weighted<string>([[6, "separate"], [2, "equals"], [1, "bare"], [1, "repeat"]]);
    if (spec.type === "boolean") {
      b.args.push(rng.pick([`--${flag}`, `--no-${flag}`, `--${flag}=true`, `--${flag}=false`, `--${flag}=${junk(rng, 5)}`]));
    } else if (form === "bare" || given.length === 0) {
      b.args.push(`--${flag}`);
    } else if (form === "equals") {
      b.args.push(`--${flag}=${given[0]}`, ...given.slice(1));
    } else if (form === "repeat") {
      b.args.push(`--${flag}`, ...given, `--${flag}`, ...given);
    } else {
      b.args.push(`--${flag}`, ...given);
    }
    // A value that looks like a negative number or a flag can swallow the next flag's value; that is part of the fuzz.
  }
  if (!dataGiven || rng.chance(0.2)) b.args.unshift("--data", ...data.dataArgs);
  // Output folder states: absent (usual), an existing file, a folder that is not a run, a run folder.
  const state = rng.weighted<string>([[12, "absent"], [1, "file"], [1, "foreign-folder"], [1, "empty-folder"], [1, "under-file"], [1, "odd-name"], [1, "deep"]]);
  if (state !== "absent") b.notes.push(`out is ${state}`);
  if (state === "file") addFile(b, "out", "I am a file\n");
  else if (state === "foreign-folder") addFile(b, "out/keep.txt", "precious\n");
  else if (state === "empty-folder") b.folders.push("out");
  else if (state === "under-file") {
    addFile(b, "blocker", "file\n");
    b.outDir = join(abs(b, "blocker"), "run");
  } else if (state === "odd-name") b.outDir = abs(b, rng.pick(["out put", "ünïcødé €", "😀", "out.csv", "-out", "out,1"]));
  else if (state === "deep") b.outDir = abs(b, "a/b/c/d/out");
}

/* ------------------------------------------------------------------ env ---- */

function envValue(rng: Rng, name: string): string {
  const numeric = name !== "TRADING_SYMBOLS";
  return rng.weighted<string>([
    [4, numeric ? rng.pick(["1", "5", "10", "25", "0.8", "0.5", "0.45", "0", "0.99"]) : rng.pick(["BTCUSDT", "BTCUSDT,ETHUSDT", "ETHUSDT,SOLUSDT", "btcusdt"])],
    [2, rng.pick(NUMBER_JUNK)],
    [1, rng.pick(SPECIAL_NUMBERS)],
    [2, junk(rng, 30)],
    [1, ""],
    [1, rng.pick([",,,", " , ", "BTCUSDT,,", "😀", "x".repeat(10_000), "1\n2", "\t"])],
  ]);
}

function envCase(b: Builder): void {
  const { rng } = b;
  const data = validData(b);
  b.args.push("--data", ...data.dataArgs);
  for (const name of ["RM_MAX_LEVERAGE", "RM_RISK_PER_TRADE_PCT", "MIN_CONFIDENCE_THRESHOLD", "TRADING_SYMBOLS"]) {
    if (rng.chance(0.6)) b.env[name] = envValue(rng, name);
  }
  b.notes.push(`env ${JSON.stringify(b.env).slice(0, 300)}`);
  if (rng.chance(0.5)) b.args.push("--sizing", rng.pick(["math", "rl", "fixed-fraction"]));
  if (rng.chance(0.2)) b.args.push("--min-confidence", "0.5");
}

/* --------------------------------------------------------------- qtable ---- */

function qTableCase(b: Builder, qTables: QTables): void {
  const { rng } = b;
  const data = validData(b);
  const layout = rng.pick([...qTables.keys()]);
  const source = qTables.get(layout) as string;
  let content: Content = source;
  const form = rng.weighted<string>([[3, "json"], [1, "csv-like"], [1, "valid"]]);
  if (form === "json") {
    const parsed = JSON.parse(source) as { [key: string]: never };
    const mutated = mutateJson(rng, parsed, rng.int(1, 2));
    content = mutated.text;
    b.notes.push(`qtable ${layout}: ${mutated.notes.join("; ")}`);
  } else if (form === "csv-like") {
    const mutated = mutateCsv(rng, source, { hasHeader: false, timeColumn: 0, numericColumns: [0, 1, 2] }, 1);
    content = mutated.content;
    b.notes.push(`qtable ${layout} text: ${mutated.notes.join("; ")}`);
  } else {
    b.notes.push(`qtable ${layout} valid`);
  }
  const path = addFile(b, "qtable.json", content);
  // The agent's layout may or may not match the table's.
  const [leverage, style] = rng.chance(0.6) ? [layout.includes("lev1"), layout.includes("sty1")] : [rng.chance(0.5), rng.chance(0.5)];
  const config = { sizing: { kind: "rl", leverageActions: leverage, styleActions: style, mode: rng.pick(["train", "eval"]), load: path } };
  b.args.push("--data", ...data.dataArgs, "--config", addFile(b, "config.json", toJsonText(config)));
  if (rng.chance(0.3)) b.args.push("--rl-save", abs(b, "scratch/q-out.json"));
}

/* ------------------------------------------------------------- combined ---- */

function combinedCase(b: Builder, qTables: QTables): void {
  const { rng } = b;
  configCase(b, qTables);
  for (const name of ["RM_MAX_LEVERAGE", "RM_RISK_PER_TRADE_PCT", "MIN_CONFIDENCE_THRESHOLD", "TRADING_SYMBOLS"]) {
    if (rng.chance(0.3)) b.env[name] = envValue(rng, name);
  }
  // Mutate the first bar file of the case in place.
  const barFile = b.files.find((file) => file.path.startsWith("data/") && !file.path.includes("funding"));
  if (barFile !== undefined && typeof barFile.content === "string") {
    const lines = barFile.content.split("\n");
    const hasHeader = !/^\d/.test(lines[0]);
    const width = lines[0].split(",").length;
    const mutated = mutateCsv(rng, barFile.content, { hasHeader, timeColumn: 0, numericColumns: Array.from({ length: width - 1 }, (_, k) => k + 1) }, 1);
    b.files[b.files.indexOf(barFile)] = { path: barFile.path, content: mutated.content };
    b.notes.push(`${barFile.path}: ${mutated.notes.join("; ")}`);
  }
  b.notes.push(`env ${JSON.stringify(b.env).slice(0, 200)}`);
}

function truncate(text: string, length: number): string {
  return text.length <= length ? text : `${text.slice(0, length)}…`;
}

/* --------------------------------------------------------------- module ---- */

/** Signal values a user module might return, valid or not. */
const SIGNAL_VALUES = [
  '{ action: "BUY", confidence: 0.9 }', '{ action: "SELL", confidence: 0.7, score: -0.5 }', '{ action: "HOLD" }', "null", "undefined",
  '{ action: "buy" }', '{ action: "BUY", confidence: 1.5 }', '{ action: "BUY", confidence: NaN }', '"BUY"', "5", "{}", "[]",
  '{ action: "SELL", score: 2 }', '{ action: "BUY", confidence: "0.5" }', '{ action: "BUY", sizeMultiplier: -1 }',
  '{ action: "BUY", confidence: 1, sizeMultiplier: 1e308 }', '{ action: "SELL", confidence: 1, sizeMultiplier: 1e300 }',
  '{ action: "BUY", confidence: 0 }', '{ action: "BUY", confidence: 1, sizeMultiplier: 0 }', '{ action: "BUY", confidence: Infinity }',
  '{ action: "BUY", confidence: 0.8, extra: { deep: [1, 2] } }', "Symbol('x')", "10n", '{ action: "SELL", confidence: 5e-324 }',
];

const COLUMN_VALUES = ["1", "-1", "0", "2", "NaN", "0.5", "Infinity", '"1"', "null", "-0"];

/** A strategy module's source: working, broken at load time, or returning/throwing junk at run time. */
function moduleSource(rng: Rng): { source: string; note: string } {
  const k = rng.int(0, 90);
  const value = rng.pick(SIGNAL_VALUES);
  const form = rng.pick([
    "onbar-random", "compute-list", "compute-columns", "compute-length", "throws", "throws-odd", "async", "lookahead", "lookahead-caught",
    "returns-odd", "syntax-error", "empty", "no-exports", "not-a-function", "bad-defaults", "top-level-throw", "default-export", "getter",
    "mutates-series", "history-odd", "declared-params",
  ]);
  const sources: Record<string, string> = {
    "onbar-random": `let n = 0;\nexport function onBar(view) { n++; return view.index % ${rng.int(2, 9)} === 0 ? ${value} : (view.index % 5 === 1 ? { action: view.index % 2 ? "BUY" : "SELL", confidence: ${rng.float().toFixed(3)}, sizeMultiplier: ${rng.pick(["1", "2", "0.1", "50"])} } : null); }`,
    "compute-list": `export function computeSignals(series) { const out = new Array(series.length).fill(null); for (let i = 3; i < series.length; i += ${rng.int(3, 9)}) out[i] = { action: i % 2 ? "BUY" : "SELL", confidence: 0.9 }; if (${k} < series.length) out[${k}] = ${value}; return out; }`,
    "compute-columns": `export function computeSignals(series) { const action = new Float64Array(series.length); const confidence = new Float64Array(series.length).fill(0.8); for (let i = 5; i < series.length; i += 7) action[i] = i % 2 ? 1 : -1; if (${k} < series.length) { action[${k}] = ${rng.pick(COLUMN_VALUES)}; confidence[${k}] = ${rng.pick(COLUMN_VALUES)}; } return { action, confidence${rng.chance(0.3) ? ", sizeMultiplier: new Array(series.length).fill(" + rng.pick(["1", "1e308", "-1", "NaN"]) + ")" : ""} }; }`,
    "compute-length": `export function computeSignals(series) { return new Array(Math.max(0, series.length ${rng.pick(["- 1", "+ 1", "- series.length", "+ 1000"])})).fill(null); }`,
    throws: `export function computeSignals() { throw new Error(${JSON.stringify(rng.pick(["boom", "line one\nline two", "tab\there", "\u001b[31mred\u001b[0m", "x".repeat(5000)]))}); }`,
    "throws-odd": `export function onBar(view) { if (view.index === ${k % 40}) throw ${rng.pick(["null", "undefined", "42", '"a string"', "{ message: 5 }", "new RangeError()", "Object.create(null)"])}; return null; }`,
    async: `export async function computeSignals(series) { return new Array(series.length).fill(null); }`,
    lookahead: `export function onBar(view) { return view.close(view.index + ${rng.int(1, 3)}) > view.close() ? { action: "BUY", confidence: 1 } : null; }`,
    "lookahead-caught": `export function onBar(view) { try { view.high(view.index + 1); } catch {} return null; }`,
    "returns-odd": `export function computeSignals(series) { return ${rng.pick(["undefined", "null", "42", '"BUY"', "{ action: 5 }", "{ action: null }", "{ action: [] }", "{ action: new Int8Array(series.length), confidence: 7 }", "new Proxy([], {})", "Promise.resolve([])", "{ then: 1, action: new Int8Array(series.length) }"])}; }`,
    "syntax-error": `export function onBar( {\n`,
    empty: "",
    "no-exports": "const x = 1;\n",
    "not-a-function": `export const computeSignals = ${rng.pick(["5", '"fn"', "{}", "null"])};`,
    "bad-defaults": `export const defaultParams = ${rng.pick(["[]", "5", "null", '"x"'])};\nexport function onBar() { return null; }`,
    "top-level-throw": `throw new Error(${JSON.stringify(rng.pick(["at load", "two\nlines"]))});`,
    "default-export": `export default { onBar(view) { return view.index === ${k % 50} ? ${value} : null; } };`,
    getter: `export function onBar(view) { return view.index === ${k % 40} ? { get action() { throw new Error("getter failed"); } } : null; }`,
    "mutates-series": `export function computeSignals(series) { series.close.fill(-1); series.time.fill(0); const out = new Array(series.length).fill(null); out[series.length - 2] = { action: "BUY", confidence: 1 }; return out; }`,
    "declared-params": `export const defaultParams = { lookback: 5, fullStrength: 0.1 };\nexport function onBar(view, params) { return view.index % Math.max(1, Math.round(Math.abs(params.lookback)) || 1) === 0 ? { action: "BUY", confidence: 0.9, sizeMultiplier: ${rng.pick(["0", "1", "10", "10.5", "-0"])} } : null; }`,
    "history-odd": `export function onBar(view) { const h = view.history(${rng.pick(['"close"', '"nope"', "undefined"])}, ${rng.pick(["-1", "0", "1e9", "NaN", "2.5"])}); return h.length > 100 ? { action: "BUY", confidence: 1 } : null; }`,
  };
  return { source: `${sources[form]}\n`, note: `module ${form}${["compute-list", "onbar-random", "default-export"].includes(form) ? ` value ${value}` : ""}` };
}

function moduleCase(b: Builder, index: number): void {
  const { rng } = b;
  const data = validData(b);
  b.args.push("--data", ...data.dataArgs);
  let path: string;
  if (rng.chance(0.15)) {
    path = rng.pick(EXAMPLE_MODULES);
    b.notes.push(`example module ${path}`);
  } else {
    // A fresh name per case: Node caches an imported module by its URL.
    const { source, note } = moduleSource(rng);
    const extension = rng.weighted<string>([[8, "mjs"], [2, "js"], [1, "cjs"], [1, "ts"], [1, "txt"]]);
    path = addFile(b, `strategy-${index}.${extension}`, extension === "cjs" ? source.replace(/export (async )?function (\w+)/g, "exports.$2 = $1function").replace(/export const (\w+) =/g, "exports.$1 =").replace(/export default/g, "module.exports =") : source);
    b.notes.push(`${note} (.${extension})`);
  }
  if (rng.chance(0.6) && !path.endsWith(".txt")) {
    b.args.push("--signals", path);
  } else {
    const params: Record<string, number> | undefined = rng.chance(0.5)
      ? rng.chance(0.5)
        ? { lookback: rng.pick([-1, 0, 5, 1e9, 2.5]), fullStrength: rng.pick([0, 0.1, -1]), fast: rng.int(0, 30), slow: rng.int(0, 30) }
        : rng.pick<Record<string, number>>([{ lookback: 3 }, { lookbak: 3 }, { fullStrength: 0.5, LOOKBACK: 2 }, {}])
      : undefined;
    b.args.push("--config", addFile(b, "config.json", toJsonText({ signals: params === undefined ? { kind: "module", module: path } : { kind: "module", module: path, params } })));
    b.notes.push(`module via config${params === undefined ? "" : ` params ${JSON.stringify(params)}`}`);
  }
  addValidFlags(b, 2);
}
