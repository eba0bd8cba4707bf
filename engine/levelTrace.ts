/**
 * The exit levels each position had over time (the report's trade drill-down): one row per
 * CHANGE of a level — stop loss, next take-profit stage, breakeven stop, trailing stop —
 * whoever moved it (the exit plan along the bar path, or a version-2 strategy through
 * `ctx.setStopLoss` / `setTakeProfit` / `setTrailing`). Columnar typed arrays that grow by
 * doubling; nothing is allocated per row. Only a run that writes a report enables it: when
 * disabled the exchange's `trace` is null and each change site pays one null check. It also
 * carries what the other intrabar path would have done on each path-dependent exit bar
 * (engine/otherPath.ts).
 */
import { type OtherPathBar, OtherPathTrace } from "./otherPath.js";

/** What a row's price is: the level in force from `timeMs` (NaN: the level was removed). */
export const LEVEL_STOP = 0;
export const LEVEL_TAKE_PROFIT = 1;
export const LEVEL_BREAKEVEN = 2;
export const LEVEL_TRAIL = 3;
export const LEVEL_KIND_NAMES = ["stop", "takeProfit", "breakeven", "trail"] as const;
export type LevelKindName = (typeof LEVEL_KIND_NAMES)[number];

/** One trade's levels, as plain arrays (time ascending, in recording order). */
export interface TradeLevels {
  readonly time: number[];
  readonly kind: LevelKindName[];
  /** TP stage (1-based) for take-profit rows, else 0. */
  readonly stage: number[];
  readonly price: number[];
  /** The other path of each of its path-dependent exit bars (absent when it had none). */
  readonly otherPath?: OtherPathBar[];
}

export class LevelTrace {
  length = 0;
  tradeId = new Int32Array(256);
  timeMs = new Float64Array(256);
  kind = new Uint8Array(256);
  stage = new Uint8Array(256);
  price = new Float64Array(256);
  readonly otherPath = new OtherPathTrace();

  record(tradeId: number, timeMs: number, kind: number, stage: number, price: number): void {
    if (this.length === this.tradeId.length) this.grow();
    const i = this.length++;
    this.tradeId[i] = tradeId;
    this.timeMs[i] = timeMs;
    this.kind[i] = kind;
    this.stage[i] = stage;
    this.price[i] = price;
  }

  private grow(): void {
    const size = this.tradeId.length * 2;
    const widen = <T extends Int32Array | Float64Array | Uint8Array>(old: T, make: (n: number) => T): T => {
      const next = make(size);
      next.set(old);
      return next;
    };
    this.tradeId = widen(this.tradeId, (n) => new Int32Array(n));
    this.timeMs = widen(this.timeMs, (n) => new Float64Array(n));
    this.kind = widen(this.kind, (n) => new Uint8Array(n));
    this.stage = widen(this.stage, (n) => new Uint8Array(n));
    this.price = widen(this.price, (n) => new Float64Array(n));
  }

  /** The rows of each trade, by trade id (one pass). */
  byTrade(): Map<number, TradeLevels> {
    const out = new Map<number, TradeLevels>();
    for (let i = 0; i < this.length; i++) {
      let levels = out.get(this.tradeId[i]);
      if (levels === undefined) {
        levels = { time: [], kind: [], stage: [], price: [] };
        out.set(this.tradeId[i], levels);
      }
      levels.time.push(this.timeMs[i]);
      levels.kind.push(LEVEL_KIND_NAMES[this.kind[i]]);
      levels.stage.push(this.stage[i]);
      levels.price.push(this.price[i]);
    }
    for (const [tradeId, bars] of this.otherPath.byTrade()) {
      const levels = out.get(tradeId) ?? { time: [], kind: [], stage: [], price: [] };
      out.set(tradeId, { ...levels, otherPath: bars });
    }
    return out;
  }
}
