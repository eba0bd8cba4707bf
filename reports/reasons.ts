/**
 * Fill and exit reasons (SPEC §5: `ENTRY`, `TP1` … `TPn`, `SL`, `BREAKEVEN`, `TRAIL`,
 * `LIQUIDATION`, `TIME`, `SIGNAL`, `END`) in one canonical order, so every table and every
 * count object lists them the same way regardless of the order they occurred in (STYLE §9).
 */

const CANONICAL_ORDER: readonly string[] = [
  "ENTRY",
  "TP",
  "SL",
  "BREAKEVEN",
  "TRAIL",
  "LIQUIDATION",
  "TIME",
  "SIGNAL",
  "CLOSE",
  "END",
];

const TAKE_PROFIT_STAGE = /^TP(\d+)$/;

/** Rank of a reason; take-profit stages share the `TP` slot and are ordered by stage number. */
function rankOf(reason: string): number {
  const key = TAKE_PROFIT_STAGE.test(reason) ? "TP" : reason;
  const rank = CANONICAL_ORDER.indexOf(key);
  return rank === -1 ? CANONICAL_ORDER.length : rank;
}

/**
 * Sort comparator: canonical order, `TP2` before `TP10`, unknown reasons last in plain
 * string order (code-unit comparison, independent of the machine's locale).
 */
export function compareReasons(a: string, b: string): number {
  const rankA = rankOf(a);
  const rankB = rankOf(b);
  if (rankA !== rankB) return rankA - rankB;
  const stageA = TAKE_PROFIT_STAGE.exec(a);
  const stageB = TAKE_PROFIT_STAGE.exec(b);
  if (stageA !== null && stageB !== null) return Number(stageA[1]) - Number(stageB[1]);
  return a < b ? -1 : a > b ? 1 : 0;
}

/** How often each reason occurs, as a plain object whose keys follow `compareReasons`. */
export function countByReason(reasons: Iterable<string>): Record<string, number> {
  const counts = new Map<string, number>();
  for (const reason of reasons) counts.set(reason, (counts.get(reason) ?? 0) + 1);
  const ordered: Record<string, number> = {};
  for (const reason of [...counts.keys()].sort(compareReasons)) ordered[reason] = counts.get(reason)!;
  return ordered;
}
