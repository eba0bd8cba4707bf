import { DECISION_CLOSE, DECISION_DROP, DECISION_REVERSE, GATE_SIZING, evaluateGates } from "./gates.js";
import { cappedLeverageForStop } from "./liquidation.js";
import { REASON_SIGNAL } from "./ledgers.js";
import { Decision } from "./decision.js";
import type { SizingDecision } from "./decisionTypes.js";
import type { ReplayState } from "./replayState.js";
import type { ExitPlan } from "./types.js";

/**
 * Steps 6–10 of SPEC §1 for a signal-driven replay — a signal at a close through the gates,
 * sizing and exit plan into the queued entry — and that entry's fill (step 1 at the next open,
 * or at the same close with `fillTiming: signal-close`). Run once per signal, outside the row
 * loops: the only place the replay creates objects for a signal.
 */

/** `fillTiming: signal-close`: the exit and entry just decided fill at this bar's close (trade on close). */
export function fillAtClose(replay: ReplayState, s: number, i: number, row: number): void {
  const t = replay.timeline[row];
  if (replay.pendingExit[s] === 1) {
    replay.pendingExit[s] = 0;
    if (replay.book.side[s] !== 0) {
      replay.ex.closeAtMarket(s, REASON_SIGNAL, replay.close[s][i], t);
      replay.gates.lastEntryOrExitTime[s] = t;
    }
  }
  if (replay.pendingSide[s] !== 0) fillEntryAt(replay, s, row, replay.close[s][i]);
}

/** Step 1 for an entry queued at the previous close: it fills at this bar's open. */
export function fillEntry(replay: ReplayState, s: number, row: number): void {
  fillEntryAt(replay, s, row, replay.open[s][replay.cursor[s]]);
}

export function fillEntryAt(replay: ReplayState, s: number, row: number, price: number): void {
  const t = replay.timeline[row];
  const side = replay.pendingSide[s] as 1 | -1;
  replay.pendingSide[s] = 0;
  replay.pendingEntries--;
  const plan = replay.pendingPlan[s] as ExitPlan;
  replay.pendingPlan[s] = null;
  if (replay.book.side[s] !== 0) return;
  if (replay.ex.openPosition(s, side, price, t, replay.pendingMargin[s], replay.pendingQuantity[s],
    replay.pendingLeverage[s], replay.pendingConfidence[s], replay.pendingScore[s], plan, replay.pendingDecisionId[s])) {
    replay.gates.lastEntryOrExitTime[s] = t;
  }
}

/** Steps 6–10 for signal `k` of symbol `s` at the close of bar `i` (row `row`). */
export function decide(replay: ReplayState, s: number, i: number, k: number, row: number): void {
  const t = replay.timeline[row];
  const input = replay.input;
  const ex = replay.ex;
  const side = replay.signalAction[s][k] as 1 | -1;
  replay.signalsSeen++;
  const decisionTime = t + replay.timeframe[s];
  const confidence = replay.signalConfidence[s][k];
  const score = replay.signalScore[s][k];
  const decision = evaluateGates(replay.gates, input.gates, s, side, confidence, decisionTime, replay.book.side[s],
    ex.account.openPositions + replay.pendingEntries, replay.spot);
  if (decision === DECISION_DROP) return;
  replay.intents++;
  if (decision === DECISION_CLOSE || decision === DECISION_REVERSE) replay.pendingExit[s] = 1;
  if (decision === DECISION_CLOSE) return;
  const context = new Decision(
    replay.symbols[s], s, replay.bars[s], i, decisionTime, side, confidence, score, replay.signalSize[s][k],
    replay.equity.lastEquity(), ex, input.gates.maxOpenPositions,
  );
  const sizing = input.sizeEntry(context);
  const quantity = sizing?.quantity ?? 0;
  if (sizing === null || !(sizing.marginUsd > 0 || quantity > 0)) {
    replay.gates.drop(GATE_SIZING);
    return;
  }
  // Spot trades without leverage (SPEC §6.1); perps are capped by RM_MAX_LEVERAGE.
  const leverage = replay.spot ? 1 : Math.max(1, Math.min(sizing.leverage, input.maxLeverage));
  // Object.assign, not a spread: the same own properties in the same order, but V8 ran
  // `{ ...sizing, leverage, quantity }` through its slow path on every decision (most of
  // decide's time in the bench's ai scenario).
  let sized: SizingDecision = Object.assign({}, sizing, { leverage, quantity });
  let plan = input.planExit(context, sized);
  if (replay.capToStop && plan.stopLossPct !== null) {
    // Liquidation sits 1/L − mmr from the entry; the stop must be nearer: L < 1/(sl + mmr).
    const capped = cappedLeverageForStop(leverage, plan.stopLossPct, input.exchange.maintenanceMarginRate);
    if (capped !== null) {
      sized = { ...sized, leverage: capped };
      plan = input.planExit(context, sized);
      replay.leverageCapped++;
    }
  }
  replay.pendingSide[s] = side;
  replay.pendingMargin[s] = sized.marginUsd;
  replay.pendingLeverage[s] = sized.leverage;
  replay.pendingQuantity[s] = quantity;
  replay.pendingDecisionId[s] = sizing.decisionId ?? NaN;
  replay.pendingConfidence[s] = confidence;
  replay.pendingScore[s] = score;
  replay.pendingPlan[s] = plan;
  replay.pendingEntries++;
}
