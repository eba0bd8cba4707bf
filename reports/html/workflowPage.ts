import { escapeHtml } from "./format.js";
import { renderWorkflowBlock, type WorkflowBlock } from "./workflowSections.js";

/**
 * A workflow's page of its own, for a workflow whose folder is not a run folder (the sweep's:
 * `sweep.html` next to `sweep.csv`): the titled tables its terminal prints, rendered by the same
 * `renderWorkflowBlock` as the compare, tiers and walk-forward sections of report.html, so the
 * page cannot disagree with the terminal. Static HTML — no script, no network — so it opens
 * offline from disk. Pure: the same block gives the same bytes.
 */
export function renderWorkflowPage(kind: string, title: string, block: WorkflowBlock): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">
<title>${escapeHtml(title)}</title>
<style>body{font:14px system-ui,sans-serif;margin:24px;color:#222}.subtitle{color:#555}table{border-collapse:collapse;font-variant-numeric:tabular-nums}th,td{padding:3px 8px;border-bottom:1px solid #e3e3e3;text-align:left;white-space:nowrap}th{background:#f6f6f6}.n{text-align:right}.scroll-x{overflow-x:auto}</style>
</head><body data-run-kind="${escapeHtml(kind)}">
<h1>${escapeHtml(title)}</h1>
${renderWorkflowBlock(block)}
</body></html>
`;
}
