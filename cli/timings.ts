import { readFileSync } from "node:fs";
import { performance } from "node:perf_hooks";

/**
 * Opt-in phase timings of one CLI run (`EXITLAB_TIMINGS=1`, or `json` for one JSON line): the
 * wall time of each phase — start-up and module loading, data load, signals, market inputs,
 * replay, statistics, each output file — printed to stderr when the command ends, with each
 * phase's share of the whole process. Off, it costs one branch per phase and prints nothing;
 * nothing it measures reaches an output file (outputs stay byte-identical).
 *
 * "start-up" is the time from the process's start (`performance.timeOrigin`) to the command's
 * first phase: Node's own boot, loading the CLI's modules and parsing the flags. The phases
 * after it are timed around the work itself; what lies between them (small glue) is reported
 * as "other", so the shares add up to the process's wall time up to the report.
 *
 * Each phase also counts the process's minor page faults (`process.resourceUsage()`, every
 * thread's): the first write to each fresh 4 KiB page of memory costs one, and on this
 * project's VM one took 13–14 µs — a quarter to a third of the peer workload's wall time
 * (README "Performance", issue 19's eighth round). Start-up counts those since the process began.
 */
export interface PhaseClock {
  /** Runs `work`, adding its wall time to `phase` (phases named twice add up). */
  time<T>(phase: string, work: () => T): T;
  timeAsync<T>(phase: string, work: () => Promise<T>): Promise<T>;
  /** The phases so far, with "start-up" first and "other" and "total" last; ms. */
  report(): Record<string, number>;
  /** Adds `ms` to work done on another thread (the output thread) while the phases ran: shown apart, not part of the total. */
  elsewhere(phase: string, ms: number): void;
  /** That work by phase; ms. */
  reportElsewhere(): Record<string, number>;
  /** The process's minor page faults in each phase of `report()`, with "start-up", "other" and "total". */
  reportPageFaults(): Record<string, number>;
}

/** A clock that times nothing (the default). */
export const NO_CLOCK: PhaseClock = {
  time: (_phase, work) => work(),
  timeAsync: (_phase, work) => work(),
  report: () => ({}),
  elsewhere: () => undefined,
  reportElsewhere: () => ({}),
  reportPageFaults: () => ({}),
};

/**
 * The process's clock: NO_CLOCK unless `startTimings` turned it on (main.ts does, from the
 * environment). One per process, like the stderr it reports to.
 */
export let phaseClock: PhaseClock = NO_CLOCK;

/** What `EXITLAB_TIMINGS` asks for: nothing, a table, or a JSON line. */
export type TimingsMode = "off" | "table" | "json";

export function timingsModeOf(env: NodeJS.ProcessEnv): TimingsMode {
  const value = env.EXITLAB_TIMINGS;
  if (value === undefined || value === "" || value === "0") return "off";
  return value === "json" ? "json" : "table";
}

/**
 * Turns the process's clock on when `EXITLAB_TIMINGS` asks for it; returns the mode.
 * `processOrigin`: the process's `performance.timeOrigin` when this runs in a worker thread
 * (whose own clock starts with the thread), so that times still count from the process's start.
 */
export function startTimings(env: NodeJS.ProcessEnv, processOrigin = performance.timeOrigin): TimingsMode {
  const mode = timingsModeOf(env);
  phaseClock = mode === "off" ? NO_CLOCK : createPhaseClock(performance.timeOrigin - processOrigin);
  return mode;
}

export function createPhaseClock(originOffsetMs = 0): PhaseClock {
  const phases = new Map<string, number>();
  const faults = new Map<string, number>();
  const elsewhere = new Map<string, number>();
  let startUpMs: number | null = null;
  let startUpFaults = 0;
  const now = (): number => performance.now() + originOffsetMs;
  const faultsNow = (): number => process.resourceUsage().minorPageFault;
  const begin = (): { ms: number; faults: number } => {
    const started = { ms: now(), faults: faultsNow() };
    if (startUpMs === null) {
      startUpMs = started.ms;
      startUpFaults = started.faults;
    }
    return started;
  };
  // Phases do not nest (the callers time disjoint steps), so their sum is never above the total.
  const end = (phase: string, started: { ms: number; faults: number }): void => {
    phases.set(phase, (phases.get(phase) ?? 0) + now() - started.ms);
    faults.set(phase, (faults.get(phase) ?? 0) + faultsNow() - started.faults);
  };
  const withStartAndEnd = (of: Map<string, number>, startUp: number, total: number): Record<string, number> => {
    const timed = [...of.values()].reduce((sum, value) => sum + value, 0);
    return { "start-up": startUp, ...Object.fromEntries(of), other: Math.max(0, total - startUp - timed), total };
  };
  return {
    time(phase, work) {
      const started = begin();
      try {
        return work();
      } finally {
        end(phase, started);
      }
    },
    async timeAsync(phase, work) {
      const started = begin();
      try {
        return await work();
      } finally {
        end(phase, started);
      }
    },
    report() {
      const totalMs = now();
      return withStartAndEnd(phases, startUpMs ?? totalMs, totalMs);
    },
    reportPageFaults() {
      const total = faultsNow();
      return withStartAndEnd(faults, startUpMs === null ? total : startUpFaults, total);
    },
    elsewhere(phase, ms) {
      elsewhere.set(phase, (elsewhere.get(phase) ?? 0) + ms);
    },
    reportElsewhere: () => Object.fromEntries(elsewhere),
  };
}

/** What the command thread adds to the timings (cli/runWorker.ts). */
export interface ThreadTimings {
  /** The memory the main thread touched ahead for the worker's columns (cli/prefault.ts) and how much of it the run used, MB (`"prefaultedMb"`). */
  readonly prefaulted?: { readonly touched: number; readonly used: number };
  /** How long a thread bin/exitlab.js started ahead waited for its start data (cli/commandThread.ts; `"startedAhead"`). */
  readonly startedAhead?: { readonly waitedMs: number };
}

/**
 * The report as printed: one line per phase with its share of the total and the process's
 * page faults and peak RSS, or one JSON line (`{ "phases": {…}, "pageFaults": {…}, "peakRssMb": n }`)
 * for scripts such as the bench; with what the command thread adds (`ThreadTimings`).
 */
export function formatTimings(report: Record<string, number>, mode: TimingsMode, thread: ThreadTimings = {}): string {
  const { prefaulted, startedAhead } = thread;
  const peakRssMb = peakRssMbOfProcess();
  const elsewhere = phaseClock.reportElsewhere();
  const pageFaults = phaseClock.reportPageFaults();
  const apart = Object.keys(elsewhere).length > 0;
  if (mode === "json") {
    const touched = prefaulted === undefined ? {} : { prefaultedMb: roundedValues(prefaulted) };
    const ahead = startedAhead === undefined ? {} : { startedAhead: roundedValues(startedAhead) };
    return `exitlab timings ${JSON.stringify({ phases: roundedValues(report), ...(apart ? { elsewhere: roundedValues(elsewhere) } : {}), pageFaults, peakRssMb: Math.round(peakRssMb), ...touched, ...ahead })}\n`;
  }
  const total = report.total ?? 0;
  const lines = ["exitlab timings (wall ms since the process started, share of the whole, minor page faults):"];
  for (const [phase, ms] of Object.entries(report)) {
    const share = phase === "total" || total <= 0 ? "       " : `${((100 * ms) / total).toFixed(1).padStart(5)} %`;
    const faults = pageFaults[phase] === undefined ? "" : `${String(pageFaults[phase]).padStart(8)} faults`;
    lines.push(`  ${phase.padEnd(22)} ${ms.toFixed(1).padStart(9)} ms  ${share}  ${faults}`.trimEnd());
  }
  for (const [phase, ms] of Object.entries(elsewhere)) lines.push(`  ${`${phase} (own thread)`.padEnd(22)} ${ms.toFixed(1).padStart(9)} ms  (at the same time as the phases above)`);
  lines.push(`  peak RSS ${Math.round(peakRssMb)} MB`);
  if (prefaulted !== undefined) lines.push(`  memory touched ahead by the main thread ${prefaulted.touched.toFixed(1)} MB, used ${prefaulted.used.toFixed(1)} MB`);
  if (startedAhead !== undefined) lines.push(`  command thread started by the launcher; it waited ${startedAhead.waitedMs.toFixed(1)} ms for its start data`);
  return `${lines.join("\n")}\n`;
}

/**
 * The process's own peak resident memory. On Linux, from /proc/self/status's VmHWM: getrusage's
 * maxRSS (`process.resourceUsage()`) also counts the parent's memory at the fork that started
 * this process (Linux carries it across exec), so a run started by a large process — the bench,
 * after its in-process scenarios — reported the parent's size instead of its own.
 */
function peakRssMbOfProcess(): number {
  const status = readProcStatus();
  const highWater = status === null ? null : /^VmHWM:\s+(\d+) kB$/m.exec(status);
  return highWater === null ? process.resourceUsage().maxRSS / 1024 : Number(highWater[1]) / 1024;
}

function readProcStatus(): string | null {
  try {
    return readFileSync("/proc/self/status", "latin1");
  } catch {
    return null; // not Linux
  }
}

function roundedValues(report: Record<string, number>): Record<string, number> {
  return Object.fromEntries(Object.entries(report).map(([phase, ms]) => [phase, Math.round(ms * 10) / 10]));
}
