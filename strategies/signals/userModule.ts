import { stat } from "node:fs/promises";
import { extname, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { importAtRunTime } from "../../data/runtimeImport.js";
import { StrategyError, type BarSeries, type SignalColumns, type SignalSet } from "../../engine/index.js";
import { createBarCursor, timeIso, type BarView } from "./barView.js";
import { CALLED_ON_BAR, SITE_BAR, SITE_FUNCTION, SITE_SYMBOL, callSite, callSiteTime } from "./callSite.js";
import { copyOf, createModuleContext, type ModuleContext } from "./moduleContext.js";
import { emptySignalColumns } from "./signalColumns.js";
import { columnsFromSignalList, columnsFromUserColumns, writeSignalLike, type SignalLike, type SignalProblem } from "./userSignals.js";

export type { BarField, BarView } from "./barView.js";
export type { SignalLike } from "./userSignals.js";
export type { AlignedBars, ModuleContext } from "./moduleContext.js";

export type SignalParams = Readonly<Record<string, unknown>>;

export type ComputedSignals = SignalColumns | readonly (SignalLike | null | undefined)[];

/**
 * The interface a user strategy module implements (SPEC §3), as named exports or as
 * properties of the default export. When both functions exist, `computeSignals` is used.
 */
export interface SignalModule {
  /**
   * Called once per symbol with the whole series (a private copy); must compute causally —
   * the signal at bar i may use bars 0..i only (check with `checkLookahead`). Returns
   * columns (`action` required, other columns optional) or one `SignalLike | null` per bar.
   * The fast path.
   */
  computeSignals?(series: BarSeries, params: SignalParams, context: ModuleContext): ComputedSignals | Promise<ComputedSignals>;
  /**
   * Run once per symbol before the replay, awaited (load a model, call a server in batches):
   * the same whole series and context as `computeSignals`; what it keeps in `context.state`
   * is `view.state` for `onBar`. It must compute causally too (`exitlab lookahead` re-runs it).
   */
  prepare?(series: BarSeries, params: SignalParams, context: ModuleContext): unknown;
  /**
   * Called at every bar close, oldest first, with a view that ends at that bar: look-ahead
   * is impossible by construction. Returns the bar's signal, or null for none.
   */
  onBar?(view: BarView, params: SignalParams): SignalLike | null | undefined;
  /** Defaults for `params`; the params of the run override them key by key. */
  readonly defaultParams?: SignalParams;
}

/** `orders`: a version-2 module (`export const strategyVersion = 2`) whose `onBar(view, ctx)` places orders. */
export type SignalModuleKind = "computeSignals" | "onBar" | "orders";

export interface LoadedSignalModule {
  /** Absolute path of the module file. */
  readonly file: string;
  readonly kind: SignalModuleKind;
  readonly module: SignalModule;
  readonly defaultParams: SignalParams;
}

const JAVASCRIPT_EXTENSIONS = [".js", ".mjs", ".cjs"];
const TYPESCRIPT_EXTENSIONS = [".ts", ".mts", ".cts"];

/**
 * Imports a strategy module (`.js`/`.mjs`/`.cjs`; `.ts`/`.mts`/`.cts` through
 * `importTypeScriptModule`) and checks that it exports `computeSignals` or `onBar`.
 * Every failure is a StrategyError whose `where` is the file and whose hint is the fix.
 */
export async function loadUserSignalModule(path: string, baseDir = "."): Promise<LoadedSignalModule> {
  const file = resolve(baseDir, path);
  const extension = extname(file).toLowerCase();
  const isTypeScript = TYPESCRIPT_EXTENSIONS.includes(extension);
  if (!isTypeScript && !JAVASCRIPT_EXTENSIONS.includes(extension)) {
    throw new StrategyError(
      `a strategy module must be a .js, .mjs, .cjs or .ts file, got "${extension || "no extension"}"`, file,
      "point signals.module at the JavaScript or TypeScript file that exports computeSignals or onBar",
    );
  }
  const info = await stat(file).catch(() => null);
  if (info === null || !info.isFile()) {
    throw new StrategyError(
      info === null ? "strategy module not found" : "strategy module is not a file", file,
      `check the path (relative paths resolve from ${resolve(baseDir)})`,
    );
  }
  let namespace: Record<string, unknown>;
  try {
    namespace = isTypeScript ? await importTypeScriptModule(file) : await importAtRunTime<Record<string, unknown>>(pathToFileURL(file).href);
  } catch (error) {
    if (error instanceof StrategyError) throw error;
    throw withCause(new StrategyError(
      `could not import the strategy module: ${messageOf(error)}`, file, `run \`node ${file}\` to see the error with its stack`,
    ), error);
  }
  return signalModuleOf(namespace, file);
}

/**
 * The one place that loads TypeScript. Node 20 cannot import `.ts` itself; `tsx`'s
 * `tsImport` can, when the package is installed. The specifier is a variable so the
 * project compiles whether or not tsx is present.
 */
export async function importTypeScriptModule(file: string): Promise<Record<string, unknown>> {
  const tsxApi = "tsx/esm/api";
  let tsImport: (specifier: string, parentUrl: string) => Promise<Record<string, unknown>>;
  try {
    ({ tsImport } = await importAtRunTime<{ tsImport: typeof tsImport }>(tsxApi));
  } catch {
    throw new StrategyError(
      "loading a TypeScript strategy module needs the tsx package, which is not installed", file,
      "compile the module to .js or .mjs (e.g. `npx tsc`) and point signals.module at that file",
    );
  }
  return tsImport(pathToFileURL(file).href, import.meta.url);
}

/** Finds the interface on the named exports, else on the default export. */
function signalModuleOf(namespace: Record<string, unknown>, file: string): LoadedSignalModule {
  const fallback = namespace.default;
  const candidates = [namespace, ...(typeof fallback === "object" && fallback !== null ? [fallback as Record<string, unknown>] : [])];
  // A .ts module outside a `"type": "module"` package is compiled to CommonJS, so its
  // `export default { onBar }` arrives one level down, as `default.default`.
  const nested = (fallback as Record<string, unknown> | undefined)?.default;
  if (typeof nested === "object" && nested !== null) candidates.push(nested as Record<string, unknown>);
  for (const candidate of candidates) {
    if (candidate.computeSignals === undefined && candidate.onBar === undefined) continue;
    for (const name of ["computeSignals", "onBar", "prepare"] as const) {
      if (candidate[name] !== undefined && typeof candidate[name] !== "function") {
        throw new StrategyError(`the strategy module exports ${name}, but it is not a function`, file, `export function ${name}(…) { … }`);
      }
    }
    const version = candidate.strategyVersion;
    if (version !== undefined && version !== 1 && version !== 2) {
      throw new StrategyError(`strategyVersion must be 1 or 2, got ${JSON.stringify(version)}`, file, "export const strategyVersion = 2 for onBar(view, ctx) with orders");
    }
    if (version === 2 && typeof candidate.onBar !== "function") {
      throw new StrategyError("a version-2 strategy module must export onBar(view, ctx)", file, "export function onBar(view, ctx) { … }");
    }
    const defaults = candidate.defaultParams ?? {};
    if (typeof defaults !== "object" || defaults === null || Array.isArray(defaults)) {
      throw new StrategyError("the strategy module's defaultParams must be a plain object", file, "export const defaultParams = { lookback: 20 }");
    }
    return {
      file,
      kind: version === 2 ? "orders" : candidate.computeSignals !== undefined ? "computeSignals" : "onBar",
      module: candidate as SignalModule,
      defaultParams: Object.freeze({ ...(defaults as SignalParams) }),
    };
  }
  const exported = Object.keys(namespace).filter((key) => key !== "default").sort();
  throw new StrategyError(
    `the strategy module exports neither computeSignals nor onBar (found: ${exported.length > 0 ? exported.join(", ") : "no named exports"})`, file,
    "export function onBar(view, params) { … } or export function computeSignals(series, params) { … }, named or on the default export",
  );
}

/**
 * Runs a loaded module over one symbol's bars. An exception from user code, an invalid
 * return value or a look-ahead read becomes a StrategyError naming the file (`where`), the
 * symbol, and — for `onBar` and invalid values — the bar index and its time. Nothing is
 * swallowed or replaced by a default (STYLE §7).
 */
export function runUserModule(
  loaded: LoadedSignalModule, series: BarSeries, params: SignalParams = {}, market: readonly BarSeries[] = [series],
): SignalColumns {
  // A version-2 module places orders during the replay (orderStrategy.ts): it emits no signals.
  if (loaded.kind === "orders") return emptySignalColumns(series.length);
  if (loaded.module.prepare !== undefined) {
    throw new StrategyError("the strategy module exports prepare, which is awaited: run it with userModuleSignalSetAsync (every exitlab command does)", loaded.file);
  }
  const merged = Object.freeze({ ...loaded.defaultParams, ...params });
  if (loaded.kind === "onBar") return runOnBar(loaded, series, merged, market, {});
  const compute = loaded.module.computeSignals as NonNullable<SignalModule["computeSignals"]>;
  let result: unknown;
  try {
    result = compute.call(loaded.module, copyOf(series), merged, createModuleContext(series, market, {}));
  } catch (error) {
    throw userCodeFailed(loaded, `computeSignals threw for ${series.symbol} (${series.length} bars): ${messageOf(error)}`, error);
  }
  readReturnedValue(loaded, `computeSignals returned for ${series.symbol}`, () => rejectPromise(loaded, "computeSignals", result, series.symbol));
  return checkComputed(loaded, series, result);
}

/** Runs a loaded module over every symbol of a data set, before the replay (each symbol sees the others causally). */
export function userModuleSignalSet(loaded: LoadedSignalModule, bars: readonly BarSeries[], params: SignalParams = {}): SignalSet {
  return { bySymbol: new Map(bars.map((series) => [series.symbol, runUserModule(loaded, series, params, bars)])), stats: {} };
}

/** What `computeSignals` returned (awaited, when it was a Promise), checked: one value per bar in every column. */
export function checkComputed(loaded: LoadedSignalModule, series: BarSeries, result: unknown): SignalColumns {
  const checked = readReturnedValue(loaded, `computeSignals returned for ${series.symbol}`, (): SignalColumns | SignalProblem => {
    if (Array.isArray(result)) return columnsFromSignalList(result, series.length);
    if (typeof result === "object" && result !== null && "action" in result) return columnsFromUserColumns(result as Record<string, unknown>, series.length);
    return { index: -1, problem: "expected signal columns ({ action, confidence?, score?, sizeMultiplier? }) or an array with one signal per bar" };
  });
  if ("problem" in checked) throw invalidReturn(loaded, "computeSignals", series, checked);
  return checked;
}

/**
 * Runs `read` over a value user code returned. Looking at it runs user code too (a `then` or
 * `action` getter, a Proxy trap), so anything but an exitlab error becomes a StrategyError.
 */
function readReturnedValue<T>(loaded: LoadedSignalModule, what: string, read: () => T): T {
  try {
    return read();
  } catch (error) {
    if (error instanceof StrategyError) throw error;
    throw userCodeFailed(loaded, `reading the value ${what} threw: ${messageOf(error)}`, error);
  }
}

/** Calls a version-1 `onBar` at every bar close; `state` becomes `view.state` (prepare may have filled it). */
export function runOnBar(
  loaded: LoadedSignalModule, series: BarSeries, params: SignalParams, market: readonly BarSeries[], state: Record<string, unknown>,
): SignalColumns {
  const onBar = loaded.module.onBar as NonNullable<SignalModule["onBar"]>;
  const cursor = createBarCursor(series, { market, state });
  const columns = emptySignalColumns(series.length);
  const site = callSite();
  const siteTime = callSiteTime();
  site[SITE_SYMBOL] = Math.max(0, market.indexOf(series));
  for (let i = 0; i < series.length; i++) {
    cursor.moveTo(i);
    let result: unknown;
    site[SITE_BAR] = i;
    siteTime[0] = series.time[i];
    site[SITE_FUNCTION] = CALLED_ON_BAR;
    try {
      result = onBar.call(loaded.module, cursor.view, params);
      site[SITE_FUNCTION] = 0;
    } catch (error) {
      site[SITE_FUNCTION] = 0;
      throw userCodeFailed(loaded, `onBar threw at ${barName(series, i)}: ${messageOf(error)}`, error);
    }
    const lookAhead = cursor.takeLookAhead();
    if (lookAhead !== null) throw userCodeFailed(loaded, `onBar at ${barName(series, i)} caught its own look-ahead error: ${lookAhead.message}`, lookAhead);
    const problem = readReturnedValue(loaded, `onBar returned at ${barName(series, i)}`, () => {
      rejectPromise(loaded, "onBar", result, series.symbol);
      return writeSignalLike(columns, i, result);
    });
    if (problem !== null) throw invalidReturn(loaded, "onBar", series, { index: i, problem });
  }
  return columns;
}

export function rejectPromise(loaded: LoadedSignalModule, name: SignalModuleKind, result: unknown, symbol: string): void {
  if (typeof (result as { then?: unknown } | null)?.then === "function") {
    const hint = name === "computeSignals"
      ? "an async computeSignals is awaited by userModuleSignalSetAsync (every exitlab command uses it)"
      : `${name} must be synchronous: remove async, and load models or call servers in an async prepare()`;
    throw new StrategyError(`${name} returned a Promise for ${symbol}`, loaded.file, hint);
  }
}

function invalidReturn(loaded: LoadedSignalModule, name: SignalModuleKind, series: BarSeries, checked: SignalProblem): StrategyError {
  const place = checked.index < 0 ? series.symbol : barName(series, checked.index);
  return new StrategyError(
    `${name} returned an invalid signal for ${place}: ${checked.problem}`, loaded.file,
    'a signal is { action: "BUY" | "SELL" | "HOLD", confidence?: 0..1, score?: -1..1, sizeMultiplier?: 0..10 } or null',
  );
}

export function userCodeFailed(loaded: LoadedSignalModule, message: string, cause: unknown): StrategyError {
  return withCause(new StrategyError(message, loaded.file, "fix the strategy module; the original error and its stack are in the error's cause"), cause);
}

export function barName(series: BarSeries, index: number): string {
  return `${series.symbol} bar ${index} (${timeIso(series.time[index])})`;
}

export function withCause(error: StrategyError, cause: unknown): StrategyError {
  error.cause = cause;
  return error;
}

/** The message of anything user code throws — even an object without a prototype or toString. */
export function messageOf(error: unknown): string {
  try {
    if (error instanceof Error) return error.message;
    return String(error);
  } catch {
    return Object.prototype.toString.call(error);
  }
}
