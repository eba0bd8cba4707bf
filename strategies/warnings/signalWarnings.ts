import { ConfigError, DataError, closestName, type BarSeries, type SignalSet } from "../../engine/index.js";
import type { PredictionMatchStats } from "../signals/predictions.js";
import { listNames, warningIf, type RunWarning } from "./runWarning.js";

/** A signal set with the warnings found while building it (they travel with precomputed signals). */
export interface WarnedSignalSet extends SignalSet {
  readonly warnings?: readonly RunWarning[];
}

const MAP_HINT = "map the file's names to the data's with --symbol-map file=DATA,… (signals.symbolMap)";

/**
 * What mapping predictions to bars ignored: an error when no row matches a bar (the run
 * would trade nothing the file says), else a warning per kind of unmatched row.
 */
export function predictionWarnings(stats: PredictionMatchStats, bars: readonly BarSeries[], file: string): RunWarning[] {
  const dataSymbols = bars.map((series) => series.symbol);
  const suggestion = suggestMap(stats.unknownSymbols, dataSymbols);
  if (stats.matched === 0) {
    if (stats.unknownSymbolRows === stats.predictions) {
      throw new DataError(
        `no prediction names a symbol of the data (file: ${listNames(stats.unknownSymbols)}; data: ${listNames(dataSymbols)})`, file,
        suggestion === null ? MAP_HINT : `${MAP_HINT}, e.g. --symbol-map ${suggestion}`,
      );
    }
    throw new DataError(
      `none of the ${stats.predictions} predictions falls within a bar of its symbol (outside the data's time span or in gaps)`, file,
      "check the timestamps' time zone and unit, and that the data covers the predictions' period",
    );
  }
  const outside = stats.unmatched - stats.unknownSymbolRows;
  return [
    ...warningIf("predictions-unknown-symbol", stats.unknownSymbolRows, () =>
      `${stats.unknownSymbolRows} of ${stats.predictions} predictions name a symbol the data does not have (${listNames(stats.unknownSymbols)}) and were ignored` +
      (suggestion === null ? "" : `; --symbol-map ${suggestion} would use them`)),
    ...warningIf("predictions-outside-bars", outside, () =>
      `${outside} of ${stats.predictions} predictions fall outside every bar of their symbol (before, after or in a gap of the data) and were ignored`),
  ];
}

/** `a=A,b=B` for unknown names that equal a data symbol but for case, or null. */
function suggestMap(unknown: readonly string[], dataSymbols: readonly string[]): string | null {
  const pairs: string[] = [];
  for (const name of unknown) {
    const match = dataSymbols.find((symbol) => symbol.toUpperCase() === name.toUpperCase());
    if (match !== undefined) pairs.push(`${name}=${match}`);
  }
  return pairs.length === 0 ? null : pairs.join(",");
}

/** BUY/SELL signals whose size multiplier is 0: valid, but they open no position. */
export function zeroMultiplierWarnings(signals: SignalSet): RunWarning[] {
  let count = 0;
  for (const columns of signals.bySymbol.values()) {
    const sparse = "sparse" in columns;
    for (let k = 0; k < columns.action.length; k++) {
      if ((sparse || columns.action[k] !== 0) && columns.sizeMultiplier[k] === 0) count++;
    }
  }
  return warningIf("signals-zero-size", count, () => `${count} BUY/SELL signals carry size multiplier 0 and open no position`);
}

/**
 * `signals.params` against the module's `defaultParams`: when the module declares defaults,
 * a parameter it does not declare is an error (a misspelling the module would never read);
 * when it declares none, the names cannot be checked and that is a warning.
 */
export function checkModuleParams(
  defaults: Readonly<Record<string, unknown>>, params: Readonly<Record<string, unknown>>, file: string,
): RunWarning[] {
  const declared = Object.keys(defaults);
  const given = Object.keys(params);
  if (declared.length === 0) {
    return warningIf("module-params-unchecked", given.length, () =>
      `the strategy module declares no defaultParams, so the names of signals.params (${listNames(given)}) cannot be checked`);
  }
  for (const name of given) {
    if (declared.includes(name)) continue;
    const guess = closestName(name, declared, { allowPrefix: true });
    throw new ConfigError(
      `"${name}" is not a parameter of the strategy module${guess === null ? "" : ` (did you mean "${guess}"?)`}`, `signals.params.${name}`,
      `the module's defaultParams declare: ${listNames(declared, 20)} (${file})`,
    );
  }
  return [];
}
