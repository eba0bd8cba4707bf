import type { BarCloseStrategy, BarSeries, StrategyContext } from "../../engine/index.js";
import { StrategyError } from "../../engine/index.js";
import { createBarCursor, type BarView } from "./barView.js";
import { CALLED_ON_BAR, SITE_BAR, SITE_FUNCTION, SITE_SYMBOL, callSite, callSiteSymbols, callSiteTime } from "./callSite.js";
import { barName, messageOf, userCodeFailed, type LoadedSignalModule } from "./userModule.js";

/**
 * A version-2 strategy module (README "Strategy interface, version 2"):
 *
 *   export const strategyVersion = 2;
 *   export function onBar(view, ctx) { if (!ctx.position) ctx.submit({ side: "buy", size: { kind: "all-in" } }); }
 *
 * `view` is the same look-ahead-proof bar view as version 1; `ctx` shows the position and
 * pending orders and takes orders (`StrategyContext`). `onBar` returns nothing.
 */
export interface OrderStrategyModule {
  readonly strategyVersion: 2;
  onBar(view: BarView, ctx: StrategyContext): void;
  readonly defaultParams?: Readonly<Record<string, unknown>>;
}

/**
 * The replay's handle on a loaded version-2 module: one bar view per symbol, moved to the bar
 * being decided before each call. An exception, a Promise, a non-undefined return or a caught
 * look-ahead read stops the run with a StrategyError naming the module, symbol, bar and time.
 */
export function createOrderStrategy(
  loaded: LoadedSignalModule, bars: readonly BarSeries[], states?: ReadonlyMap<string, Record<string, unknown>>, market: readonly BarSeries[] = bars,
): BarCloseStrategy {
  if (loaded.kind !== "orders") throw new Error("createOrderStrategy: not a version-2 module");
  const onBar = (loaded.module as unknown as OrderStrategyModule).onBar;
  // Every view reaches the run's other symbols causally; `state` is what the module's prepare left.
  const cursors = bars.map((series) => createBarCursor(series, { market, state: states?.get(series.symbol) }));
  // Where onBar runs, for the message when a signal stops a strategy stuck in it (callSite.ts).
  const site = callSite();
  const siteTime = callSiteTime();
  callSiteSymbols(bars.map((series) => series.symbol));
  return {
    onBarClose(s: number, i: number, ctx: StrategyContext): void {
      const cursor = cursors[s];
      cursor.moveTo(i);
      let result: unknown;
      site[SITE_SYMBOL] = s;
      site[SITE_BAR] = i;
      siteTime[0] = bars[s].time[i];
      site[SITE_FUNCTION] = CALLED_ON_BAR;
      try {
        result = onBar.call(loaded.module, cursor.view, ctx);
        site[SITE_FUNCTION] = 0;
      } catch (error) {
        site[SITE_FUNCTION] = 0;
        throw userCodeFailed(loaded, `onBar threw at ${barName(bars[s], i)}: ${messageOf(error)}`, error);
      }
      const lookAhead = cursor.takeLookAhead();
      if (lookAhead !== null) throw userCodeFailed(loaded, `onBar at ${barName(bars[s], i)} caught its own look-ahead error: ${lookAhead.message}`, lookAhead);
      if (result !== undefined) {
        const promise = typeof (result as { then?: unknown } | null)?.then === "function";
        throw new StrategyError(
          promise ? `onBar returned a Promise at ${barName(bars[s], i)}` : `a version-2 onBar returned a value at ${barName(bars[s], i)}; it places orders through ctx instead`,
          loaded.file, promise ? "onBar must be synchronous: remove async" : "return nothing; call ctx.submit / ctx.close / ctx.setStopLoss",
        );
      }
    },
  };
}
