import { unsafeUniformIntDistribution, xoroshiro128plus, type RandomGenerator } from "pure-rand";
import type { Trade } from "../../engine/types.js";
import {
  actionLayoutOf, decodeAction, DEFAULT_RL_ACTION_SETTINGS, type ActionLayout, type RlAction, type RlActionSettings,
} from "./rlActions.js";
import { parseQTable, serializeQTable, type QTableData } from "./rlQTable.js";
import { DEFAULT_RL_STATE_SETTINGS, STATE_COUNT, type RlStateSettings } from "./rlState.js";

/**
 * The RL position-sizing agent (SPEC §4.2): a tabular Q-learner over 300 states and the
 * enabled action dimensions, wrapped around the Trading Mathematician.
 *
 * - Choice: ε-greedy. In "train" mode, with probability ε (0.10) an action drawn uniformly
 *   from all actions (the greedy one included), else the greedy one; in "eval" mode always
 *   greedy and the generator is never drawn from. Greedy ties go to the lowest action index.
 * - Update: when the trade of a decision closes, `Q(s,a) ← Q(s,a) + α (reward − Q(s,a))`.
 *   This is the bandit form of Q-learning (discount 0): the next signal's state follows from
 *   other symbols and the passage of time, not from this action, so bootstrapping on it
 *   would add noise, not credit. Eval mode never updates.
 * - Randomness: the agent owns a pure-rand `xoroshiro128plus(seed)`; the same seed, table and
 *   sequence of calls give the same decisions (STYLE §9). The generator's position is not
 *   saved with the table: a loaded agent starts from its own seed.
 *
 * The agent is a class because learning is state; the maths around it (state, actions,
 * mathematician) are free functions.
 */

/** What a closed trade earns the agent. */
export type RlReward =
  /** Net PnL / initial margin (the trade's `returnOnMargin`), the spec's default. */
  | { readonly kind: "return-on-margin" }
  /** Net PnL / the run's initial balance, so a bigger position counts for more. */
  | { readonly kind: "pnl-over-initial-balance"; readonly initialBalanceUsd: number };

export type RlAgentMode = "train" | "eval";

export interface RlAgentSettings {
  readonly mode: RlAgentMode;
  /** ε of ε-greedy, 0..1. */
  readonly explorationRate: number;
  /** α of the update, 0..1. */
  readonly learningRate: number;
  /** Q value of a state-action never updated. */
  readonly initialQ: number;
  readonly reward: RlReward;
  readonly state: RlStateSettings;
  readonly actions: RlActionSettings;
}

export const DEFAULT_RL_AGENT_SETTINGS: RlAgentSettings = Object.freeze({
  mode: "train",
  explorationRate: 0.1,
  learningRate: 0.1,
  initialQ: 0,
  reward: Object.freeze({ kind: "return-on-margin" }),
  state: DEFAULT_RL_STATE_SETTINGS,
  actions: DEFAULT_RL_ACTION_SETTINGS,
});

export function rewardOf(trade: Trade, reward: RlReward): number {
  switch (reward.kind) {
    case "return-on-margin":
      return trade.returnOnMargin;
    case "pnl-over-initial-balance":
      return trade.netPnlUsd / reward.initialBalanceUsd;
  }
}

/** One choice, to be answered later by `recordOutcome(decisionId, reward)`. */
export interface RlChoice {
  /** 1, 2, 3, … in the order of the choices. */
  readonly decisionId: number;
  readonly stateId: number;
  readonly actionId: number;
  readonly action: RlAction;
  /** True when ε chose a random action. */
  readonly explored: boolean;
  /**
   * Eval mode only: the state was never trained (no action of it ever updated), so the
   * greedy action means nothing; the sizing then keeps the mathematician's own decision.
   */
  readonly untrained: boolean;
  /** Q(s, a) at the time of the choice. */
  readonly qValue: number;
}

export class RlSizingAgent {
  readonly layout: ActionLayout;
  private readonly q: Float64Array;
  private readonly updates: Float64Array;
  private readonly random: RandomGenerator;
  private nextDecisionId = 1;
  /** decisionId → state-action cell, until its outcome is recorded or discarded. */
  private readonly pending = new Map<number, number>();
  /** Choices made, and those of them in eval mode in a state never trained. */
  private choices = 0;
  private untrainedChoices = 0;

  constructor(readonly settings: RlAgentSettings, seed: number, table?: QTableData) {
    this.layout = actionLayoutOf(settings.actions);
    const cells = STATE_COUNT * this.layout.count;
    if (table !== undefined && (table.q.length !== cells || table.updates.length !== cells)) {
      throw new RangeError(`Q-table has ${table.q.length} cells; this agent's layout needs ${cells}`);
    }
    this.q = table === undefined ? new Float64Array(cells).fill(settings.initialQ) : Float64Array.from(table.q);
    this.updates = table === undefined ? new Float64Array(cells) : Float64Array.from(table.updates);
    this.random = xoroshiro128plus(seed);
  }

  /** An agent with a table saved by `toJSON()`; `fileName` names the source in errors (ConfigError). */
  static fromJSON(text: string, fileName: string, settings: RlAgentSettings, seed: number): RlSizingAgent {
    return new RlSizingAgent(settings, seed, parseQTable(text, fileName, actionLayoutOf(settings.actions)));
  }

  get mode(): RlAgentMode {
    return this.settings.mode;
  }

  /** Decisions chosen whose outcome has not been recorded or discarded. */
  get pendingDecisions(): number {
    return this.pending.size;
  }

  chooseAction(stateId: number): RlChoice {
    checkState(stateId);
    let actionId = this.greedyActionOf(stateId);
    let explored = false;
    if (this.settings.mode === "train" && this.uniform() < this.settings.explorationRate) {
      actionId = unsafeUniformIntDistribution(0, this.layout.count - 1, this.random);
      explored = true;
    }
    const decisionId = this.nextDecisionId++;
    const cell = stateId * this.layout.count + actionId;
    this.pending.set(decisionId, cell);
    const untrained = this.settings.mode === "eval" && !this.isTrained(stateId);
    this.choices++;
    if (untrained) this.untrainedChoices++;
    return { decisionId, stateId, actionId, action: decodeAction(this.layout, actionId), explored, untrained, qValue: this.q[cell] };
  }

  /** True when some action of the state has been updated at least once. */
  isTrained(stateId: number): boolean {
    checkState(stateId);
    const start = stateId * this.layout.count;
    for (let action = 0; action < this.layout.count; action++) if (this.updates[start + action] > 0) return true;
    return false;
  }

  /** Choices so far, and how many of them fell (eval mode) in an untrained state. */
  get choiceCounts(): { readonly choices: number; readonly untrained: number } {
    return { choices: this.choices, untrained: this.untrainedChoices };
  }

  /** The trade of `decisionId` closed with `reward`: update Q in train mode, forget the decision in both. */
  recordOutcome(decisionId: number, reward: number): void {
    const cell = this.pending.get(decisionId);
    if (cell === undefined) throw new RangeError(`no pending RL decision ${decisionId} (unknown, or its outcome was already recorded)`);
    if (!Number.isFinite(reward)) throw new RangeError(`reward of RL decision ${decisionId} must be finite, got ${reward}`);
    this.pending.delete(decisionId);
    if (this.settings.mode !== "train") return;
    this.q[cell] += this.settings.learningRate * (reward - this.q[cell]);
    this.updates[cell]++;
  }

  /** Forgets a decision that never became a trade (dropped or refused order); true if it was pending. */
  discardDecision(decisionId: number): boolean {
    return this.pending.delete(decisionId);
  }

  qValue(stateId: number, actionId: number): number {
    checkState(stateId);
    return this.q[stateId * this.layout.count + checkAction(actionId, this.layout)];
  }

  /** How many outcomes have updated Q(s, a). */
  updateCount(stateId: number, actionId: number): number {
    checkState(stateId);
    return this.updates[stateId * this.layout.count + checkAction(actionId, this.layout)];
  }

  /** Highest Q in the state; ties go to the lowest action index. */
  greedyActionOf(stateId: number): number {
    checkState(stateId);
    const start = stateId * this.layout.count;
    let best = 0;
    for (let action = 1; action < this.layout.count; action++) if (this.q[start + action] > this.q[start + best]) best = action;
    return best;
  }

  /** The Q-table with its layout, as JSON text for a file. */
  toJSON(): string {
    return serializeQTable({ q: this.q, updates: this.updates }, this.layout, this.settings.state);
  }

  /** Uniform in [0, 1) from 53 random bits. */
  private uniform(): number {
    const high = this.random.unsafeNext() >>> 5;
    const low = this.random.unsafeNext() >>> 6;
    return (high * 67_108_864 + low) / 9_007_199_254_740_992;
  }
}

function checkState(stateId: number): void {
  if (!Number.isInteger(stateId) || stateId < 0 || stateId >= STATE_COUNT) {
    throw new RangeError(`state id must be an integer in 0..${STATE_COUNT - 1}, got ${stateId}`);
  }
}

function checkAction(actionId: number, layout: ActionLayout): number {
  if (!Number.isInteger(actionId) || actionId < 0 || actionId >= layout.count) {
    throw new RangeError(`action id must be an integer in 0..${layout.count - 1}, got ${actionId}`);
  }
  return actionId;
}
