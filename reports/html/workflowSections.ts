/**
 * A workflow's own results on its report.html page — compare's paired differences with
 * intervals and verdicts, and any later workflow's ranking — rendered from the same titled
 * tables (`Section`) its terminal and Markdown output print, so the page cannot disagree
 * with the terminal. A reusable block: one heading, one line of settings, one table per
 * section. Pure; every text escaped.
 */
import type { Section } from "../workflows/compareFormat.js";
import { escapeHtml } from "./format.js";

export interface WorkflowBlock {
  /** Heading of the block, e.g. "Compare: static vs ai". */
  readonly heading: string;
  /** A line under the heading (settings, what the rest of the page describes). */
  readonly lines: readonly string[];
  readonly sections: readonly Section[];
}

function tableHtml(section: Section, index: number): string {
  const align = section.table.align ?? [];
  const cell = (tag: "th" | "td", text: string, column: number): string =>
    `<${tag}${align[column] === "right" ? ' class="n"' : ""}>${escapeHtml(text)}</${tag}>`;
  const head = `<tr>${section.table.header.map((text, column) => cell("th", text, column)).join("")}</tr>`;
  const rows = section.table.rows.map((row) => `<tr>${row.map((text, column) => cell("td", text, column)).join("")}</tr>`).join("\n");
  return `<h3>${escapeHtml(section.title)}</h3>
<div class="scroll-x"><table data-section="${index}" data-title="${escapeHtml(section.title)}"><thead>${head}</thead><tbody>
${rows}
</tbody></table></div>${section.note ? `\n<p class="subtitle">${escapeHtml(section.note)}</p>` : ""}`;
}

export function renderWorkflowBlock(block: WorkflowBlock | undefined): string {
  if (block === undefined) return "";
  return `<section class="workflow" data-workflow>
<h2>${escapeHtml(block.heading)}</h2>
${block.lines.map((line) => `<p class="subtitle">${escapeHtml(line)}</p>`).join("\n")}
${block.sections.map(tableHtml).join("\n")}
</section>`;
}
