import { appendFileSync, existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { ConfigError, OutputError } from "../../engine/index.js";
import { beforeRecord } from "./processHooks.js";
import type { CellOutcome } from "./cellRunner.js";
import type { CellValues } from "./grid.js";

/**
 * `<out>/cells.jsonl`: the sweep's journal. Line 1 is a header naming the sweep (grid hash and
 * base-config hash); every finished cell is appended as one JSON line the moment it finishes,
 * so a sweep stopped at any point resumes without redoing finished cells. Only this file is
 * written during the run; the ranked tables are written at the end from it.
 */

export const CELL_LOG_FORMAT = "exitlab/sweep-cells/v1";
export const CELL_LOG_NAME = "cells.jsonl";

export interface SweepIdentity {
  /** sha256 over the grid's sorted cell ids. */
  readonly gridHash: string;
  /** sha256 over the base config (without data locations and output) and the data's content. */
  readonly baseHash: string;
  readonly cellCount: number;
}

/** One finished cell as journaled. `ranBy` and `elapsedMs` are for people; results never read them. */
export interface CellRecord {
  readonly cellId: string;
  readonly values: CellValues;
  readonly outcome: CellOutcome;
  /** `host:pid` of the process that ran it. */
  readonly ranBy: string;
  readonly elapsedMs: number;
}

export interface CellLog {
  readonly path: string;
  /** Cells finished by earlier runs of this sweep, by id. */
  readonly finished: ReadonlyMap<string, CellRecord>;
  /** How the log was opened: resumed, started (new or --no-resume) or replaced (--force over an earlier journal). */
  readonly opening: "resumed" | "started" | "replaced";
  /** Finished cells of the earlier journal that --force discarded. */
  readonly discarded: number;
  /** Appends a finished cell; `outcomeJson`, when given, is `JSON.stringify(record.outcome)` made already (by the cell's thread). */
  append(record: CellRecord, outcomeJson?: string): void;
}

export interface CellLogOptions {
  /** Reuse the finished cells of the same sweep (default on). */
  readonly resume: boolean;
  /** Start afresh over any earlier journal (of this sweep or another) instead of resuming or failing. */
  readonly force: boolean;
}

/**
 * A cell's journal line: `JSON.stringify({ type: "cell", ...record })`, with the outcome's
 * JSON taken as given when the cell's thread made it — a cell's daily returns are ~40,000
 * numbers for a million hourly bars, and turning them into text on the main thread, 64 times,
 * took it ~0.6 s while the worker threads needed the cores (tested byte for byte).
 */
export function journalLine(record: CellRecord, outcomeJson?: string): string {
  if (outcomeJson === undefined) return JSON.stringify({ type: "cell", ...record }, plainArrays);
  const { cellId, values, ranBy, elapsedMs, ...rest } = record;
  if (Object.keys(rest).join() !== "outcome") return JSON.stringify({ type: "cell", ...record }, plainArrays);
  return `{"type":"cell","cellId":${JSON.stringify(cellId)},"values":${JSON.stringify(values)},"outcome":${outcomeJson},`
    + `"ranBy":${JSON.stringify(ranBy)},"elapsedMs":${JSON.stringify(elapsedMs)}}`;
}

/** Daily returns held as a Float64Array (cellRunner.ts) are journaled as the array they were. */
function plainArrays(_key: string, value: unknown): unknown {
  return value instanceof Float64Array ? Array.from(value) : value;
}

export function openCellLog(outDir: string, identity: SweepIdentity, options: CellLogOptions): CellLog {
  const path = join(outDir, CELL_LOG_NAME);
  try {
    mkdirSync(outDir, { recursive: true });
  } catch (error) {
    throw new OutputError(`cannot create the output folder (${(error as NodeJS.ErrnoException).code ?? "error"})`, outDir);
  }
  const existing = existsSync(path) ? readJournal(path) : null;
  let finished = new Map<string, CellRecord>();
  let opening: CellLog["opening"] = "started";
  if (existing !== null) {
    const mismatch = mismatchOf(existing.header, identity);
    if (mismatch !== null && !options.force) {
      throw new ConfigError(`holds the cells of another sweep (${mismatch})`, path,
        "pass another --out, or --force to discard those cells and start this sweep there");
    }
    if (options.force) opening = "replaced";
    else if (options.resume) {
      finished = existing.records;
      opening = "resumed";
    }
  }
  // Rewritten on every start: drops a line cut short by a kill, and any cell of a discarded sweep.
  writeJournal(path, identity, [...finished.values()]);
  return {
    path,
    finished,
    opening,
    discarded: opening === "replaced" ? existing?.records.size ?? 0 : 0,
    append(record, outcomeJson) {
      beforeRecord();
      try {
        appendFileSync(path, `${journalLine(record, outcomeJson)}\n`);
      } catch (error) {
        throw new OutputError(`cannot append a finished cell (${(error as NodeJS.ErrnoException).code ?? "error"})`, path);
      }
    },
  };
}

interface Journal {
  readonly header: Record<string, unknown> | null;
  readonly records: Map<string, CellRecord>;
}

function readJournal(path: string): Journal {
  const lines = readFileSync(path, "utf8").split("\n");
  const header = parseLine(lines[0]);
  const records = new Map<string, CellRecord>();
  for (const line of lines.slice(1)) {
    const entry = parseLine(line);
    // A line cut short by a kill does not parse and is dropped; the first record of a cell wins.
    if (entry === null || entry.type !== "cell" || typeof entry.cellId !== "string" || records.has(entry.cellId)) continue;
    const { type: _type, ...record } = entry;
    records.set(entry.cellId, record as unknown as CellRecord);
  }
  return { header: header?.type === "header" ? header : null, records };
}

function parseLine(line: string | undefined): Record<string, unknown> | null {
  if (line === undefined || line.trim() === "") return null;
  try {
    const value: unknown = JSON.parse(line);
    return typeof value === "object" && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}

/** Why a journal's header names another sweep, or null when it names this one. */
function mismatchOf(header: Record<string, unknown> | null, identity: SweepIdentity): string | null {
  if (header === null || header.format !== CELL_LOG_FORMAT) return "no sweep header on line 1";
  if (header.gridHash !== identity.gridHash) return "a different grid";
  if (header.baseHash !== identity.baseHash) return "a different base config or data";
  return null;
}

function writeJournal(path: string, identity: SweepIdentity, records: readonly CellRecord[]): void {
  const header = { type: "header", format: CELL_LOG_FORMAT, gridHash: identity.gridHash, baseHash: identity.baseHash, cells: identity.cellCount };
  const lines = [header, ...records.map((record) => ({ type: "cell", ...record }))].map((line) => `${JSON.stringify(line)}\n`);
  const temporary = `${path}.tmp-${process.pid}`;
  try {
    writeFileSync(temporary, lines.join(""));
    renameSync(temporary, path);
  } catch (error) {
    throw new OutputError(`cannot write the cell journal (${(error as NodeJS.ErrnoException).code ?? "error"})`, path);
  }
}
