import { ConfigError } from "../../engine/errors.js";
import type { ActionLayout } from "./rlActions.js";
import {
  CONFIDENCE_BUCKETS, EXPOSURE_BUCKETS, PERFORMANCE_BUCKETS, REGIMES, STATE_COUNT, type RlStateSettings,
} from "./rlState.js";

/**
 * The RL agent's Q-table as JSON (SPEC §4.2: train on one period, evaluate on another). The
 * file carries its state and action layout; a table of another layout — e.g. trained with the
 * leverage or TP/SL dimension enabled when the agent now has it disabled — is refused, since
 * its action indexes would mean different actions. The state thresholds it was trained with
 * are stored for the record but not enforced: evaluating a table under changed thresholds can
 * be deliberate.
 */

export const Q_TABLE_FORMAT = "exitlab/rl-q-table";
export const Q_TABLE_VERSION = 1;

/** Row-major `stateId × actionCount + actionId`. */
export interface QTableData {
  readonly q: Float64Array;
  /** Number of updates of each state-action. */
  readonly updates: Float64Array;
}

interface StateLayout {
  readonly regimes: readonly string[];
  readonly confidenceBuckets: readonly string[];
  readonly exposureBuckets: readonly string[];
  readonly performanceBuckets: readonly string[];
  readonly count: number;
}

const STATE_LAYOUT: StateLayout = {
  regimes: REGIMES,
  confidenceBuckets: CONFIDENCE_BUCKETS,
  exposureBuckets: EXPOSURE_BUCKETS,
  performanceBuckets: PERFORMANCE_BUCKETS,
  count: STATE_COUNT,
};

const HINT = "pass a file written by the RL agent's toJSON()";

/** Pretty JSON with a fixed key order, one row of Q values per state. */
export function serializeQTable(table: QTableData, layout: ActionLayout, stateSettings: RlStateSettings): string {
  const rows = (values: Float64Array) =>
    Array.from({ length: STATE_COUNT }, (_, state) => Array.from(values.subarray(state * layout.count, (state + 1) * layout.count)));
  const document = {
    format: Q_TABLE_FORMAT,
    version: Q_TABLE_VERSION,
    layout: {
      states: STATE_LAYOUT,
      actions: { sizes: layout.sizes, leverages: layout.leverages, styles: layout.styles, count: layout.count },
    },
    stateSettings,
    q: rows(table.q),
    updates: rows(table.updates),
  };
  // One row per line: readable and diffable without a 22,000-line file.
  return JSON.stringify(document, (key, value) => (key === "q" || key === "updates" ? (value as number[][]).map((row) => JSON.stringify(row)) : value), 2)
    .replace(/"(\[[^"\]]*\])"/g, "$1") + "\n";
}

/** Parses and validates a Q-table file against the agent's action layout. */
export function parseQTable(text: string, fileName: string, expected: ActionLayout): QTableData {
  let document: unknown;
  try {
    document = JSON.parse(text);
  } catch (error) {
    throw new ConfigError(`Q-table is not valid JSON: ${(error as Error).message}`, fileName, HINT);
  }
  if (!isRecord(document) || document.format !== Q_TABLE_FORMAT) {
    throw new ConfigError(`not an RL Q-table: expected "format": "${Q_TABLE_FORMAT}"`, fileName, HINT);
  }
  if (document.version !== Q_TABLE_VERSION) {
    throw new ConfigError(`Q-table version ${String(document.version)} is not supported (expected ${Q_TABLE_VERSION})`, fileName, "train a new table with this version of exitlab");
  }
  const layout = isRecord(document.layout) ? document.layout : {};
  if (!sameFields(layout.states, STATE_LAYOUT)) {
    throw new ConfigError(`Q-table has another state layout: ${JSON.stringify(layout.states)}`, fileName, `expected ${STATE_COUNT} states ${JSON.stringify(STATE_LAYOUT)}`);
  }
  const actions = { sizes: expected.sizes, leverages: expected.leverages, styles: expected.styles, count: expected.count };
  if (!sameFields(layout.actions, actions)) {
    throw new ConfigError(
      `Q-table was trained with actions ${describeLayout(layout.actions)}, but this agent has ${describeLayout(actions)}`,
      fileName,
      "configure the agent's leverageSource and tpSlSource as when the table was trained, or train a new table",
    );
  }
  return {
    q: matrixOf(document.q, "q", expected.count, fileName, (value) => Number.isFinite(value)),
    updates: matrixOf(document.updates, "updates", expected.count, fileName, (value) => Number.isInteger(value) && value >= 0),
  };
}

function matrixOf(value: unknown, name: string, columns: number, fileName: string, valid: (value: number) => boolean): Float64Array {
  if (!Array.isArray(value) || value.length !== STATE_COUNT) {
    throw new ConfigError(`Q-table "${name}" must be ${STATE_COUNT} rows (one per state)`, fileName, HINT);
  }
  const out = new Float64Array(STATE_COUNT * columns);
  for (let state = 0; state < STATE_COUNT; state++) {
    const row: unknown = value[state];
    if (!Array.isArray(row) || row.length !== columns) {
      throw new ConfigError(`Q-table "${name}[${state}]" must hold ${columns} values (one per action)`, fileName, HINT);
    }
    for (let action = 0; action < columns; action++) {
      const cell: unknown = row[action];
      if (typeof cell !== "number" || !valid(cell)) {
        throw new ConfigError(`Q-table "${name}[${state}][${action}]" is invalid: ${JSON.stringify(cell)}`, fileName, HINT);
      }
      out[state * columns + action] = cell;
    }
  }
  return out;
}

function describeLayout(value: unknown): string {
  if (!isRecord(value)) return "(missing)";
  const dimension = (name: string, choices: unknown) => (Array.isArray(choices) ? `${name} ${JSON.stringify(choices)}` : `${name} off`);
  return `{${dimension("sizes", value.sizes)}; ${dimension("leverages", value.leverages)}; ${dimension("styles", value.styles)}}`;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** Same value of every field of `expected`, whatever the key order in the file. */
function sameFields(actual: unknown, expected: object): boolean {
  if (!isRecord(actual)) return false;
  return Object.entries(expected).every(([key, value]) => JSON.stringify(actual[key]) === JSON.stringify(value));
}
