/**
 * The main thread's half of engine/freshMemory.ts. While the worker thread starts (~170 ms on
 * this project's VM: a new V8 isolate, then its code from the code cache) and then runs the
 * command, the main thread only waits for its messages. It spends that time touching the
 * pages of a SharedArrayBuffer the worker then carves its large columns from — the bars read
 * from the data cache, the strategy's signal columns, the equity curve, the ledgers — so those
 * pages are already mapped when the worker writes them. On the VM a page fault costs ~13 µs;
 * measured on the peer workload (README "Performance"), the worker's data load, signal source
 * load and replay then take ~7,000 fewer of them.
 *
 * The memory's size is guessed from the command line before any config is read: the bytes of
 * the files the `--data` entries name (a folder's files and those of its subfolders), × 1.25
 * (the run's columns per byte of CSV, measured on the peer workload's CSV: 21 MB of CSV, 26 MB
 * of columns), a compressed file counting 4× its size; at most 192 MB, nothing under 8 MB (a
 * small run's columns are a few hundred pages, not worth a core's time), nothing without a
 * `--data` flag and nothing on a single core (the touching would take the worker's own core).
 * A wrong guess costs only time: memory the run does not use was touched for nothing, a run
 * that needs more allocates the rest as before. EXITLAB_PREFAULT_MB=N sets the size in MB
 * instead (0: off; anything but a whole number up to 4096 is refused).
 */
import { readdirSync, statSync, type Stats } from "node:fs";
import { availableParallelism } from "node:os";
import { join } from "node:path";
import { ConfigError } from "../engine/index.js";

/** The commands whose worker carves from the memory: one run folder, or a few runs on the same data. */
const PREFAULT_COMMANDS = ["backtest", "compare", "tiers"];
const MIN_BYTES = 8 << 20;
const MAX_BYTES = 192 << 20;
/** At most this much when EXITLAB_PREFAULT_MB sets the size. */
const MAX_SET_MB = 4096;
const COLUMN_BYTES_PER_SOURCE_BYTE = 1.25;
const COMPRESSED_EXPANSION = 4;
/** Folder entries looked at, at most: the guess never takes long. */
const MAX_ENTRIES = 4096;
const PAGE_BYTES = 4096;
/** Pages touched between two turns of the event loop (~3–4 ms on the VM): a signal or a message waits no longer. */
const PAGES_PER_TURN = 256;

/** The memory to touch for `args`, or undefined for none (or when the machine cannot spare it). */
export function prefaultMemory(args: readonly string[], env: NodeJS.ProcessEnv): SharedArrayBuffer | undefined {
  const bytes = prefaultBytes(args, env);
  if (bytes === 0) return undefined;
  try {
    return new SharedArrayBuffer(bytes);
  } catch {
    return undefined; // out of memory: the run allocates as it would have
  }
}

/** The bytes to touch for `args`, 0 for none; a ConfigError for an EXITLAB_PREFAULT_MB that is not a whole number of MB up to MAX_SET_MB. */
export function prefaultBytes(args: readonly string[], env: NodeJS.ProcessEnv, cores = availableParallelism()): number {
  const setting = env.EXITLAB_PREFAULT_MB;
  if (setting !== undefined && setting !== "") {
    if (!/^\d+$/.test(setting) || Number(setting) > MAX_SET_MB) {
      throw new ConfigError(`is not a whole number of MB from 0 to ${MAX_SET_MB}`, `EXITLAB_PREFAULT_MB=${setting}`, "0 turns the prefault off; unset, it is sized from --data");
    }
    return Number(setting) * (1 << 20);
  }
  const command = args.find((arg) => !arg.startsWith("-"));
  if (command === undefined || !PREFAULT_COMMANDS.includes(command) || cores < 2) return 0;
  const entries = dataEntries(args);
  if (entries.length === 0) return 0;
  const budget = { entries: MAX_ENTRIES };
  const source = entries.reduce((sum, entry) => sum + sourceBytes(entry.replace(/^[A-Za-z0-9][A-Za-z0-9._:-]*=/, ""), 2, budget), 0);
  const bytes = Math.min(MAX_BYTES, Math.ceil((source * COLUMN_BYTES_PER_SOURCE_BYTE) / PAGE_BYTES) * PAGE_BYTES);
  return bytes < MIN_BYTES ? 0 : bytes;
}

/** The values of every `--data` flag: `--data a b`, `--data=a`, repeated or not. */
function dataEntries(args: readonly string[]): string[] {
  const entries: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const arg = args[i] as string;
    if (arg.startsWith("--data=")) entries.push(arg.slice("--data=".length));
    if (arg !== "--data") continue;
    for (; i + 1 < args.length && !(args[i + 1] as string).startsWith("-"); i++) entries.push(args[i + 1] as string);
  }
  return entries;
}

/** The bytes of `path` — a file, or a folder's files `depth` levels down — with compressed files counted as they expand. */
function sourceBytes(path: string, depth: number, budget: { entries: number }): number {
  let stats: Stats | undefined;
  try {
    stats = statSync(path, { throwIfNoEntry: false });
  } catch {
    return 0; // not allowed, a loop of links…: the worker reports it properly
  }
  if (stats === undefined || budget.entries-- <= 0) return 0;
  if (stats.isFile()) return /\.(zip|gz)$/i.test(path) ? stats.size * COMPRESSED_EXPANSION : stats.size;
  if (!stats.isDirectory() || depth === 0) return 0;
  let bytes = 0;
  try {
    for (const name of readdirSync(path)) bytes += sourceBytes(join(path, name), depth - 1, budget);
  } catch {
    return bytes; // unreadable: the worker reports it properly
  }
  return bytes;
}

/**
 * Touches every page of `memory`, PAGES_PER_TURN at a time between turns of the event loop,
 * until done or `stop()` is called. Each touch is an atomic compare-exchange of 0 with 0: it
 * makes the kernel map the page, like a write, but never changes a value — the worker may
 * already be writing the same memory, and whatever it wrote stays.
 */
export function touchPages(memory: SharedArrayBuffer): { stop(): void } {
  const words = new Int32Array(memory);
  const pages = Math.floor(memory.byteLength / PAGE_BYTES);
  const wordsPerPage = PAGE_BYTES / Int32Array.BYTES_PER_ELEMENT;
  let page = 0;
  let stopped = false;
  const turn = (): void => {
    if (stopped) return;
    const end = Math.min(pages, page + PAGES_PER_TURN);
    for (; page < end; page++) Atomics.compareExchange(words, page * wordsPerPage, 0, 0);
    if (page < pages) setImmediate(turn);
  };
  turn();
  return { stop: () => { stopped = true; } };
}
