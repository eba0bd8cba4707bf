/**
 * "Did you mean …?" for error messages (STYLE §7: errors suggest the fix): the candidate
 * nearest to a mistyped name by edit distance, compared case-insensitively. One helper for
 * config keys, built-in signal names and metric names.
 */
export interface SuggestionOptions {
  /** Largest edit distance still taken as a typo; default max(2, ⌊length / 3⌋). */
  readonly maxDistance?: number;
  /** Also accept the nearest candidate when it starts with the word (an abbreviation). */
  readonly allowPrefix?: boolean;
}

/** The candidate closest to `word`, or null when none is plausibly what was meant. */
export function closestName(word: string, candidates: readonly string[], options: SuggestionOptions = {}): string | null {
  const lower = word.toLowerCase();
  let best: string | null = null;
  let bestDistance = Infinity;
  for (const candidate of candidates) {
    const distance = editDistance(lower, candidate.toLowerCase());
    if (distance < bestDistance) {
      bestDistance = distance;
      best = candidate;
    }
  }
  if (best === null) return null;
  const maxDistance = options.maxDistance ?? Math.max(2, Math.floor(word.length / 3));
  return bestDistance <= maxDistance || (options.allowPrefix === true && best.toLowerCase().startsWith(lower)) ? best : null;
}

/** Levenshtein distance with one reused row. */
function editDistance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let previous = row[0];
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const current = row[j];
      row[j] = Math.min(row[j] + 1, row[j - 1] + 1, previous + (a[i - 1] === b[j - 1] ? 0 : 1));
      previous = current;
    }
  }
  return row[b.length];
}
