/**
 * The report page's inline script, as a string: it reads the JSON data block, draws the
 * equity, drawdown and exit-reason charts into the page's empty `<svg>` elements, and
 * builds the sortable trade list. Plain browser JavaScript, no library, no network.
 *
 * It creates SVG children with the namespace of the `<svg>` the HTML parser already made,
 * and sets every text through `textContent`, so data never becomes markup. Each chart
 * container gets `data-rendered="true"` once drawn (the browser test waits for it); a
 * chart that throws is marked `"error"` and the error is logged, not swallowed.
 *
 * Written with `String.raw` so regex backslashes survive: keep backticks and dollar-brace
 * out of it.
 */
export const REPORT_SCRIPT = String.raw`
"use strict";
const data = JSON.parse(document.getElementById("exitlab-data").textContent);
// Parsed once: the price script reads it from here (a large run's block is megabytes).
window.exitlabReportData = data;
const COLORS = ["#2563eb", "#d97706", "#059669", "#db2777", "#7c3aed", "#0891b2"];
const W = 960, M = { left: 76, right: 20, top: 16, bottom: 30 };
const MISSING = "\u2014";

function add(parent, name, attributes, text) {
  const node = document.createElementNS(parent.namespaceURI, name);
  for (const key of Object.keys(attributes)) node.setAttribute(key, attributes[key]);
  if (text !== undefined) node.textContent = text;
  parent.appendChild(node);
  return node;
}

function group(text) {
  const parts = text.split(".");
  parts[0] = parts[0].replace(/\B(?=(\d{3})+(?!\d))/g, "\u2009");
  return parts.join(".").replace(/^-(0(\.0+)?)$/, "$1");
}

function plural(count, noun) { return format(count, "int") + " " + noun + (count === 1 ? "" : "s"); }

function isoMinute(ms) { return new Date(ms).toISOString().slice(0, 16).replace("T", " "); }

function format(value, type) {
  if (value === null || value === undefined) return MISSING;
  switch (type) {
    case "int": return group(value.toFixed(0));
    case "usd": return group(value.toFixed(2));
    case "pct": return group((value * 100).toFixed(2)) + " %";
    case "ratio": return group(value.toFixed(2));
    case "price": return Math.abs(value) >= 1000 ? group(value.toFixed(2)) : String(Number(value.toPrecision(6)));
    case "num": return String(Number(value.toPrecision(6)));
    case "time": return isoMinute(value);
    default: return String(value);
  }
}

/** Round tick values: steps of 1, 2 or 5 times a power of ten, about "count" of them. */
function niceTicks(low, high, count) {
  const raw = (high - low) / count;
  const magnitude = Math.pow(10, Math.floor(Math.log10(raw)));
  const step = [1, 2, 5, 10].map((factor) => factor * magnitude).find((size) => size >= raw);
  const ticks = [];
  for (let i = Math.ceil(low / step); i * step <= high + step * 1e-9; i++) ticks.push(Number((i * step).toPrecision(12)));
  return ticks;
}

function scaleOf(domainLow, domainHigh, rangeLow, rangeHigh) {
  const span = domainHigh - domainLow || 1;
  return (value) => rangeLow + ((value - domainLow) / span) * (rangeHigh - rangeLow);
}

/** A line (or, with "area", a filled area down to y = 0) through the curve's points. */
function drawCurve(svg, curve, x, y, color, area) {
  const points = curve.time.map((t, i) => x(t).toFixed(1) + "," + y(curve.value[i]).toFixed(1));
  if (points.length === 0) return;
  const line = "M" + points.join("L");
  if (area) {
    const base = y(0).toFixed(1);
    const d = "M" + x(curve.time[0]).toFixed(1) + "," + base + "L" + points.join("L") + "L" + x(curve.time[curve.time.length - 1]).toFixed(1) + "," + base + "Z";
    add(svg, "path", { d: d, fill: color, "fill-opacity": "0.25", stroke: "none" });
  }
  add(svg, "path", { d: line, fill: "none", stroke: color, "stroke-width": "1.5", "stroke-linejoin": "round" });
}

function drawAxes(svg, height, x, y, xTicks, yTicks, formatY) {
  for (const tick of yTicks) {
    add(svg, "line", { x1: M.left, x2: W - M.right, y1: y(tick), y2: y(tick), class: "grid" });
    add(svg, "text", { x: M.left - 6, y: y(tick) + 4, "text-anchor": "end" }, formatY(tick));
  }
  xTicks.forEach((tick, i) => {
    const anchor = i === 0 ? "start" : i === xTicks.length - 1 ? "end" : "middle";
    add(svg, "text", { x: x(tick.time), y: height - 10, "text-anchor": anchor }, tick.label);
  });
  add(svg, "line", { x1: M.left, x2: W - M.right, y1: height - M.bottom, y2: height - M.bottom, class: "axis" });
}

function timeTicks(low, high) {
  const shortSpan = high - low < 3 * 86400000;
  const ticks = [];
  for (let i = 0; i <= 5; i++) {
    const time = low + ((high - low) * i) / 5;
    ticks.push({ time: time, label: shortSpan ? isoMinute(time).slice(5) : isoMinute(time).slice(0, 10) });
  }
  return ticks;
}

/** Equity or drawdown: every run's curve on one time axis, with a hover read-out of the first run. */
function drawLineChart(container, curves, options) {
  const svg = container.querySelector("svg");
  const height = 300;
  svg.setAttribute("viewBox", "0 0 " + W + " " + height);
  const times = curves.flatMap((curve) => [curve.time[0], curve.time[curve.time.length - 1]]).filter((t) => t !== undefined);
  const values = curves.flatMap((curve) => curve.value);
  if (values.length === 0) {
    add(svg, "text", { x: W / 2, y: height / 2, "text-anchor": "middle" }, "No data");
    return;
  }
  let low = Math.min.apply(null, values), high = Math.max.apply(null, values);
  if (options.includeZero) high = Math.max(high, 0);
  const pad = high > low ? (high - low) * 0.05 : Math.max(Math.abs(high) * 0.01, 0.01);
  low -= pad; if (!options.includeZero || high > 0) high += pad;
  const x = scaleOf(Math.min.apply(null, times), Math.max.apply(null, times), M.left, W - M.right);
  const y = scaleOf(low, high, height - M.bottom, M.top);
  drawAxes(svg, height, x, y, timeTicks(Math.min.apply(null, times), Math.max.apply(null, times)), niceTicks(low, high, 5), options.formatY);
  curves.forEach((curve, i) => drawCurve(svg, curve, x, y, COLORS[i % COLORS.length], options.area && i === 0));
  if (curves.length > 1) {
    curves.forEach((curve, i) => {
      add(svg, "rect", { x: M.left + 10, y: M.top + 4 + i * 16, width: 10, height: 10, fill: COLORS[i % COLORS.length] });
      add(svg, "text", { x: M.left + 26, y: M.top + 13 + i * 16 }, curve.name);
    });
  }
  addReadout(svg, curves[0], x, y, options.formatReadout || options.formatY);
}

function addReadout(svg, curve, x, y, formatValue) {
  const marker = add(svg, "g", { class: "readout", visibility: "hidden" });
  const rule = add(marker, "line", { y1: M.top, y2: 300 - M.bottom });
  const dot = add(marker, "circle", { r: 3.5 });
  const label = add(marker, "text", { y: M.top + 10 });
  svg.addEventListener("mousemove", (event) => {
    const box = svg.getBoundingClientRect();
    const target = ((event.clientX - box.left) / box.width) * W;
    let lowIndex = 0, highIndex = curve.time.length - 1;
    while (highIndex - lowIndex > 1) {
      const middle = (lowIndex + highIndex) >> 1;
      if (x(curve.time[middle]) < target) lowIndex = middle; else highIndex = middle;
    }
    const i = Math.abs(x(curve.time[lowIndex]) - target) <= Math.abs(x(curve.time[highIndex]) - target) ? lowIndex : highIndex;
    const px = x(curve.time[i]);
    rule.setAttribute("x1", px); rule.setAttribute("x2", px);
    dot.setAttribute("cx", px); dot.setAttribute("cy", y(curve.value[i]));
    label.setAttribute("x", px > W / 2 ? px - 6 : px + 6);
    label.setAttribute("text-anchor", px > W / 2 ? "end" : "start");
    label.textContent = isoMinute(curve.time[i]) + "  " + formatValue(curve.value[i]);
    marker.setAttribute("visibility", "visible");
  });
  svg.addEventListener("mouseleave", () => marker.setAttribute("visibility", "hidden"));
}

/** Per exit reason: share of trades and share of quantity as two bars, with the fill count. */
function drawExitReasons(container, reasons) {
  const svg = container.querySelector("svg");
  const rowHeight = 34, top = 36;
  const height = top + Math.max(reasons.length, 1) * rowHeight + 10;
  svg.setAttribute("viewBox", "0 0 " + W + " " + height);
  if (reasons.length === 0) {
    add(svg, "text", { x: W / 2, y: top + 12, "text-anchor": "middle" }, "No exits in this run");
    return;
  }
  const maxShare = Math.max(0.05, Math.max.apply(null, reasons.flatMap((r) => [r.shareOfTrades, r.shareOfQuantity])));
  const x = scaleOf(0, maxShare, M.left, W - M.right - 210);
  [["share of trades", COLORS[0]], ["share of quantity", COLORS[1]]].forEach((entry, i) => {
    add(svg, "rect", { x: M.left + i * 160, y: 8, width: 10, height: 10, fill: entry[1] });
    add(svg, "text", { x: M.left + 16 + i * 160, y: 17 }, entry[0]);
  });
  reasons.forEach((reason, i) => {
    const rowTop = top + i * rowHeight;
    add(svg, "text", { x: M.left - 8, y: rowTop + 17, "text-anchor": "end", class: "reason" }, reason.reason);
    [[reason.shareOfTrades, COLORS[0], plural(reason.trades, "trade") + ", " + plural(reason.fills, "fill")],
     [reason.shareOfQuantity, COLORS[1], format(reason.shareOfQuantity, "pct") + " of quantity"]].forEach((bar, j) => {
      const barTop = rowTop + 2 + j * 14;
      add(svg, "rect", { x: M.left, y: barTop, width: Math.max(1, x(bar[0]) - M.left), height: 12, fill: bar[1] });
      add(svg, "text", { x: x(bar[0]) + 6, y: barTop + 10, class: "small" }, j === 0 ? format(bar[0], "pct") + " (" + bar[2] + ")" : bar[2]);
    });
  });
}

/**
 * The trade list, sortable by any column. Up to ALL_ROWS trades every row is in the table; above
 * that only the rows in view of its scroll box (and a few either side) are, between two spacer
 * rows as tall as the rows left out: laying out every row of a 4,000-trade list took a second.
 * Column widths are fixed from the widest text of each column first, so they do not jump while
 * scrolling; printing draws every row.
 */
const ALL_ROWS = 500, ROWS_AROUND = 20;
function buildTradeTable(table) {
  const columns = data.tradeColumns, rows = data.tradeRows;
  const headRow = table.querySelector("thead tr"), body = table.querySelector("tbody");
  const numeric = (type) => type !== "text";
  const rowElements = new Array(rows.length);
  const rowElement = (i) => {
    if (rowElements[i]) return rowElements[i];
    const tr = document.createElement("tr");
    rows[i].forEach((value, c) => {
      const td = tr.appendChild(document.createElement("td"));
      td.textContent = format(value, columns[c].type);
      if (numeric(columns[c].type)) td.className = "n";
    });
    return (rowElements[i] = tr);
  };
  let order = rows.map((_, i) => i);
  const windowed = rows.length > ALL_ROWS;
  const box = table.parentElement;
  let rowHeight = 0, drawnFrom = -1, drawnTo = -1, everyRow = false;
  const spacer = () => { const tr = document.createElement("tr"); tr.className = "spacer"; tr.appendChild(document.createElement("td")).colSpan = columns.length; return tr; };
  const above = spacer(), below = spacer();
  function draw(force) {
    if (!windowed || everyRow) { body.replaceChildren.apply(body, order.map(rowElement)); return; }
    const top = Math.max(0, box.scrollTop - table.tHead.offsetHeight);
    const from = Math.max(0, Math.floor(top / rowHeight) - ROWS_AROUND);
    const to = Math.min(order.length, Math.ceil((top + box.clientHeight) / rowHeight) + ROWS_AROUND);
    if (!force && from === drawnFrom && to === drawnTo) return;
    drawnFrom = from; drawnTo = to;
    above.firstChild.style.height = from * rowHeight + "px";
    below.firstChild.style.height = (order.length - to) * rowHeight + "px";
    body.replaceChildren.apply(body, [above].concat(order.slice(from, to).map(rowElement), [below]));
  }
  columns.forEach((column) => {
    const th = headRow.appendChild(document.createElement("th"));
    th.dataset.key = column.key;
    th.className = numeric(column.type) ? "n sortable" : "sortable";
    th.textContent = column.label;
    th.title = "Sort by " + column.label;
  });
  if (windowed) {
    // The widest text of each column (by length) sets its width once for all rows.
    const widest = columns.map((column, c) => {
      let best = 0, length = -1;
      for (let i = 0; i < rows.length; i++) { const text = format(rows[i][c], column.type); if (text.length > length) { length = text.length; best = i; } }
      return best;
    });
    const sample = Array.from(new Set(widest.concat(order.slice(0, 40))));
    body.replaceChildren.apply(body, sample.map(rowElement));
    headRow.querySelectorAll("th").forEach((th) => { th.style.minWidth = th.getBoundingClientRect().width + "px"; });
    rowHeight = Math.max(1, body.getBoundingClientRect().height / sample.length);
    let pending = false;
    box.addEventListener("scroll", () => { if (!pending) { pending = true; requestAnimationFrame(() => { pending = false; draw(false); }); } }, { passive: true });
    window.addEventListener("beforeprint", () => { everyRow = true; draw(true); });
    window.addEventListener("afterprint", () => { everyRow = false; draw(true); });
    table.dataset.windowed = "true";
  }
  draw(true);
  const state = { column: -1, descending: false };
  headRow.querySelectorAll("th").forEach((th, c) => {
    const column = columns[c];
    th.addEventListener("click", () => {
      state.descending = state.column === c ? !state.descending : false;
      state.column = c;
      headRow.querySelectorAll("th").forEach((other) => other.removeAttribute("aria-sort"));
      th.setAttribute("aria-sort", state.descending ? "descending" : "ascending");
      const sign = state.descending ? -1 : 1;
      order = rows.map((_, i) => i).sort((a, b) => {
        const va = rows[a][c], vb = rows[b][c];
        if (va === null || vb === null) return va === vb ? a - b : va === null ? 1 : -1;
        const difference = numeric(column.type) ? va - vb : va < vb ? -1 : va > vb ? 1 : 0;
        return difference !== 0 ? sign * difference : a - b;
      });
      draw(true);
    });
  });
  table.dataset.rendered = "true";
}

function run(name, draw) {
  const container = document.querySelector('[data-chart="' + name + '"]');
  try {
    draw(container);
    container.dataset.rendered = "true";
  } catch (error) {
    container.dataset.rendered = "error";
    console.error("exitlab report: the " + name + " chart failed", error);
  }
}

const percentAxis = (value) => format(value, "pct");
const equityAxis = (value) => group(value.toFixed(Math.abs(value) >= 100 ? 0 : 2));
const equityCurves = data.series.map((s) => Object.assign({ name: s.name }, s.equity));
if (data.benchmark) equityCurves.push(Object.assign({ name: data.benchmark.name }, data.benchmark.equity));
run("equity", (c) => drawLineChart(c, equityCurves, { formatY: equityAxis, formatReadout: (v) => format(v, "usd"), area: false }));
run("drawdown", (c) => drawLineChart(c, data.series.map((s) => Object.assign({ name: s.name }, s.drawdown)), { formatY: percentAxis, area: true, includeZero: true }));
run("exit-reasons", (c) => drawExitReasons(c, data.exitReasons));
buildTradeTable(document.querySelector('table[data-table="trades"]'));
`;
