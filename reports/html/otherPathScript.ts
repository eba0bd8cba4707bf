/**
 * The trade drill-down's "other intrabar path" part, as script text spliced into the price
 * script's scope (reports/html/priceScript.ts: it uses that scope's `el`, `iso`, `num`, `sec`
 * and `candleAt`). For each bar the engine kept (engine/otherPath.ts) — a path-dependent exit
 * bar, or a bar the taken path filled nothing in that the other path would have exited in — a
 * line saying which path the run took and what it filled, which level(s) the other path would
 * have hit first at what price, and the gross PnL of the bar's fills either way; and on the
 * chart a fuchsia square at each of those prices. A bar where the other path would have hit
 * the trailing stop and the taken one did not (the seed's "should have triggered") leads with
 * a warning. Every text goes through `textContent`.
 *
 * Written with `String.raw`: keep backticks and dollar-brace out of it.
 */
export const OTHER_PATH_SCRIPT = String.raw`
  const PATH_NAMES = { "low-first": "open \u2192 low \u2192 high \u2192 close", "high-first": "open \u2192 high \u2192 low \u2192 close" };
  const OTHER_PATH_COLOR = "#c026d3";
  const signed = (x) => (x >= 0 ? "+" : "\u2212") + num(Math.abs(x));
  /** The other path hit the trailing stop where the taken one did not. */
  const trailWouldHit = (b) => b.reason.indexOf("TRAIL") >= 0 && b.taken.indexOf("TRAIL") < 0;
  function otherPathText(b) {
    const takenOrder = b.order === "low-first" ? "high-first" : "low-first";
    const took = b.taken.length === 0 ? "filled nothing (the trade ran on)" : "took " + b.taken.join(" + ");
    const would = b.reason.length === 0 ? "would have filled nothing (the position would have stayed open)"
      : "would have hit " + b.reason.map((r, k) => r + " at " + num(b.price[k])).join(", then ") + " first" + (b.openAfter > 0 ? ", leaving " + num(b.openAfter) + " open" : "");
    return (trailWouldHit(b) ? "\u26a0 The trailing stop would have triggered on the other path \u2014 " : "") + iso(b.time) + ": the run went " + PATH_NAMES[takenOrder] + " and " + took
      + "; the other path (" + PATH_NAMES[b.order] + ") " + would + ". Gross PnL of this bar's fills " + signed(b.pnl) + " instead of " + signed(b.takenPnl) + " (\u0394 " + signed(b.pnl - b.takenPnl) + ", before fees).";
  }
  /** The box listing the trade's other-path bars (none: nothing drawn); returns the bars. */
  function otherPathBox(parent, t) {
    const bars = (t.levels && t.levels.otherPath) || [];
    if (bars.length === 0) return bars;
    const box = el(parent, "div", { class: "other-path", "data-other-path": String(bars.length) });
    el(box, "strong", {}, "\u21c4 What the other intrabar path would have done (fuchsia squares on the chart)");
    const list = el(box, "ul");
    for (const b of bars) {
      const attrs = { "data-other-bar": String(b.time), "data-other-reason": b.reason.join(" ") };
      if (trailWouldHit(b)) attrs["data-other-trail"] = "true";
      el(list, "li", attrs, otherPathText(b));
    }
    return bars;
  }
  /** A fuchsia square at each price the other path would have filled at. */
  function otherPathMarkers(c, bars) {
    const out = [];
    for (const b of bars) for (let k = 0; k < b.reason.length; k++) {
      out.push({ time: sec(c.time[candleAt(c, b.time)]), position: "atPriceMiddle", price: b.price[k], color: OTHER_PATH_COLOR, shape: "square", text: "other path: " + b.reason[k] });
    }
    return out;
  }
`;
