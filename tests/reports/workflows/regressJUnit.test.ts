import { describe, expect, it } from "vitest";
import { buildBaseline, compareToBaseline, type RegressReport } from "../../../reports/workflows/regress.js";
import { escapeXml, formatRegressJUnit } from "../../../reports/workflows/regressFormat.js";
import { makeStats, tradeAt } from "./workflowFixtures.js";

/**
 * A loose well-formedness check: one XML declaration, tags balanced and properly nested,
 * attributes quoted, and no `<`, `>` or bare `&` outside markup and entities.
 */
function expectWellFormedXml(xml: string): void {
  expect(xml.startsWith('<?xml version="1.0" encoding="UTF-8"?>\n')).toBe(true);
  const body = xml.slice(xml.indexOf("?>") + 2);
  const stack: string[] = [];
  const tag = /<(\/?)([A-Za-z][\w.-]*)((?:\s+[\w:.-]+="[^"<]*")*)\s*(\/?)>/g;
  let last = 0;
  for (let match = tag.exec(body); match !== null; match = tag.exec(body)) {
    const text = body.slice(last, match.index);
    expect(text, `text before ${match[0]}`).not.toMatch(/[<>]|&(?!(amp|lt|gt|quot|apos);)/);
    const [, closing, name, attributes, selfClosing] = match;
    expect(attributes).not.toMatch(/&(?!(amp|lt|gt|quot|apos);)/);
    if (closing) expect(stack.pop(), `closing ${name}`).toBe(name);
    else if (!selfClosing) stack.push(name);
    last = tag.lastIndex;
  }
  expect(body.slice(last).trim()).toBe("");
  expect(stack).toEqual([]);
}

const trades = [tradeAt(0)];
const stats = makeStats({ sharpeRatio: 1.5, totalReturnPct: 0.1 });
const baseline = buildBaseline({ stats, trades });

describe("JUnit XML of a regress report", () => {
  const regressed = compareToBaseline({ stats: { ...stats, sharpeRatio: 1.2 }, trades }, baseline, { baselineFile: 'base<line> & "q".json' });
  const xml = formatRegressJUnit(regressed);

  it("is well formed, with the file name escaped", () => {
    expectWellFormedXml(xml);
    expect(xml).toContain('<property name="baseline" value="base&lt;line&gt; &amp; &quot;q&quot;.json"/>');
  });

  it("has one testcase per metric plus one for the trades, and a failure for the regressed metric", () => {
    const testcases = xml.match(/<testcase /g) ?? [];
    expect(testcases).toHaveLength(Object.keys(baseline.metrics).length + 1);
    expect(xml).toMatch(/<testcase classname="exitlab\.regress\.metrics" name="sharpeRatio">\n\s+<failure type="regressed" message="sharpeRatio regressed: 1\.5 → 1\.2/);
    expect(xml.match(/<failure /g)).toHaveLength(1);
    expect(xml).toContain('tests="13" failures="1" errors="0" skipped="0"');
  });

  it("has no failure when the run matches its baseline", () => {
    const passing = formatRegressJUnit(compareToBaseline({ stats, trades }, baseline));
    expectWellFormedXml(passing);
    expect(passing).not.toContain("<failure");
  });

  it("fails the trade-fingerprint testcase when the trades changed, and skips it when ignored", () => {
    const changed = formatRegressJUnit(compareToBaseline({ stats, trades: [] }, baseline));
    expect(changed).toMatch(/name="tradeFingerprint">\n\s+<failure type="changed"/);
    const ignored = formatRegressJUnit(compareToBaseline({ stats, trades: [] }, baseline, { ignoreFingerprint: true }));
    expectWellFormedXml(ignored);
    expect(ignored).toMatch(/name="tradeFingerprint">\n\s+<skipped /);
  });

  it("escapes markup in metric names and messages", () => {
    const report: RegressReport = {
      ...regressed,
      rows: [{ ...regressed.rows[0], metric: `a<b>&"c'`, status: "regressed" }],
    };
    const text = formatRegressJUnit(report, { suiteName: "nightly & <main>" });
    expectWellFormedXml(text);
    expect(text).toContain('name="a&lt;b&gt;&amp;&quot;c&apos;"');
    expect(text).toContain('<testsuites name="nightly &amp; &lt;main&gt;"');
  });

  it("is byte-identical for the same report", () => {
    expect(formatRegressJUnit(regressed)).toBe(xml);
  });
});

describe("XML escaping", () => {
  it("escapes the five special characters and drops control characters XML cannot hold", () => {
    expect(escapeXml(`<a href="x">&'\u0001\u0009`)).toBe("&lt;a href=&quot;x&quot;&gt;&amp;&apos;\u0009");
  });

  it("keeps characters outside the basic plane and drops a lone surrogate", () => {
    expect(escapeXml("📈\uD800x")).toBe("📈x");
  });
});
