/**
 * The columnar ledgers (engine/ledgers.ts) against the objects made from them: statistics
 * and the trade fingerprint read straight from the ledgers must equal, bit for bit, what
 * the trade and fill objects give — on real runs of the shipped samples, for the exit
 * policies that produce every kind of leg (staged TP, trailing, breakeven, SL, liquidation).
 */
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { loadMarketData } from "../../data/index.js";
import { FillLedger, REASON_ENTRY, REASON_SL, REASON_TP, TradeLedger, reasonName } from "../../engine/ledgers.js";
import { computeStats } from "../../reports/stats.js";
import { ledgerTradeFingerprint, tradeFingerprint } from "../../reports/workflows/tradeFingerprint.js";
import { runConfiguredBacktest } from "../../strategies/buildRun.js";
import { configSchema } from "../../strategies/config.js";
import type { ExitPlan } from "../../engine/types.js";

const PERP = fileURLToPath(new URL("../../data/samples/binance-perp-1h", import.meta.url));

const CASES: Record<string, unknown>[] = [
  { exits: { kind: "static" } },
  { exits: { kind: "ai" }, sizing: { kind: "math" } },
  { exits: { kind: "harvest", breakevenOffsetPct: 0.001 }, sizing: { kind: "fixed-fraction", fraction: 0.5, leverage: 20 } },
  { exits: { kind: "lsf" }, intrabar: "pessimistic" },
];

describe("columnar ledgers", () => {
  for (const overrides of CASES) {
    it(`statistics and fingerprint from the ledgers equal those from objects (${JSON.stringify(overrides)})`, async () => {
      const config = configSchema.parse({ data: { paths: [PERP] }, ...overrides });
      const data = await loadMarketData({ paths: config.data.paths });
      const { result } = runConfiguredBacktest(config, data);
      const ledgers = result.ledgers;
      if (ledgers === undefined) throw new Error("a run carries its ledgers");
      expect(ledgers.trades.length).toBeGreaterThan(10);
      const common = {
        equity: result.equity, timeframeMs: result.timeframeMs, initialBalance: config.initialBalance,
        account: result.account, counters: result.counters,
      };
      const fromLedgers = computeStats({ ...common, ledgers });
      const fromObjects = computeStats({ ...common, trades: result.trades, fills: result.fills });
      expect(fromLedgers).toStrictEqual(fromObjects);
      expect(ledgerTradeFingerprint(ledgers.trades)).toBe(tradeFingerprint(result.trades));
    });
  }

  for (const reserved of [null, 300, 10]) {
    it(`grows past its initial capacity and makes each object once (${reserved === null ? "nothing reserved" : `room for ${reserved} reserved`})`, () => {
      const plan: ExitPlan = {
        source: "static", stopLossPct: 0.02, stages: [], trailing: null, breakevenOffsetPct: null, maxHoldingBars: null,
      } as unknown as ExitPlan;
      const trades = new TradeLedger(["AUSDT", "BUSDT"], 0.01);
      const fills = new FillLedger(["AUSDT", "BUSDT"]);
      if (reserved !== null) {
        trades.reserve(reserved);
        fills.reserve(2 * reserved);
      }
      for (let i = 0; i < 1000; i++) {
        const row = trades.add(plan);
        trades.tradeId[row] = i + 1;
        trades.slot[row] = i % 2;
        trades.side[row] = i % 3 === 0 ? -1 : 1;
        trades.entryPrice[row] = 100 + i;
        trades.exitPrice[row] = 101 + i;
        trades.quantity[row] = 1;
        trades.margin[row] = 10;
        trades.realizedPnl[row] = i;
        trades.reason[row] = i % 2 === 0 ? REASON_SL : REASON_TP + 2;
        const f = fills.add(i + 1, i % 2, i % 2 === 0 ? REASON_ENTRY : REASON_SL, 1, 0, false, 1);
        fills.price[f] = 100 + i;
      }
      expect(trades.length).toBe(1000);
      const first = trades.all();
      expect(first).toHaveLength(1000);
      expect(trades.all()).toBe(first);
      expect(first[999]).toMatchObject({ id: 1000, symbol: "BUSDT", entryPrice: 1099, exitReason: "TP2", netPnlUsd: 999 });
      expect(first[3]).toMatchObject({ side: -1, symbol: "BUSDT", exitReason: "TP2" });
      expect(fills.all()[1]).toMatchObject({ seq: 2, reason: "SL", price: 101, symbol: "BUSDT" });
      // A flag set after the objects were made reaches the object too.
      trades.markPathDependent(5);
      fills.markPathDependent(7);
      expect(first[5].pathDependent).toBe(true);
      expect(fills.all()[7].pathDependent).toBe(true);
      expect(trades.countPathDependent()).toBe(1);
    });
  }

  it("names reasons as the reports expect", () => {
    expect([0, 1, 2, 3, 4, 5, 6, 7].map(reasonName)).toEqual(["ENTRY", "SL", "BREAKEVEN", "TRAIL", "LIQUIDATION", "TIME", "SIGNAL", "END"]);
    expect(reasonName(REASON_TP + 1)).toBe("TP1");
    expect(reasonName(REASON_TP + 12)).toBe("TP12");
  });
});
