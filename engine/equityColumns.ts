import type { EquityCurve } from "./types.js";

/**
 * A curve of `length` rows whose every column is `column` of the curve's: the one place that
 * lists the seven columns for code that cuts, picks or copies rows (walk-forward segments,
 * equity.csv's rows, a curve posted to another thread), so a column added to EquityCurve
 * cannot be forgotten by one of them.
 */
export function mapEquityColumns(curve: EquityCurve, length: number, column: (values: Float64Array) => Float64Array): EquityCurve {
  return {
    length, time: column(curve.time), equity: column(curve.equity), balance: column(curve.balance), unrealizedPnl: column(curve.unrealizedPnl),
    marginUsed: column(curve.marginUsed), exposure: column(curve.exposure), drawdown: column(curve.drawdown),
  };
}

/** The seven columns of a curve, in EquityCurve's order. */
export function equityColumnsOf(curve: EquityCurve): Float64Array[] {
  return [curve.time, curve.equity, curve.balance, curve.unrealizedPnl, curve.marginUsed, curve.exposure, curve.drawdown];
}
