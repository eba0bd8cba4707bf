import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { writeFileSync } from "node:fs";
import { expectNoOutputFolder, expectOneLineError, makeTempFolder, PROJECT_ROOT, readCsvRows, runExitlab } from "./cliHarness.js";

/**
 * A 10× and a 50× position on the shipped BTCUSDT perp sample, with the shipped leverage
 * brackets: every liquidation fills at the price of Binance's isolated formula, written out
 * here from the bracket file (not through the engine's code), on the first bar that reaches it.
 */
const BRACKETS = join(PROJECT_ROOT, "data/brackets/binance-usdm-2021-03-18.json");
const BARS = join(PROJECT_ROOT, "data/samples/binance-perp-1h/BTCUSDT.csv");
const FUNDING = join(PROJECT_ROOT, "data/samples/binance-perp-1h/funding/BTCUSDT.csv");

interface Tier { initialLeverage: number; notionalFloor: number; notionalCap: number; maintMarginRatio: number; cum: number }
const tiers: Tier[] = JSON.parse(readFileSync(BRACKETS, "utf8")).find((entry: { symbol: string }) => entry.symbol === "BTCUSDT").brackets;
const tierOf = (notional: number): Tier => tiers.find((tier) => notional > tier.notionalFloor && notional <= tier.notionalCap) ?? tiers[0];

/**
 * LP = (WB + cum − side·Q·EP) / (Q·MMR − side·Q), WB = the isolated wallet (margin plus the net funding
 * settled in it); re-tiered at Q·LP as Binance's FAQ says.
 */
function binanceLiquidationPrice(entry: number, side: number, quantity: number, wallet: number): number {
  let tier = tierOf(quantity * entry);
  for (;;) {
    const price = (wallet + tier.cum - side * quantity * entry) / (quantity * tier.maintMarginRatio - side * quantity);
    const atPrice = tierOf(quantity * price);
    if (atPrice === tier) return price;
    tier = atPrice;
  }
}

const bars = readCsvRows(BARS).map((row) => ({ time: Number(row.timestamp), high: Number(row.high), low: Number(row.low) }));

async function runAt(leverage: number, extra: string[] = []) {
  const out = join(makeTempFolder(), "run");
  const run = await runExitlab([
    "backtest", "--data", BARS, "--funding", FUNDING, "--brackets", BRACKETS, "--leverage", String(leverage), "--max-leverage", "50",
    "--initial-balance", "100000", "--signals", "rsi-reversion", "--sl", "off", "--tp", "off", "--max-holding-bars", "48", "--out", out, "--quiet", ...extra,
  ]);
  expect(run.stderr).toBe("");
  expect(run.status).toBe(0);
  return { trades: readCsvRows(join(out, "trades.csv")), summary: JSON.parse(readFileSync(join(out, "summary.json"), "utf8")) };
}

function expectBinanceLiquidations(trades: Record<string, string>[], leverage: number): number {
  const liquidated = trades.filter((trade) => trade.exit_reason === "LIQUIDATION");
  for (const trade of liquidated) {
    const side = trade.side === "long" ? 1 : -1;
    const entry = Number(trade.entry_price);
    const quantity = Number(trade.quantity);
    expect(Number(trade.leverage)).toBe(leverage);
    // The wallet at the liquidation: the margin plus the funding settled in it up to then.
    const expected = binanceLiquidationPrice(entry, side, quantity, Number(trade.margin_usd) + Number(trade.funding_usd));
    expect(Number(trade.exit_price)).toBeCloseTo(expected, 6);
    // The exit bar's adverse extreme reaches that price (funding moved it on the way, so earlier bars are not checked).
    const exitBar = bars.find((bar) => bar.time === Number(trade.exit_time));
    expect(side > 0 ? exitBar!.low <= expected : exitBar!.high >= expected).toBe(true);
    // The constant 0.5 % rate of SPEC §6.3 would have put it elsewhere.
    expect(Math.abs(entry * (1 - side * (1 / leverage - 0.005)) - expected)).toBeGreaterThan(1);
  }
  return liquidated.length;
}

describe("liquidation with Binance's leverage brackets on the shipped sample", () => {
  it("liquidates 10× positions (tier 2, MMR 0.5 %, maintenance amount 50) at the prices Binance's formula gives", async () => {
    const { trades, summary } = await runAt(10);
    expect(tierOf(Number(trades[0].entry_price) * Number(trades[0].quantity)).maintMarginRatio).toBe(0.005);
    expect(expectBinanceLiquidations(trades, 10)).toBe(2);
    expect(summary.counters.liquidation).toEqual({ price: "last", maintenance: "brackets", markBarsUncovered: 0, leverageRefused: 0, leverageCappedToBracket: 0 });
    expect(summary.counters.refusedOrders).toEqual({ INSUFFICIENT_MARGIN: 0, MIN_NOTIONAL: 0, ZERO_QUANTITY: 0, LEVERAGE_ABOVE_BRACKET: 0, NOTIONAL_ABOVE_BRACKETS: 0 });
  });

  it("liquidates 50× positions (tier 3, MMR 1 %, maintenance amount 1,300) at the prices Binance's formula gives", async () => {
    const { trades } = await runAt(50);
    expect(tierOf(Number(trades[0].entry_price) * Number(trades[0].quantity)).maintMarginRatio).toBe(0.01);
    expect(expectBinanceLiquidations(trades, 50)).toBeGreaterThan(20);
  });

  it("checks liquidation on mark-price bars given with --mark-data and says so in the summary", async () => {
    // Mark bars equal to the last-price bars: the same liquidations, now on the mark price.
    const { trades, summary } = await runAt(10, ["--mark-data", `BTCUSDT=${BARS}`]);
    expect(expectBinanceLiquidations(trades, 10)).toBe(2);
    expect(summary.counters.liquidation.price).toBe("mark");
    expect(summary.config.data.mark).toEqual([`BTCUSDT=${BARS}`]);
  });

  it("liquidates 10× and 50× positions where the mark price reaches Binance's price, not the last price", async () => {
    // Mark bars with half the wicks of the last-price bars (a mark price is smoother than trades).
    const folder = makeTempFolder();
    const markBars = readCsvRows(BARS).map((row) => {
      const [open, high, low, close] = [Number(row.open), Number(row.high), Number(row.low), Number(row.close)];
      return { time: Number(row.timestamp), open, close, high: (Math.max(open, close) + high) / 2, low: (Math.min(open, close) + low) / 2 };
    });
    writeFileSync(join(folder, "BTCUSDT.csv"), `timestamp,open,high,low,close\n${markBars.map((bar) => `${bar.time},${bar.open},${bar.high},${bar.low},${bar.close}`).join("\n")}\n`);
    for (const leverage of [10, 50]) {
      const { trades, summary } = await runAt(leverage, ["--mark-data", folder]);
      expect(summary.counters.liquidation.price).toBe("mark");
      const liquidated = trades.filter((trade) => trade.exit_reason === "LIQUIDATION");
      expect(liquidated.length).toBeGreaterThan(0);
      for (const trade of liquidated) {
        const side = trade.side === "long" ? 1 : -1;
        const wallet = Number(trade.margin_usd) + Number(trade.funding_usd);
        const expected = binanceLiquidationPrice(Number(trade.entry_price), side, Number(trade.quantity), wallet);
        expect(Number(trade.exit_price)).toBeCloseTo(expected, 6);
        const exitBar = markBars.find((bar) => bar.time === Number(trade.exit_time));
        expect(side > 0 ? exitBar!.low <= expected : exitBar!.high >= expected).toBe(true);
      }
      // Some position the last price would have liquidated survives on the mark price.
      const onLast = (await runAt(leverage)).trades.filter((trade) => trade.exit_reason === "LIQUIDATION");
      expect(onLast.map((trade) => trade.exit_time)).not.toEqual(liquidated.map((trade) => trade.exit_time));
    }
  });

  it("refuses a 75× entry above its tier's maximum, or caps it to 50× with --cap-leverage-to-bracket", async () => {
    const refused = await runExitlabAt75([]);
    expect(refused.stderr).toMatch(/entries were refused: their leverage was above the maximum of their notional's leverage bracket/);
    const capped = await runExitlabAt75(["--cap-leverage-to-bracket"]);
    expect(capped.stderr).toMatch(/entries had their leverage lowered to the maximum of their notional's leverage bracket/);
  });
});

async function runExitlabAt75(extra: string[]) {
  const out = join(makeTempFolder(), "run");
  const run = await runExitlab([
    "backtest", "--data", BARS, "--funding", FUNDING, "--brackets", BRACKETS, "--leverage", "75", "--max-leverage", "75",
    "--initial-balance", "100000", "--signals", "rsi-reversion", "--sl", "off", "--tp", "off", "--out", out, "--quiet", ...extra,
  ]);
  expect(run.status).toBe(0);
  const summary = JSON.parse(readFileSync(join(out, "summary.json"), "utf8"));
  const trades = readCsvRows(join(out, "trades.csv"));
  if (extra.length === 0) {
    expect(trades).toEqual([]);
    expect(summary.counters.refusedOrders.LEVERAGE_ABOVE_BRACKET).toBeGreaterThan(0);
    expect(summary.warnings).toContainEqual(expect.objectContaining({ code: "leverage-above-bracket" }));
  } else {
    // 75× where the tier of the 75× notional allows it (≤ 250,000 USDT), else the 50× of tier 3. The margin
    // budget B (margin = B / (1 + L × taker fee)) buys a notional of B / (1/L + fee) at leverage L.
    for (const trade of trades) {
      const leverage = Number(trade.leverage);
      const budget = Number(trade.margin_usd) * (1 + leverage * 0.0005);
      const allowedAt75 = tierOf(budget / (1 / 75 + 0.0005)).initialLeverage >= 75;
      expect(leverage).toBe(allowedAt75 ? 75 : 50);
    }
    const cappedCount = trades.filter((trade) => trade.leverage === "50").length;
    expect(cappedCount).toBeGreaterThan(0);
    expect(summary.counters.liquidation.leverageCappedToBracket).toBe(cappedCount);
  }
  return run;
}

describe("leverage-bracket and mark-price mistakes", () => {
  it("names an unreadable bracket file, a symbol without tiers and a cap without brackets in one line, leaving no output", async () => {
    const out = join(makeTempFolder(), "run");
    expectOneLineError(await runExitlab(["backtest", "--brackets", "nope.json", "--out", out]), 2, "exchange.brackets", "cannot read the leverage-bracket file nope.json");
    const onlyBtc = join(makeTempFolder(), "btc.json");
    writeFileSync(onlyBtc, JSON.stringify([{ symbol: "BTCUSDT", brackets: tiers.map((tier, index) => ({ bracket: index + 1, ...tier })) }]));
    expectOneLineError(await runExitlab(["backtest", "--brackets", onlyBtc, "--out", out]), 2, "exchange.brackets: the leverage-bracket file has no tiers for ETHUSDT");
    expectOneLineError(await runExitlab(["backtest", "--cap-leverage-to-bracket", "--out", out]), 2, "risk.capLeverageToBracket", "needs exchange.brackets");
    const broken = join(makeTempFolder(), "broken.json");
    writeFileSync(broken, "[{\"symbol\": \"BTCUSDT\"}]");
    expectOneLineError(await runExitlab(["backtest", "--brackets", broken, "--out", out]), 1, broken, "not a leverage-bracket file at 0.brackets");
    expectOneLineError(await runExitlab(["backtest", "--market", "spot", "--data", "data/samples/binance-spot-1h", "--brackets", BRACKETS, "--out", out]), 2,
      "exchange.brackets", "applies to perpetuals");
    expectOneLineError(await runExitlab(["backtest", "--market", "spot", "--data", "data/samples/binance-spot-1h", "--mark-data", BARS, "--out", out]), 2,
      "data.mark", "applies to perpetuals");
    expectNoOutputFolder(out);
  });

  it("warns, and counts, the bars whose mark-price bars are missing", async () => {
    const folder = makeTempFolder();
    writeFileSync(join(folder, "BTCUSDT.csv"), readFileSync(BARS, "utf8").split("\n").slice(0, 101).join("\n") + "\n");
    const out = join(makeTempFolder(), "run");
    const run = await runExitlab(["backtest", "--data", BARS, "--mark-data", folder, "--out", out]);
    expect(run.status).toBe(0);
    expect(run.stderr).toContain("exitlab: warning: 1487 bars have no complete mark-price bars: their liquidation was checked on the last price");
    const summary = JSON.parse(readFileSync(join(out, "summary.json"), "utf8"));
    expect(summary.warnings).toContainEqual(expect.objectContaining({ code: "mark-prices-partial", count: 1487 }));
    expect(summary.counters.liquidation.markBarsUncovered).toBe(1487);
  });
});
