import { describe, expect, it } from "vitest";
import { ConfigError } from "../../../engine/errors.js";
import { NO_PERFORMANCE } from "../../../strategies/sizing/performance.js";
import { DEFAULT_RL_ACTION_SETTINGS } from "../../../strategies/sizing/rlActions.js";
import { DEFAULT_RL_AGENT_SETTINGS as TRAIN, rewardOf, RlSizingAgent, type RlAgentSettings } from "../../../strategies/sizing/rlAgent.js";
import { sizeWithRlAgent } from "../../../strategies/sizing/rlSizing.js";
import { decodeState, STATE_COUNT } from "../../../strategies/sizing/rlState.js";
import { closedTrade } from "./trades.js";

const EVAL: RlAgentSettings = { ...TRAIN, mode: "eval" };
const WITH_LEVERAGE: RlAgentSettings = { ...TRAIN, actions: { ...DEFAULT_RL_ACTION_SETTINGS, leverageSource: "action" } };

/** Trains over states 0..299 in turn; the reward depends on state and action only. */
function train(agent: RlSizingAgent, decisions: number): number[] {
  const actions: number[] = [];
  for (let i = 0; i < decisions; i++) {
    const choice = agent.chooseAction((i * 7) % STATE_COUNT);
    actions.push(choice.actionId);
    agent.recordOutcome(choice.decisionId, Math.sin(choice.stateId + 3 * choice.actionId));
  }
  return actions;
}

describe("RL sizing agent choices", () => {
  it("makes the same decisions from the same seed", () => {
    expect(train(new RlSizingAgent(TRAIN, 42), 3000)).toEqual(train(new RlSizingAgent(TRAIN, 42), 3000));
  });
  it("makes different decisions from a different seed", () => {
    expect(train(new RlSizingAgent(TRAIN, 42), 3000)).not.toEqual(train(new RlSizingAgent(TRAIN, 43), 3000));
  });
  it("explores about 10 % of the time in train mode", () => {
    const agent = new RlSizingAgent(TRAIN, 7);
    let explored = 0;
    for (let i = 0; i < 10_000; i++) if (agent.chooseAction(0).explored) explored++;
    expect(explored / 10_000).toBeGreaterThan(0.09);
    expect(explored / 10_000).toBeLessThan(0.11);
  });
  it("breaks ties by the lowest action index", () => {
    const agent = new RlSizingAgent(EVAL, 1);
    expect(agent.chooseAction(123)).toMatchObject({ actionId: 0, explored: false, qValue: 0 });
  });
  it("updates Q(s,a) ← Q + α (reward − Q) when the outcome arrives", () => {
    const agent = new RlSizingAgent({ ...TRAIN, explorationRate: 0 }, 1);
    const first = agent.chooseAction(5);
    agent.recordOutcome(first.decisionId, 2);
    expect(agent.qValue(5, 0)).toBeCloseTo(0.2, 12);
    const second = agent.chooseAction(5);
    agent.recordOutcome(second.decisionId, 2);
    expect(agent.qValue(5, 0)).toBeCloseTo(0.38, 12);
    expect(agent.updateCount(5, 0)).toBe(2);
  });
  it("learns the paying arm of a bandit: action 2 earns +1, the others −1", () => {
    const agent = new RlSizingAgent(TRAIN, 2024);
    for (let i = 0; i < 2000; i++) {
      const choice = agent.chooseAction(17);
      agent.recordOutcome(choice.decisionId, choice.actionId === 2 ? 1 : -1);
    }
    expect(agent.greedyActionOf(17)).toBe(2);
    expect(agent.qValue(17, 2)).toBeGreaterThan(0.9);
  });
  it("never updates in eval mode and never explores", () => {
    const trained = new RlSizingAgent(TRAIN, 3);
    train(trained, 2000);
    const agent = RlSizingAgent.fromJSON(trained.toJSON(), "q.json", EVAL, 99);
    const before = agent.toJSON();
    for (let i = 0; i < 2000; i++) {
      const choice = agent.chooseAction(i % STATE_COUNT);
      expect(choice.explored).toBe(false);
      expect(choice.actionId).toBe(trained.greedyActionOf(i % STATE_COUNT));
      agent.recordOutcome(choice.decisionId, 100);
    }
    expect(agent.toJSON()).toBe(before);
    expect(agent.pendingDecisions).toBe(0);
  });
  it("refuses an unknown or already recorded decision, and a non-finite reward", () => {
    const agent = new RlSizingAgent(TRAIN, 1);
    const choice = agent.chooseAction(0);
    expect(() => agent.recordOutcome(choice.decisionId, NaN)).toThrow(RangeError);
    agent.recordOutcome(choice.decisionId, 1);
    expect(() => agent.recordOutcome(choice.decisionId, 1)).toThrow(/no pending RL decision/);
    expect(() => agent.recordOutcome(999, 1)).toThrow(RangeError);
    expect(agent.discardDecision(agent.chooseAction(0).decisionId)).toBe(true);
    expect(agent.pendingDecisions).toBe(0);
  });
});

describe("RL rewards", () => {
  it("rewards the return on margin by default, or net PnL over the initial balance", () => {
    const trade = closedTrade(5, { marginUsd: 20 });
    expect(rewardOf(trade, { kind: "return-on-margin" })).toBeCloseTo(0.25, 12);
    expect(rewardOf(trade, { kind: "pnl-over-initial-balance", initialBalanceUsd: 1000 })).toBeCloseTo(0.005, 12);
  });
});

describe("Q-table JSON", () => {
  it("round-trips to identical Q values and decisions", () => {
    const original = new RlSizingAgent(WITH_LEVERAGE, 11);
    train(original, 5000);
    const text = original.toJSON();
    const loaded = RlSizingAgent.fromJSON(text, "q.json", WITH_LEVERAGE, 11);
    for (let state = 0; state < STATE_COUNT; state++) {
      for (let action = 0; action < loaded.layout.count; action++) {
        expect(Object.is(loaded.qValue(state, action), original.qValue(state, action))).toBe(true);
        expect(loaded.updateCount(state, action)).toBe(original.updateCount(state, action));
      }
      expect(loaded.greedyActionOf(state)).toBe(original.greedyActionOf(state));
    }
    expect(loaded.toJSON()).toBe(text);
    const again = RlSizingAgent.fromJSON(text, "q.json", WITH_LEVERAGE, 11);
    expect(train(again, 1000)).toEqual(train(loaded, 1000));
  });
  it("refuses a table trained with other action dimensions, naming the file", () => {
    const text = new RlSizingAgent(WITH_LEVERAGE, 1).toJSON();
    const load = () => RlSizingAgent.fromJSON(text, "runs/q.json", TRAIN, 1);
    expect(load).toThrow(ConfigError);
    expect(load).toThrow(/trained with actions .*leverages \[1,2,3,4,5\].*but this agent has .*leverages off/);
    try {
      load();
    } catch (error) {
      expect((error as ConfigError).where).toBe("runs/q.json");
      expect((error as ConfigError).code).toBe("CONFIG_INVALID");
    }
  });
  it("refuses text that is not JSON, not a Q-table, or of the wrong shape", () => {
    const text = new RlSizingAgent(TRAIN, 1).toJSON();
    const document = JSON.parse(text) as { q: unknown[][]; updates: unknown[][]; format: string };
    const load = (value: string) => () => RlSizingAgent.fromJSON(value, "q.json", TRAIN, 1);
    expect(load("{ nope")).toThrow(/not valid JSON/);
    expect(load(JSON.stringify({ ...document, format: "other" }))).toThrow(/not an RL Q-table/);
    expect(load(JSON.stringify({ ...document, q: document.q.slice(1) }))).toThrow(/"q" must be 300 rows/);
    const shortRow = structuredClone(document);
    shortRow.q[3] = shortRow.q[3].slice(1);
    expect(load(JSON.stringify(shortRow))).toThrow(/"q\[3\]" must hold 5 values/);
    const badCell = structuredClone(document);
    badCell.updates[4][1] = -1;
    expect(load(JSON.stringify(badCell))).toThrow(/"updates\[4\]\[1\]" is invalid/);
    expect(load(text)).not.toThrow();
  });
  it("writes the layout, the state settings and one row per state", () => {
    const document = JSON.parse(new RlSizingAgent(TRAIN, 1).toJSON()) as Record<string, any>;
    expect(Object.keys(document)).toEqual(["format", "version", "layout", "stateSettings", "q", "updates"]);
    expect(document.layout.actions).toEqual({ sizes: ["minimum", 0.1, 0.25, 0.5, 1], leverages: null, styles: null, count: 5 });
    expect(document.layout.states.count).toBe(300);
    expect(document.q).toHaveLength(300);
  });
});

describe("sizing with the RL agent", () => {
  const SECTION_10_INPUT = {
    account: { balanceUsd: 10_000, equityUsd: 10_000, marginUsedUsd: 0, openPositions: 0, maxPositions: 10 },
    market: { atrPct: 0.1, dailyVolatility: 0.06, trendStrength: 0.5, liquidityScore: 1 },
    performance: NO_PERFORMANCE,
    confidence: 0.48,
  };

  it("keeps the mathematician's own sizing for the §10 signal on a fresh agent in eval mode, where the state was never trained", () => {
    const agent = new RlSizingAgent(EVAL, 1);
    const result = sizeWithRlAgent(agent, SECTION_10_INPUT, NaN);
    expect(result.choice.untrained).toBe(true);
    expect(result.decision).toEqual(result.mathematician);
    expect(result.decision).toMatchObject({ marginUsd: 8000, leverage: 10 });
    expect(agent.choiceCounts).toEqual({ choices: 1, untrained: 1 });
    expect(decodeState(result.choice.stateId)).toEqual({ regime: "HIGH_VOL_TRENDING", confidence: "LOW", exposure: "LIGHT", performance: "FLAT" });
  });

  it("sizes the §10 signal at the minimum position once its state was trained and the minimum is greedy, keeping Kelly's 10×", () => {
    const stateId = sizeWithRlAgent(new RlSizingAgent(EVAL, 1), SECTION_10_INPUT, NaN).choice.stateId;
    const document = JSON.parse(new RlSizingAgent(TRAIN, 1).toJSON()) as { updates: number[][] };
    document.updates[stateId][1] = 3;
    const agent = RlSizingAgent.fromJSON(JSON.stringify(document), "table.json", EVAL, 1);
    const result = sizeWithRlAgent(agent, SECTION_10_INPUT, NaN);
    expect(result.choice.untrained).toBe(false);
    expect(result.mathematician.marginUsd).toBe(8000);
    expect(result.decision).toMatchObject({ marginUsd: 10, leverage: 10, notionalUsd: 100 });
    expect(agent.choiceCounts).toEqual({ choices: 1, untrained: 0 });
  });
});
