/**
 * The fuzzer's oracle (SPEC §2 "bad input never crashes with a stack trace and never produces
 * a silent partial result", §7, §9; README "exit codes"). A case's outcome is judged into a
 * list of violations; an empty list is a pass.
 *
 * - `runCli` resolves (never rejects) within the time budget;
 * - exit 0: a complete run folder whose summary.json parses, reconciles (≤ 1e-9) and holds no
 *   number that went non-finite (the summary writes NaN/Infinity as null, so a null where the
 *   metric is defined by its inputs counts as non-finite), CSVs without empty required fields;
 * - exit 1 or 2: exactly one stderr line `exitlab: …`, no "internal error", no stack, empty
 *   stdout, and the output folder as it was before (usually absent) with no temp sibling.
 */

import { createHash } from "node:crypto";
import { existsSync, lstatSync, readdirSync, readFileSync, readlinkSync } from "node:fs";
import { basename, dirname, join } from "node:path";
import type { FuzzCase } from "./cases.js";

export const RUN_FILES = ["equity.csv", "exit_stats.csv", "fills.csv", "positions.json", "summary.json", "trades.csv"] as const;
export const RECONCILIATION_LIMIT = 1e-9;

export interface Outcome {
  /** "resolved" with a status, or how it went wrong. */
  readonly kind: "resolved" | "rejected" | "timeout";
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
  readonly elapsedMs: number;
  readonly error?: unknown;
}

/** What was at the output path before the run: absent, or a listing of names → bytes. */
export type OutState = null | { readonly type: "file" | "folder"; readonly entries: Record<string, string> };

export function captureOutState(outDir: string): OutState {
  let stats;
  try {
    stats = lstatSync(outDir);
  } catch {
    return null;
  }
  if (stats.isSymbolicLink()) return { type: "file", entries: { "": `link → ${readlinkSync(outDir)}` } };
  if (!stats.isDirectory()) return { type: "file", entries: { "": readFileSync(outDir).toString("base64") } };
  const entries: Record<string, string> = {};
  for (const name of readdirSync(outDir).sort()) {
    const path = join(outDir, name);
    entries[name] = lstatSync(path).isDirectory() ? "<dir>" : readFileSync(path).toString("base64");
  }
  return { type: "folder", entries };
}

function sameState(a: OutState, b: OutState): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

/** `<outDir>.tmp-*` / `<outDir>.old-*` left next to the output folder. */
export function leftoverSiblings(outDir: string): string[] {
  const parent = dirname(outDir);
  if (!existsSync(parent)) return [];
  const prefix = basename(outDir);
  try {
    return readdirSync(parent).filter((name) => name.startsWith(`${prefix}.tmp-`) || name.startsWith(`${prefix}.old-`));
  } catch {
    return [];
  }
}

const STACK_LINE = /^\s+at /m;
// C0 controls but tab and newline, and DEL.
const CONTROL_CHARACTER = /[\u0000-\u0008\u000b-\u001f\u007f]/;
const CONTROL_CHARACTERS = /[\u0000-\u0008\u000b-\u001f\u007f]/g;

export function judge(c: FuzzCase, outcome: Outcome, before: OutState, budgetMs: number): string[] {
  const violations: string[] = [];
  if (outcome.kind === "rejected") {
    const error = outcome.error as Error | undefined;
    return [`runCli rejected: ${error?.stack?.split("\n").slice(0, 4).join(" | ") ?? String(outcome.error)}`];
  }
  if (outcome.kind === "timeout") return [`runCli did not resolve within ${budgetMs} ms`];
  if (outcome.elapsedMs > budgetMs) violations.push(`took ${Math.round(outcome.elapsedMs)} ms (budget ${budgetMs} ms)`);

  if (outcome.stderr.includes("internal error")) violations.push(`internal error: ${firstLines(outcome.stderr, 3)}`);
  else if (STACK_LINE.test(outcome.stderr)) violations.push(`stack trace on stderr: ${firstLines(outcome.stderr, 3)}`);

  const siblings = leftoverSiblings(c.outDir);
  if (siblings.length > 0) violations.push(`temp/old siblings left: ${siblings.join(", ")}`);

  if (outcome.status === 0 && c.mustFail !== null) violations.push(`exit 0, but must fail: ${c.mustFail}`);
  if (outcome.status === 0) {
    violations.push(...judgeRunFolder(c.outDir));
    violations.push(...judgeWarnings(outcome.stderr, c.outDir));
  } else if (outcome.status === 1 || outcome.status === 2) {
    const lines = outcome.stderr.split("\n");
    if (lines[lines.length - 1] === "") lines.pop();
    if (lines.length !== 1) violations.push(`stderr has ${lines.length} lines, not 1: ${firstLines(outcome.stderr, 3)}`);
    else if (!lines[0].startsWith("exitlab: ")) violations.push(`stderr line does not start with "exitlab: ": ${lines[0].slice(0, 200)}`);
    else if (CONTROL_CHARACTER.test(lines[0])) {
      // A carriage return (or an escape sequence) breaks the line on a terminal just as a newline does.
      const found = [...new Set(lines[0].match(CONTROL_CHARACTERS) ?? [])].map((character) => `U+${character.charCodeAt(0).toString(16).toUpperCase().padStart(4, "0")}`);
      violations.push(`stderr line holds control characters (${found.sort().join(" ")}): ${JSON.stringify(lines[0].slice(0, 300))}`);
    }
    if (outcome.stdout !== "") violations.push(`stdout not empty on error: ${outcome.stdout.slice(0, 200)}`);
    const after = captureOutState(c.outDir);
    if (!sameState(before, after)) {
      violations.push(before === null ? `output left behind on exit ${outcome.status}: ${c.outDir}` : `output path changed on exit ${outcome.status}`);
    }
    if (c.dataOnly && outcome.status === 2) violations.push(`exit 2 (usage/config) for a case that only mutated data: ${lines[0]?.slice(0, 200)}`);
  } else {
    violations.push(`exit code ${outcome.status}`);
  }
  return violations;
}

/**
 * Nothing silent: on success every stderr line is a warning, and the warnings on stderr are
 * exactly those summary.json records, each with a positive count.
 */
function judgeWarnings(stderr: string, outDir: string): string[] {
  const lines = stderr.split("\n").filter((line) => line !== "");
  const out = lines.filter((line) => !line.startsWith("exitlab: warning: ")).map((line) => `stderr line on success is not a warning: ${line.slice(0, 200)}`);
  try {
    const recorded = (JSON.parse(readFileSync(join(outDir, "summary.json"), "utf8")) as { warnings: { count: number; message: string }[] }).warnings;
    const printed = lines.filter((line) => line.startsWith("exitlab: warning: ")).map((line) => line.slice("exitlab: warning: ".length));
    const messages = recorded.map((warning) => warning.message.replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]/g, ""));
    if (printed.length !== recorded.length) out.push(`${printed.length} warnings on stderr but ${recorded.length} in summary.json`);
    for (const warning of recorded) if (!(Number.isInteger(warning.count) && warning.count > 0)) out.push(`warning without a positive count: ${warning.message.slice(0, 200)}`);
    if (printed.length === recorded.length && messages.some((message, k) => !printed[k].startsWith(message.slice(0, 40)))) out.push("stderr warnings differ from summary.json's");
  } catch {
    // judgeRunFolder reports an unreadable summary.json.
  }
  return out;
}

function firstLines(text: string, count: number): string {
  return text.split("\n").slice(0, count).join(" | ").slice(0, 600);
}

/* ------------------------------------------------------------ run folder ---- */

type Summary = Record<string, any>;

function judgeRunFolder(outDir: string): string[] {
  if (!existsSync(outDir) || !lstatSync(outDir).isDirectory()) return [`exit 0 but no output folder ${outDir}`];
  const present = readdirSync(outDir);
  const missing = RUN_FILES.filter((name) => !present.includes(name));
  if (missing.length > 0) return [`exit 0 but the run folder lacks ${missing.join(", ")}`];
  let summary: Summary;
  try {
    summary = JSON.parse(readFileSync(join(outDir, "summary.json"), "utf8")) as Summary;
  } catch (error) {
    return [`summary.json does not parse: ${(error as Error).message}`];
  }
  try {
    JSON.parse(readFileSync(join(outDir, "positions.json"), "utf8"));
  } catch (error) {
    return [`positions.json does not parse: ${(error as Error).message}`];
  }
  const violations = judgeSummary(summary);
  violations.push(...judgeCsvs(outDir, summary));
  return violations;
}

const isFiniteNumber = (value: unknown): value is number => typeof value === "number" && Number.isFinite(value);

function requireNumbers(object: Summary | undefined, keys: readonly string[], where: string, out: string[]): void {
  if (object === undefined || object === null) {
    out.push(`summary.json has no ${where}`);
    return;
  }
  for (const key of keys) if (!isFiniteNumber(object[key])) out.push(`summary ${where}.${key} is ${JSON.stringify(object[key])} (non-finite)`);
}

/** Every number leaf under a node must be a number (null means it was NaN or ±Infinity). */
function requireNumberLeaves(node: unknown, where: string, out: string[]): void {
  if (node === null) out.push(`summary ${where} is null (non-finite)`);
  else if (Array.isArray(node)) node.forEach((child, index) => requireNumberLeaves(child, `${where}[${index}]`, out));
  else if (typeof node === "object") for (const [key, child] of Object.entries(node)) requireNumberLeaves(child, `${where}.${key}`, out);
}

function judgeSummary(summary: Summary): string[] {
  const out: string[] = [];
  const account = summary.account as Summary | undefined;
  requireNumbers(account, ["initialBalance", "finalBalance", "finalEquity", "realizedPnlUsd", "feesUsd", "fundingUsd", "reconciliationError"], "account", out);
  if (account !== undefined && isFiniteNumber(account.reconciliationError) && !(account.reconciliationError <= RECONCILIATION_LIMIT)) {
    out.push(`account.reconciliationError ${account.reconciliationError} > ${RECONCILIATION_LIMIT}`);
  }
  if (account !== undefined && isFiniteNumber(account.finalEquity) && account.finalEquity < -1e-9 * Math.max(1, account.initialBalance)) {
    out.push(`final equity ${account.finalEquity} is negative (isolated margin: a trader cannot lose more than the account)`);
  }
  requireNumberLeaves(summary.counters, "counters", out);
  requireNumbers(summary.data, ["timeframeMs", "bars", "timestamps"], "data", out);
  const metrics = summary.metrics as Summary | undefined;
  if (metrics === undefined) return [...out, "summary.json has no metrics"];
  requireNumbers(metrics, [
    "totalReturnPct", "maxDrawdownPct", "maxDrawdownDurationMs", "maxDrawdownDurationBars", "tradeCount", "longTradeCount", "shortTradeCount",
    "winningTradeCount", "losingTradeCount", "grossProfitUsd", "grossLossUsd", "tradesWithRCount", "feesPaidUsd", "fundingNetUsd",
    "fundingPaidUsd", "fundingReceivedUsd", "liquidationCount",
  ], "metrics", out);
  const bars = summary.data?.timestamps as number | undefined;
  if (isFiniteNumber(bars) && bars >= 1) requireNumbers(metrics, ["exposureTimePct"], "metrics", out);
  if (isFiniteNumber(bars) && bars >= 3) requireNumbers(metrics, ["annualizedVolatilityPct"], "metrics", out);
  if (isFiniteNumber(metrics.tradeCount) && metrics.tradeCount > 0) {
    requireNumbers(metrics, ["winRatePct", "expectancyUsd", "expectancyReturnOnMarginPct", "averageHoldingTimeMs", "averageHoldingBars", "bestTradeNetPnlUsd", "worstTradeNetPnlUsd"], "metrics", out);
  }
  if (isFiniteNumber(metrics.tradesWithRCount) && metrics.tradesWithRCount > 0) requireNumbers(metrics, ["averageR"], "metrics", out);
  for (const [index, row] of ((summary.exitStats ?? []) as Summary[]).entries()) {
    requireNumbers(row, ["fills", "trades", "quantity", "totalNetPnlUsd"], `exitStats[${index}]`, out);
  }
  return out;
}

/* ----------------------------------------------------------------- CSVs ---- */

function readCsv(path: string): { header: string[]; rows: string[][] } {
  // Output CSVs quote only fields with , " or newlines; symbols never hold those here.
  const lines = readFileSync(path, "utf8").split("\n");
  if (lines[lines.length - 1] === "") lines.pop();
  const [header = "", ...rows] = lines;
  return { header: header.split(","), rows: rows.map((row) => row.split(",")) };
}

function requireFields(path: string, required: readonly string[], out: string[]): number {
  const { header, rows } = readCsv(path);
  const name = basename(path);
  for (const column of required) {
    const index = header.indexOf(column);
    if (index < 0) {
      out.push(`${name} has no column ${column}`);
      continue;
    }
    const bad = rows.findIndex((row) => row[index] === undefined || row[index] === "" || !Number.isFinite(Number(row[index])));
    if (bad >= 0) out.push(`${name} row ${bad + 2} column ${column} is ${JSON.stringify(rows[bad][index])} (empty = non-finite)`);
  }
  return rows.length;
}

function judgeCsvs(outDir: string, summary: Summary): string[] {
  const out: string[] = [];
  const equityRows = requireFields(join(outDir, "equity.csv"), ["timestamp", "equity", "balance", "unrealized_pnl", "margin_used", "exposure", "drawdown"], out);
  if (equityRows === 0) out.push("equity.csv has no rows");
  const tradeRows = requireFields(join(outDir, "trades.csv"), [
    "entry_time", "exit_time", "entry_price", "exit_price", "quantity", "leverage", "margin_usd", "realized_pnl_usd", "fees_usd", "funding_usd",
    "net_pnl_usd", "return_on_margin", "bars_held",
  ], out);
  requireFields(join(outDir, "fills.csv"), ["seq", "time", "price", "quantity", "fee_usd", "realized_pnl_usd", "funding_usd"], out);
  const tradeCount = summary.metrics?.tradeCount;
  if (isFiniteNumber(tradeCount) && tradeCount !== tradeRows) out.push(`summary tradeCount ${tradeCount} but trades.csv has ${tradeRows} rows`);
  return out;
}

/* ---------------------------------------------------------------- inputs ---- */

/** Every file, link and FIFO a case created, by relative path: content, link target or "fifo". */
export type InputState = ReadonlyMap<string, string>;

function describeEntry(path: string): string {
  try {
    const stats = lstatSync(path);
    if (stats.isSymbolicLink()) return `link → ${readlinkSync(path)}`;
    if (stats.isFIFO()) return "fifo";
    if (stats.isFile()) return `file ${createHash("sha256").update(readFileSync(path)).digest("hex")}`;
    return "other";
  } catch {
    return "missing";
  }
}

export function captureInputs(c: FuzzCase, caseDir: string): InputState {
  const paths = [...c.files.map((file) => file.path), ...c.links.map((link) => link.path), ...c.fifos];
  return new Map(paths.map((path) => [path, describeEntry(join(caseDir, path))]));
}

/** "0 silent changes": every input the case created is as it was, unless the case says exitlab may replace it. */
export function changedInputs(c: FuzzCase, caseDir: string, before: InputState): string[] {
  const violations: string[] = [];
  for (const [path, state] of before) {
    if (c.replaceable.includes(path)) continue;
    const after = describeEntry(join(caseDir, path));
    if (after !== state) violations.push(`input ${path} changed: ${state.slice(0, 20)} → ${after.slice(0, 20)}`);
  }
  return violations;
}
