/** The engine's public surface: what data/, strategies/, reports/ and cli/ may import. */
export * from "./types.js";
export * from "./errors.js";
export { runBacktest, type DecisionContext, type RunInput, type SizingDecision } from "./replay.js";
export type { GateSettings } from "./gates.js";
export { GATE_NAMES } from "./gates.js";
export { floorToStep, roundToTick } from "./rounding.js";
export { closestName, type SuggestionOptions } from "./suggestions.js";
export { reasonName, type FillLedger, type TradeLedger } from "./ledgers.js";
export type {
  BarCloseStrategy, ExitSpec, LevelSpec, OrderRequest, OrderSide, OrderSize, OrderType, PendingOrderState, PositionState,
  StrategyContext, TakeProfitSpec, TimeInForce, TrailingSpec,
} from "./orderTypes.js";
export type { OrderCounters } from "./broker.js";
export { asSparseSignals, sparsifySignals } from "./sparseSignals.js";
export {
  bracketForNotional, bracketLiquidationPrice, cappedLeverageForBrackets, maintenanceMargin, maxLeverageForNotional,
  type BracketTable, type LeverageBracket,
} from "./brackets.js";
export { ReplayBuffers, withReplayBuffers } from "./replayBuffers.js";
export { freshArray, provideTouchedMemory, touchedMemoryUsed, type TypedArrayClass } from "./freshMemory.js";
export { equityColumnsOf, mapEquityColumns } from "./equityColumns.js";
export { LevelTrace, LEVEL_KIND_NAMES, type LevelKindName, type TradeLevels } from "./levelTrace.js";
export { OtherPathTrace, type OtherPathBar } from "./otherPath.js";
