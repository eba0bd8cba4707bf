/** The report page's inline stylesheet: system fonts only (nothing to fetch), print-friendly. */
export const REPORT_STYLE = `
:root { --ink: #1f2933; --muted: #616e7c; --line: #e4e7eb; --panel: #f8fafc; --accent: #2563eb; }
* { box-sizing: border-box; }
body { margin: 0; padding: 24px 32px 48px; font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: var(--ink); }
h1 { margin: 0 0 4px; font-size: 22px; }
h2 { margin: 32px 0 10px; font-size: 17px; border-bottom: 1px solid var(--line); padding-bottom: 4px; }
.subtitle { color: var(--muted); margin: 0 0 16px; }
.cards { display: flex; flex-wrap: wrap; gap: 12px; margin: 16px 0; }
.card { background: var(--panel); border: 1px solid var(--line); border-radius: 6px; padding: 8px 14px; min-width: 130px; }
.card .label { color: var(--muted); font-size: 12px; }
.card .value { font-size: 18px; font-weight: 600; font-variant-numeric: tabular-nums; }
figure.chart { margin: 0 0 8px; max-width: 1100px; }
figure.chart figcaption { color: var(--muted); font-size: 12px; }
figure.chart svg { width: 100%; height: auto; display: block; }
svg text { font-size: 11px; fill: var(--muted); }
svg text.reason { font-size: 12px; fill: var(--ink); font-weight: 600; }
svg .grid { stroke: var(--line); }
svg .axis { stroke: #9aa5b1; }
svg .readout line { stroke: #9aa5b1; stroke-dasharray: 3 3; }
svg .readout circle { fill: var(--accent); }
svg .readout text { fill: var(--ink); font-weight: 600; paint-order: stroke; stroke: #fff; stroke-width: 3px; }
.columns { display: flex; flex-wrap: wrap; gap: 32px; align-items: flex-start; }
table { border-collapse: collapse; font-variant-numeric: tabular-nums; margin: 4px 0 12px; }
th, td { padding: 3px 10px; border-bottom: 1px solid var(--line); text-align: left; white-space: nowrap; }
th { background: var(--panel); font-weight: 600; }
.n { text-align: right; }
.scroll { overflow: auto; max-height: 640px; border: 1px solid var(--line); }
.scroll thead th { position: sticky; top: 0; }
th.sortable { cursor: pointer; user-select: none; }
th.sortable:hover { color: var(--accent); }
th[aria-sort="ascending"]::after { content: " \\25B2"; }
th[aria-sort="descending"]::after { content: " \\25BC"; }
details { margin: 8px 0; }
summary { cursor: pointer; color: var(--accent); }
pre { background: var(--panel); border: 1px solid var(--line); padding: 12px; overflow: auto; font-size: 12px; }
figure.price-chart { margin: 0 0 16px; max-width: 1100px; }
figure.price-chart figcaption, .drill .subtitle { color: var(--muted); font-size: 12px; }
.lw { position: relative; width: 100%; }
table[data-table="trades"] tbody tr { cursor: pointer; }
table[data-table="trades"] tbody tr:hover { background: #eff6ff; }
table[data-table="trades"] tr.spacer td { padding: 0; border: 0; }
table[data-table="trades"] tbody tr.spacer { cursor: default; background: none; }
.drill { border: 2px solid var(--accent); border-radius: 6px; padding: 12px 16px; margin: 16px 0; max-width: 1100px; }
.drill-head { display: flex; justify-content: space-between; align-items: center; }
.drill h3 { margin: 0; font-size: 16px; }
.facts { display: grid; grid-template-columns: max-content 1fr; gap: 2px 16px; margin: 8px 0; }
.facts dt { color: var(--muted); }
.facts dd { margin: 0; }
.trail-miss { background: #fff7ed; border: 1px solid #ea580c; color: #9a3412; padding: 6px 10px; border-radius: 4px; font-weight: 600; }
.other-path { background: #fdf4ff; border: 1px solid #c026d3; color: #701a75; padding: 6px 10px; border-radius: 4px; margin: 8px 0; } .other-path ul { margin: 4px 0 0; padding-left: 18px; } .other-path [data-other-trail] { font-weight: 600; }
.scroll-x { overflow-x: auto; }
.baseline-note { background: var(--panel); border-left: 4px solid var(--accent); padding: 6px 12px; }
@media print { .scroll { max-height: none; overflow: visible; } }
`;
