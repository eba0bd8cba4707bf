/** One UTC day in ms. */
const DAY_MS = 86_400_000;

/**
 * Daily simple returns of an equity curve: each UTC day closes at its last equity row, and a
 * day's return is its close over the previous day's close minus 1 (the first day's over the
 * initial balance). Days without a row are absent (no return is invented). The overfitting
 * statistics use these, so every cell of a sweep over the same data has the same days.
 */
export function dailyReturnsOf(time: ArrayLike<number>, equity: ArrayLike<number>, initialBalance: number): number[] {
  const returns: number[] = [];
  let previousClose = initialBalance;
  for (let i = 0; i < equity.length; i++) {
    const lastOfDay = i === equity.length - 1 || Math.floor(time[i + 1] / DAY_MS) !== Math.floor(time[i] / DAY_MS);
    if (!lastOfDay) continue;
    returns.push(previousClose > 0 ? equity[i] / previousClose - 1 : 0);
    previousClose = equity[i];
  }
  return returns;
}
