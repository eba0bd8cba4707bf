/**
 * positions.json (SPEC §5, §7): the positions still open after the last bar, as they stood
 * before their END close, in the shape of the seed bot's `trade_state.json` — its
 * `ai_tp_pct, ai_sl_pct, ai_trail_pct, ai_partial_tp` fields and a source tag — plus the
 * full plan and the position's live state.
 */
import type { OpenPositionState } from "../engine/types.js";
import { formatIsoTime } from "./csv.js";

export function positionsDocument(positions: readonly OpenPositionState[]): object[] {
  return positions.map((position) => {
    const plan = position.plan;
    const firstStage = plan.stages.length > 0 ? plan.stages[0] : null;
    return {
      trade_id: position.tradeId,
      symbol: position.symbol,
      side: position.side === 1 ? "long" : "short",
      entry_time: position.entryTimeMs,
      entry_time_iso: formatIsoTime(position.entryTimeMs),
      entry_price: position.entryPrice,
      quantity: position.quantity,
      original_quantity: position.originalQuantity,
      leverage: position.leverage,
      margin_usd: position.marginUsd,
      liquidation_price: position.liquidationPrice,
      stop_price: position.stopPrice,
      trailing_active: position.trailingActive,
      trail_price: position.trailPrice,
      peak_price: position.peakPrice,
      stages_filled: position.stagesFilled,
      source: plan.source,
      fallback: plan.fallback,
      ai_tp_pct: firstStage === null ? null : firstStage.movePct,
      ai_sl_pct: plan.stopLossPct,
      ai_trail_pct: plan.trailing === null ? null : plan.trailing.distancePct,
      ai_partial_tp: firstStage === null ? null : firstStage.fraction,
      plan: {
        stop_loss_pct: plan.stopLossPct,
        stages: plan.stages.map((stage) => ({ move_pct: stage.movePct, fraction: stage.fraction })),
        trailing: plan.trailing === null ? null : {
          distance_pct: plan.trailing.distancePct, activation_pct: plan.trailing.activationPct, after_stage: plan.trailing.afterStage,
        },
        breakeven_offset_pct: plan.breakevenOffsetPct,
        max_holding_bars: plan.maxHoldingBars,
      },
    };
  });
}
