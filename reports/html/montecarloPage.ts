import type { Histogram, MonteCarloResult } from "../montecarlo.js";
import { escapeHtml, formatFixed } from "./format.js";

/**
 * `montecarlo.html`, written next to `montecarlo.json` by `exitlab montecarlo`: the fan chart
 * (equity quantiles p5–p95 and p25–p75 across the simulated paths, their median, and the run's
 * own path) and histograms of final equity and max drawdown. Static inline SVG — no script, no
 * network — so it opens offline from disk like report.html. Pure: the same result gives the
 * same bytes.
 */

const WIDTH = 760;
const HEIGHT = 300;
const PAD = { left: 70, right: 16, top: 12, bottom: 34 };
const round = (value: number): string => (Math.round(value * 10) / 10).toFixed(1);

interface Scale { readonly x: (value: number) => number; readonly y: (value: number) => number }

function scaleOf(xMin: number, xMax: number, yMin: number, yMax: number): Scale {
  const spanX = xMax - xMin || 1;
  const spanY = yMax - yMin || 1;
  return {
    x: (value) => PAD.left + ((value - xMin) / spanX) * (WIDTH - PAD.left - PAD.right),
    y: (value) => HEIGHT - PAD.bottom - ((value - yMin) / spanY) * (HEIGHT - PAD.top - PAD.bottom),
  };
}

function axes(scale: Scale, xMin: number, xMax: number, yMin: number, yMax: number, xLabel: string, yFormat: (v: number) => string): string {
  const ticks = [0, 0.25, 0.5, 0.75, 1];
  const yTicks = ticks.map((t) => yMin + t * (yMax - yMin));
  const xTicks = ticks.map((t) => xMin + t * (xMax - xMin));
  return [
    `<line x1="${PAD.left}" y1="${HEIGHT - PAD.bottom}" x2="${WIDTH - PAD.right}" y2="${HEIGHT - PAD.bottom}" stroke="#999"/>`,
    `<line x1="${PAD.left}" y1="${PAD.top}" x2="${PAD.left}" y2="${HEIGHT - PAD.bottom}" stroke="#999"/>`,
    ...yTicks.map((v) => `<text x="${PAD.left - 6}" y="${round(scale.y(v) + 4)}" text-anchor="end">${escapeHtml(yFormat(v))}</text>`),
    ...xTicks.map((v) => `<text x="${round(scale.x(v))}" y="${HEIGHT - PAD.bottom + 16}" text-anchor="middle">${escapeHtml(formatFixed(v, 0))}</text>`),
    `<text x="${(WIDTH + PAD.left) / 2}" y="${HEIGHT - 4}" text-anchor="middle">${escapeHtml(xLabel)}</text>`,
  ].join("");
}

function polyline(xs: readonly number[], ys: readonly number[], scale: Scale): string {
  return xs.map((x, k) => `${round(scale.x(x))},${round(scale.y(ys[k]))}`).join(" ");
}

function band(xs: readonly number[], low: readonly number[], high: readonly number[], scale: Scale, fill: string, label: string): string {
  const points = [...xs.map((x, k) => `${round(scale.x(x))},${round(scale.y(high[k]))}`), ...xs.map((x, k) => `${round(scale.x(x))},${round(scale.y(low[k]))}`).reverse()];
  return `<polygon data-band="${label}" points="${points.join(" ")}" fill="${fill}" stroke="none"/>`;
}

function fanChart(result: MonteCarloResult): string {
  const fan = result.fan;
  const steps = [0, ...fan.step];
  const start = result.initialBalance;
  const all = [start, ...fan.p5, ...fan.p95, ...fan.actual];
  const yMin = Math.min(...all);
  const yMax = Math.max(...all);
  const scale = scaleOf(0, steps[steps.length - 1], yMin, yMax);
  const withStart = (values: readonly number[]): number[] => [start, ...values];
  return `<svg data-chart="fan" viewBox="0 0 ${WIDTH} ${HEIGHT}" width="${WIDTH}" height="${HEIGHT}" role="img" aria-label="equity fan chart">
${axes(scale, 0, steps[steps.length - 1], yMin, yMax, `${result.unit} into the path`, (v) => formatFixed(v, 0))}
${band(steps, withStart(fan.p5), withStart(fan.p95), scale, "#cfe0f5", "p5-p95")}
${band(steps, withStart(fan.p25), withStart(fan.p75), scale, "#8fb6e6", "p25-p75")}
<polyline data-line="median" points="${polyline(steps, withStart(fan.p50), scale)}" fill="none" stroke="#1f5fae" stroke-width="1.5"/>
<polyline data-line="actual" points="${polyline(steps, withStart(fan.actual), scale)}" fill="none" stroke="#c0392b" stroke-width="1.5"/>
</svg>
<p class="legend"><span style="color:#8fb6e6">■</span> p25–p75 <span style="color:#cfe0f5">■</span> p5–p95 <span style="color:#1f5fae">—</span> median <span style="color:#c0392b">—</span> the run's own order</p>`;
}

function histogramChart(name: string, histogram: Histogram, actual: number, format: (v: number) => string): string {
  // A shuffle reorders the same trades: every path ends at the same equity (up to rounding).
  if (histogram.max - histogram.min <= 1e-9 * Math.max(1, Math.abs(histogram.max))) {
    return `<p data-chart="histogram-${name}">Every path gives ${escapeHtml(format(histogram.max))} (the method reorders the same steps, so this figure cannot vary).</p>`;
  }
  const bins = histogram.counts.length;
  const top = Math.max(...histogram.counts, 1);
  const scale = scaleOf(histogram.min, histogram.max, 0, top);
  const width = (histogram.max - histogram.min) / bins;
  const bars = histogram.counts.map((count, b) => {
    const x0 = scale.x(histogram.min + b * width);
    const x1 = width > 0 ? scale.x(histogram.min + (b + 1) * width) : WIDTH - PAD.right;
    return `<rect data-bin="${b}" data-count="${count}" x="${round(x0)}" y="${round(scale.y(count))}" width="${round(Math.max(0.5, x1 - x0 - 1))}" height="${round(scale.y(0) - scale.y(count))}" fill="#5b8fd1"/>`;
  });
  const marker = Number.isFinite(actual) && actual >= histogram.min && actual <= histogram.max
    ? `<line data-line="actual" x1="${round(scale.x(actual))}" y1="${PAD.top}" x2="${round(scale.x(actual))}" y2="${HEIGHT - PAD.bottom}" stroke="#c0392b" stroke-width="1.5"/>`
    : "";
  const ticks = [0, 0.25, 0.5, 0.75, 1].map((t) => histogram.min + t * (histogram.max - histogram.min));
  return `<svg data-chart="histogram-${name}" viewBox="0 0 ${WIDTH} ${HEIGHT}" width="${WIDTH}" height="${HEIGHT}" role="img" aria-label="${escapeHtml(name)} histogram">
<line x1="${PAD.left}" y1="${HEIGHT - PAD.bottom}" x2="${WIDTH - PAD.right}" y2="${HEIGHT - PAD.bottom}" stroke="#999"/>
${ticks.map((v) => `<text x="${round(scale.x(v))}" y="${HEIGHT - PAD.bottom + 16}" text-anchor="middle">${escapeHtml(format(v))}</text>`).join("")}
<text x="${PAD.left - 6}" y="${PAD.top + 10}" text-anchor="end">${top}</text>
${bars.join("")}${marker}
</svg>`;
}

export function renderMonteCarloPage(result: MonteCarloResult, runName: string): string {
  const pct = (v: number): string => `${formatFixed(v * 100, 1)} %`;
  const usd = (v: number): string => formatFixed(v, 0);
  const title = `exitlab montecarlo — ${runName}`;
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">
<title>${escapeHtml(title)}</title>
<style>body{font:14px system-ui,sans-serif;margin:24px;color:#222}svg text{font-size:11px;fill:#555}.legend{color:#555}h2{margin-top:28px}</style>
</head><body data-run-kind="montecarlo">
<h1>${escapeHtml(title)}</h1>
<p>${escapeHtml(`${result.simulations} ${result.method} paths of ${result.steps} ${result.unit}${result.blockLength === null ? "" : ` in blocks of ${result.blockLength}`} from ${result.initialBalance} USDT (seed ${result.seed}); probability of ruin (drawdown ≥ ${pct(result.ruinDrawdown)}) ${result.probabilityOfRuin}, of ending below the initial balance ${result.probabilityOfLoss}`)}</p>
<h2>Equity fan</h2>
${fanChart(result)}
<h2>Final equity (USDT)</h2>
${histogramChart("final-equity", result.histograms.finalEquity, result.actual.finalEquity, usd)}
<h2>Max drawdown</h2>
${histogramChart("max-drawdown", result.histograms.maxDrawdownPct, result.actual.maxDrawdownPct, pct)}
<p class="legend">Red: the run's own order (${escapeHtml(usd(result.actual.finalEquity))} USDT, drawdown ${escapeHtml(pct(result.actual.maxDrawdownPct))}). ${result.histograms.finalEquity.counts.length} equal-width bins from the smallest to the largest path value.</p>
</body></html>
`;
}
