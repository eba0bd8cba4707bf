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
  const last = equity.length - 1;
  let dayEnd = last >= 0 ? (Math.floor(time[0] / DAY_MS) + 1) * DAY_MS : 0;
  for (let i = 0; i <= last; i++) {
    // Row i closes its day when the next row opens on or after the day's end (or there is none).
    if (i < last && time[i + 1] < dayEnd) continue;
    returns.push(previousClose > 0 ? equity[i] / previousClose - 1 : 0);
    previousClose = equity[i];
    if (i < last) dayEnd = (Math.floor(time[i + 1] / DAY_MS) + 1) * DAY_MS;
  }
  return returns;
}
