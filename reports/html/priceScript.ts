/**
 * The report page's "Price and trades" script, as a string: per symbol a candlestick chart
 * (TradingView lightweight-charts, inlined before it as the global `LightweightCharts`) with
 * the fills as markers coloured by exit reason and the equity curve in a second pane on the
 * same time axis; and the trade drill-down a click on a trade row opens — the trade's bars,
 * its stop, take-profit, breakeven and trailing levels as step lines, its fills, MAE/MFE,
 * bars to each hit, path dependence and what the other intrabar path would have done
 * (reports/html/otherPathScript.ts, spliced in by the one interpolation below), and every bar
 * whose close crossed the trail without a trail fill. Every text goes through `textContent`.
 *
 * Written with `String.raw`: keep backticks and dollar-brace out of it (but for that splice and
 * the two characters below). Its text is ASCII but for `TIMES` and `DASH`, spliced in: esbuild
 * cannot escape a raw template's characters, and one non-ASCII character anywhere in the
 * worker bundle makes V8 hold all 1.7 MB of its source as two-byte text (decoding it took 14–21
 * ms instead of 6–8 in a cold run; tests/cli/workerBundle.test.ts keeps the bundles ASCII).
 */
import { OTHER_PATH_SCRIPT } from "./otherPathScript.js";

const TIMES = "\u00d7";
const DASH = "\u2014";

export const PRICE_SCRIPT = String.raw`
"use strict";
(function () {
  const data = window.exitlabReportData || JSON.parse(document.getElementById("exitlab-data").textContent);
  const price = data.price;
  if (!price) return;
  /**
   * Candles as the charts take them (see reports/html/priceData.ts): the prices from ohlc (4n
   * little-endian float64 values, base64: the opens, highs, lows, closes) and the open times,
   * stored as start + i ${TIMES} step when evenly spaced. Decoded once, in place.
   */
  function expand(c) {
    if (c.ohlc !== undefined) {
      const text = atob(c.ohlc), view = new DataView(new ArrayBuffer(text.length)), n = text.length / 32;
      for (let i = 0; i < text.length; i++) view.setUint8(i, text.charCodeAt(i));
      const column = (j) => { const out = []; for (let i = 0; i < n; i++) out.push(view.getFloat64((j * n + i) * 8, true)); return out; };
      c.open = column(0); c.high = column(1); c.low = column(2); c.close = column(3);
      delete c.ohlc;
    }
    if (!c.time) { c.time = []; for (let i = 0; i < c.open.length; i++) c.time.push(c.start + i * c.step); }
    return c;
  }
  for (const s of price.symbols) expand(s.candles);
  const LC = window.LightweightCharts;
  const REASON_COLORS = { ENTRY: "#2563eb", SL: "#dc2626", BREAKEVEN: "#9333ea", TRAIL: "#ea580c", LIQUIDATION: "#7f1d1d", TIME: "#64748b", SIGNAL: "#0891b2", END: "#475569", CLOSE: "#0d9488" };
  const LEVEL_COLORS = { stop: "#dc2626", takeProfit: "#16a34a", breakeven: "#9333ea", trail: "#ea580c" };
  const LEVEL_LABELS = { stop: "Stop loss", takeProfit: "Take profit", breakeven: "Breakeven stop", trail: "Trailing stop" };
  const colorOf = (reason) => REASON_COLORS[reason] || (reason.startsWith("TP") ? "#16a34a" : "#334155");
  const sec = (ms) => Math.floor(ms / 1000);
  const iso = (ms) => new Date(ms).toISOString().slice(0, 16).replace("T", " ");
  const pct = (x) => (x * 100).toFixed(2) + " %";
  const num = (x) => (x === null || x === undefined ? "\u2014" : String(Number(x.toPrecision(8))));
  function el(parent, tag, attrs, text) {
    const node = document.createElement(tag);
    for (const key of Object.keys(attrs || {})) node.setAttribute(key, attrs[key]);
    if (text !== undefined) node.textContent = text;
    parent.appendChild(node);
    return node;
  }
  function candleData(c) {
    const out = [];
    for (let i = 0; i < c.time.length; i++) out.push({ time: sec(c.time[i]), open: c.open[i], high: c.high[i], low: c.low[i], close: c.close[i] });
    return out;
  }
  /** The candle a time falls in (last candle opening at or before it). */
  function candleAt(c, ms) {
    let lo = 0, hi = c.time.length - 1, found = 0;
    while (lo <= hi) { const mid = (lo + hi) >> 1; if (c.time[mid] <= ms) { found = mid; lo = mid + 1; } else hi = mid - 1; }
    return found;
  }
  function newChart(container, height) {
    return LC.createChart(container, {
      height: height, autoSize: false, width: container.clientWidth || 960,
      layout: { background: { color: "#ffffff" }, textColor: "#334155", attributionLogo: false },
      timeScale: { timeVisible: true, secondsVisible: false }, rightPriceScale: { borderVisible: false },
      grid: { vertLines: { color: "#f1f5f9" }, horzLines: { color: "#f1f5f9" } },
    });
  }
  function markersFor(c, fills) {
    return fills.map((f) => {
      const exit = f.reason !== "ENTRY";
      return { time: sec(c.time[candleAt(c, f.time)]), position: exit ? "aboveBar" : "belowBar", color: colorOf(f.reason), shape: exit ? "arrowDown" : "arrowUp", text: f.reason };
    }).sort((a, b) => a.time - b.time);
  }

  // Per symbol: candles with the trades' fills, and the equity curve on the same time axis.
  const host = document.getElementById("price-charts");
  const eq = data.series[0].equity;
  for (const sym of price.symbols) {
    const box = el(host, "figure", { class: "price-chart", "data-price-chart": sym.symbol });
    const target = el(box, "div", { class: "lw" });
    const chart = newChart(target, 460);
    const candles = chart.addSeries(LC.CandlestickSeries, { upColor: "#16a34a", downColor: "#dc2626", borderVisible: false, wickUpColor: "#16a34a", wickDownColor: "#dc2626" });
    candles.setData(candleData(sym.candles));
    const fills = [];
    for (const t of price.trades) if (t.symbol === sym.symbol) for (const f of t.fills) fills.push(f);
    LC.createSeriesMarkers(candles, markersFor(sym.candles, fills));
    const equity = chart.addSeries(LC.LineSeries, { color: "#2563eb", lineWidth: 1, priceLineVisible: false, title: "equity" }, 1);
    const points = [];
    for (let i = 0; i < eq.time.length; i++) if (points.length === 0 || sec(eq.time[i]) > points[points.length - 1].time) points.push({ time: sec(eq.time[i]), value: eq.value[i] });
    equity.setData(points);
    const panes = chart.panes();
    if (panes.length > 1) panes[1].setHeight(120);
    chart.timeScale().fitContent();
    el(box, "figcaption", {}, sym.symbol + ": " + sym.bars + " bars" + (sym.candles.barsPerCandle > 1 ? ", drawn as candles of " + sym.candles.barsPerCandle + " bars (open a trade for its bars in full detail)" : ", every bar") + "; markers: fills, coloured by reason; lower pane: equity (USDT). Drag to pan, wheel to zoom.");
    box.setAttribute("data-rendered", "true");
  }

  // The drill-down.
  const drill = document.getElementById("trade-drill");
${OTHER_PATH_SCRIPT}
  let drillChart = null;
  /** Level of one kind in force at time ms (last row of that kind at or before it); NaN when none. */
  function levelAt(levels, kind, ms) {
    let value = NaN;
    for (let i = 0; i < levels.time.length; i++) {
      if (levels.kind[i] !== kind) continue;
      if (levels.time[i] <= ms) value = levels.price[i] === null ? NaN : levels.price[i]; else break;
    }
    return value;
  }
  /** Bars whose close crossed a trail level set before the bar ended, with no trail fill in that bar. */
  function trailMisses(t) {
    const out = [];
    if (!t.levels) return out;
    const c = t.candles, step = c.time.length > 1 ? c.time[1] - c.time[0] : 0;
    const trailFills = new Set(t.fills.filter((f) => f.reason === "TRAIL").map((f) => c.time[candleAt(c, f.time)]));
    for (let i = 0; i < c.time.length; i++) {
      if (c.time[i] < t.entryTime || c.time[i] > t.exitTime || trailFills.has(c.time[i])) continue;
      const atOpen = levelAt(t.levels, "trail", c.time[i]);
      const byClose = levelAt(t.levels, "trail", c.time[i] + step - 1);
      const level = byClose === byClose ? byClose : atOpen;
      if (level === level && t.side * c.close[i] < t.side * level) {
        out.push({ time: c.time[i], close: c.close[i], level: level, inForce: atOpen === atOpen && t.side * c.close[i] < t.side * atOpen });
      }
    }
    return out;
  }
  /** A trade's candles: its own, or a slice of its symbol's full-detail candles. */
  function candlesOf(t) {
    if (t.candles.ohlc !== undefined || t.candles.open) return expand(t.candles);
    const c = price.symbols.find((s) => s.symbol === t.symbol).candles, a = t.candles.from, b = t.candles.to;
    return { time: c.time.slice(a, b), open: c.open.slice(a, b), high: c.high.slice(a, b), low: c.low.slice(a, b), close: c.close.slice(a, b), barsPerCandle: 1 };
  }
  function openDrill(id) {
    const found = price.trades.find((trade) => trade.id === id);
    if (!found) return;
    const t = Object.assign({}, found, { candles: candlesOf(found) });
    drill.textContent = "";
    drill.hidden = false;
    drill.setAttribute("data-trade-id", String(id));
    const head = el(drill, "div", { class: "drill-head" });
    el(head, "h3", {}, "Trade #" + t.id + " \u00b7 " + t.symbol + " \u00b7 " + (t.side === 1 ? "long" : "short") + " \u00b7 exit " + t.exitReason);
    const close = el(head, "button", { type: "button", "data-action": "close-drill" }, "Close");
    close.addEventListener("click", () => { drill.hidden = true; });
    const facts = el(drill, "dl", { class: "facts" });
    const fact = (k, v, key) => { el(facts, "dt", {}, k); el(facts, "dd", key ? { "data-fact": key } : {}, v); };
    fact("Entry", iso(t.entryTime) + " @ " + num(t.entryPrice));
    fact("Exit", iso(t.exitTime) + " @ " + num(t.exitPrice));
    fact("MAE / MFE", pct(t.maePct) + " / " + pct(t.mfePct), "excursion");
    fact("Bars held", String(t.barsHeld));
    fact("Bars to each fill", t.fills.filter((f) => f.reason !== "ENTRY").map((f) => f.reason + " after " + f.barsHeld).join(", ") || "\u2014", "bars-to-hit");
    fact("Path-dependent", t.pathDependent
      ? "yes: replaying an exit bar low-first and high-first gives different fills; the intrabar mode chose the fills below (marked \u26a0)"
      : ((t.levels && t.levels.otherPath) || []).length > 0
        ? "no: each exit bar gives the same fills in either order ${DASH} but in a bar where the run filled nothing the other order would have exited (below)"
        : "no: either order of the bar's high and low gives the same fills", "path-dependent");
    const misses = trailMisses(t);
    if (misses.length > 0) {
      const warn = el(drill, "p", { class: "trail-miss", "data-trail-miss": String(misses.length) });
      warn.textContent = "\u26a0 The close crossed the trailing stop without a trail fill in " + misses.length + " bar(s): " + misses.slice(0, 5).map((m) =>
        iso(m.time) + " close " + num(m.close) + " vs trail " + num(m.level) + (m.inForce ? " (in force at the open: the bar's path reached the close without touching it first \u2014 check the path order)" : " (the level was set during or at the end of this bar; it is in force only after)")).join("; ");
    }
    const otherBars = otherPathBox(drill, t);
    const target = el(drill, "div", { class: "lw" });
    drillChart = drillChart && drillChart.remove() && null;
    const chart = newChart(target, 380);
    drillChart = chart;
    const candles = chart.addSeries(LC.CandlestickSeries, { upColor: "#16a34a", downColor: "#dc2626", borderVisible: false, wickUpColor: "#16a34a", wickDownColor: "#dc2626" });
    const c = t.candles;
    candles.setData(candleData(c));
    const markers = markersFor(c, t.fills);
    for (const m of misses) markers.push({ time: sec(c.time[candleAt(c, m.time)]), position: "inBar", color: "#ea580c", shape: "circle", text: "trail crossed, no hit" });
    for (const m of otherPathMarkers(c, otherBars)) markers.push(m);
    markers.sort((a, b) => a.time - b.time);
    LC.createSeriesMarkers(candles, markers);
    if (t.levels) {
      for (const kind of ["stop", "takeProfit", "breakeven", "trail"]) {
        if (t.levels.kind.indexOf(kind) < 0) continue;
        const line = chart.addSeries(LC.LineSeries, { color: LEVEL_COLORS[kind], lineWidth: 2, lineType: LC.LineType.WithSteps, priceLineVisible: false, lastValueVisible: false, title: LEVEL_LABELS[kind] });
        const points = [];
        for (let i = 0; i < c.time.length; i++) {
          const v = c.time[i] >= t.entryTime && c.time[i] <= t.exitTime ? levelAt(t.levels, kind, c.time[i]) : NaN;
          points.push(v === v ? { time: sec(c.time[i]), value: v } : { time: sec(c.time[i]) });
        }
        line.setData(points);
      }
    }
    chart.timeScale().fitContent();
    el(drill, "p", { class: "subtitle" }, (t.candles.barsPerCandle > 1 ? "Drawn as candles of " + t.candles.barsPerCandle + " bars." : "Every bar it was held, with " + "5 bars either side.")
      + (otherBars.length > 0 ? " Fuchsia squares: where the other intrabar path would have filled." : ""));
    const levels = el(el(drill, "table", { class: "levels", "data-table": "levels" }), "tbody");
    const lh = el(levels, "tr"); for (const h of ["From (UTC)", "Level", "Stage", "Price"]) el(lh, "th", {}, h);
    if (t.levels) for (let i = 0; i < t.levels.time.length; i++) {
      const row = el(levels, "tr", { "data-level": t.levels.kind[i] });
      el(row, "td", {}, iso(t.levels.time[i])); el(row, "td", {}, LEVEL_LABELS[t.levels.kind[i]]);
      el(row, "td", {}, t.levels.stage[i] > 0 ? "TP" + t.levels.stage[i] : ""); el(row, "td", {}, t.levels.price[i] === null ? (t.levels.kind[i] === "takeProfit" ? "filled: no stage left" : "removed") : num(t.levels.price[i]));
    }
    const fills = el(el(drill, "table", { class: "fills", "data-table": "fills" }), "tbody");
    const fh = el(fills, "tr"); for (const h of ["Time (UTC)", "Reason / stage", "Price", "Quantity", "Bars held", "Path-dependent", "Gap"]) el(fh, "th", {}, h);
    for (const f of t.fills) {
      const row = el(fills, "tr", { "data-fill": f.reason });
      el(row, "td", {}, iso(f.time)); el(row, "td", {}, f.reason); el(row, "td", {}, num(f.price)); el(row, "td", {}, num(f.quantity));
      el(row, "td", {}, String(f.barsHeld)); el(row, "td", {}, f.pathDependent ? "\u26a0 yes" : "no"); el(row, "td", {}, f.gap ? "yes" : "no");
    }
    drill.setAttribute("data-rendered", "true");
    drill.scrollIntoView({ block: "start" });
  }
  const body = document.querySelector('table[data-table="trades"] tbody');
  body.addEventListener("click", (event) => {
    const row = event.target.closest("tr");
    if (!row) return;
    const id = Number(row.firstElementChild.textContent.replace(/\D/g, ""));
    openDrill(id);
  });
})();
`;
