/**
 * The "Exit analytics" section of report.html, rendered on the server as plain HTML: the
 * MAE vs MFE scatter as an inline SVG (winners green circles, losers red crosses), the exit
 * efficiency table by plan and reason, and the monthly returns table (year × UTC month).
 * The figures come from exitAnalytics.ts; this file only formats. Pure.
 */
import type { EquityCurve, Trade } from "../../engine/types.js";
import { exitEfficiency, maeMfePoints, monthlyReturns, type MaeMfePoint } from "./exitAnalytics.js";
import { escapeHtml, formatCount, formatFixed, formatPct } from "./format.js";

const W = 640, H = 360, L = 60, R = 16, T = 16, B = 44;

const px = (value: number): string => String(Math.round(value * 10) / 10);

function scatterSvg(points: readonly MaeMfePoint[]): string {
  if (points.length === 0) return `<p class="subtitle" data-analytics="mae-mfe">No trades.</p>`;
  const maxAdverse = Math.max(1e-9, ...points.map((p) => -p.mae));
  const maxFavourable = Math.max(1e-9, ...points.map((p) => p.mfe));
  const x = (adverse: number): number => L + (adverse / maxAdverse) * (W - L - R);
  const y = (favourable: number): number => H - B - (favourable / maxFavourable) * (H - T - B);
  const ticks = (max: number, at: (v: number) => number, vertical: boolean): string =>
    [0, 0.25, 0.5, 0.75, 1].map((k) => {
      const v = k * max;
      return vertical
        ? `<text x="${px(at(v))}" y="${H - B + 16}" text-anchor="middle">${escapeHtml(formatPct(v, 1))}</text>`
        : `<text x="${L - 6}" y="${px(at(v) + 4)}" text-anchor="end">${escapeHtml(formatPct(v, 1))}</text>`;
    }).join("");
  const marks = points.map((p) => {
    const cx = px(x(-p.mae)), cy = px(y(p.mfe));
    return p.winner
      ? `<circle data-winner="1" cx="${cx}" cy="${cy}" r="3.5" fill="none" stroke="#1a7f37"><title>#${p.id} winner</title></circle>`
      : `<path data-winner="0" d="M${px(x(-p.mae) - 3)} ${px(y(p.mfe) - 3)}l6 6m0 -6l-6 6" stroke="#cf222e"><title>#${p.id} loser</title></path>`;
  }).join("");
  const winners = points.filter((p) => p.winner).length;
  return `<figure class="chart" data-analytics="mae-mfe"><svg viewBox="0 0 ${W} ${H}" role="img" aria-label="MAE vs MFE per trade">
<line x1="${L}" y1="${H - B}" x2="${W - R}" y2="${H - B}" stroke="#888"/><line x1="${L}" y1="${T}" x2="${L}" y2="${H - B}" stroke="#888"/>
${ticks(maxAdverse, x, true)}${ticks(maxFavourable, y, false)}
<text x="${(L + W - R) / 2}" y="${H - 8}" text-anchor="middle">MAE (adverse move from entry)</text>
<text x="14" y="${(T + H - B) / 2}" text-anchor="middle" transform="rotate(-90 14 ${(T + H - B) / 2})">MFE (favourable move)</text>
${marks}</svg><figcaption>${escapeHtml(`${formatCount(points.length)} trades: ${formatCount(winners)} winners (green circles, net PnL > 0), ${formatCount(points.length - winners)} losers (red crosses).`)}</figcaption></figure>`;
}

function efficiencyTable(trades: readonly Trade[]): string {
  const rows = exitEfficiency(trades).map((row) =>
    `<tr><td>${escapeHtml(row.plan)}</td><td>${escapeHtml(row.reason)}</td><td class="n">${formatCount(row.trades)}</td>` +
    `<td class="n">${formatCount(row.judged)}</td><td class="n">${escapeHtml(formatFixed(row.pooledEfficiency, 2))}</td>` +
    `<td class="n">${escapeHtml(formatFixed(row.medianEfficiency, 2))}</td></tr>`).join("\n");
  return `<table data-analytics="efficiency"><thead><tr><th>plan</th><th>exit reason</th><th class="n">trades</th><th class="n">with MFE &gt; 0</th><th class="n">pooled efficiency</th><th class="n">median efficiency</th></tr></thead><tbody>
${rows}
</tbody></table>`;
}

const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

function monthlyTable(equity: EquityCurve): string {
  const months = monthlyReturns(equity);
  const years = [...new Set(months.map((m) => m.year))];
  const rows = years.map((year) => {
    const cells = MONTHS.map((_, k) => {
      const month = months.find((m) => m.year === year && m.month === k + 1);
      return `<td class="n">${month === undefined ? "" : escapeHtml(formatPct(month.returnPct, 2))}</td>`;
    }).join("");
    const compounded = months.filter((m) => m.year === year).reduce((acc, m) => acc * (1 + m.returnPct), 1) - 1;
    return `<tr><td>${year}</td>${cells}<td class="n">${escapeHtml(formatPct(compounded, 2))}</td></tr>`;
  }).join("\n");
  return `<div class="scroll-x"><table data-analytics="monthly"><thead><tr><th>year</th>${MONTHS.map((m) => `<th class="n">${m}</th>`).join("")}<th class="n">year</th></tr></thead><tbody>
${rows}
</tbody></table></div>`;
}

export function renderExitAnalytics(trades: readonly Trade[], equity: EquityCurve): string {
  return `<section data-analytics-section>
<h2>Exit analytics</h2>
<h3>MAE vs MFE</h3>
${scatterSvg(maeMfePoints(trades))}
<h3>Exit efficiency</h3>
<p class="subtitle">Per trade: captured move / MFE, where captured move = side × (exit price − entry price) / entry price and MFE is the largest favourable move while held; 1 = exited at the best price, below 0 = gave back more than the whole favourable move. Over the trades with MFE &gt; 0: pooled = Σ captured move / Σ MFE, and the median of the per-trade ratios.</p>
${efficiencyTable(trades)}
<h3>Monthly returns</h3>
<p class="subtitle">Per UTC month: last equity of the month / last equity before it − 1 (the first month from the first equity row); the year column compounds its months.</p>
${monthlyTable(equity)}
</section>`;
}
