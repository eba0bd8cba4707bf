/**
 * Fast paths for the plain numbers of data files, each giving exactly the value `Number(text)`
 * gives, or NaN when the text is not in its narrow form (the caller then uses the full parser,
 * so a fast path never changes a value):
 *
 * - `parseShortDigits`: 1 to 15 ASCII digits (the integer epochs of the time column) are an
 *   integer below 2^53, read by a digit loop without the trim and regular expression of the
 *   full time parser (timeParsing.ts).
 * - `parseShortDecimal`: at most 15 significant digits with at most one `.` and nothing else
 *   (Binance-style prices such as `42000.15`). The digits form an integer below 2^53, exact
 *   in a double, and so is 10^k for k ≤ 22; IEEE division rounds the quotient correctly, so
 *   `digits / 10^k` is the correctly rounded value of the decimal, which is what `Number()`
 *   returns (Clinger's fast path). Twice as fast as `Number()` on such fields; text longer than
 *   16 characters (17-digit prices, which `Number()` reads as fast) is refused before any scan.
 */

const MAX_FAST_DIGITS = 15;
const MAX_FAST_DECIMAL_LENGTH = MAX_FAST_DIGITS + 1;
const POWERS_OF_TEN = [1, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15];
const DIGIT_ZERO = 48;
const DOT = 46;

/** The value of 1 to 15 ASCII digits and nothing else, or NaN (then use the full parser). */
export function parseShortDigits(text: string): number {
  const length = text.length;
  if (length === 0 || length > MAX_FAST_DIGITS) return NaN;
  let value = 0;
  for (let index = 0; index < length; index++) {
    const digit = text.charCodeAt(index) - DIGIT_ZERO;
    if (digit < 0 || digit > 9) return NaN;
    value = value * 10 + digit;
  }
  return value;
}

/**
 * The value of an unsigned decimal of 1 to 15 digits with at most one `.` (`7`, `42000.15`,
 * `.5`, `3.`), exactly as `Number(text)`; NaN for anything else (then use the full parser).
 */
export function parseShortDecimal(text: string): number {
  const length = text.length;
  if (length === 0 || length > MAX_FAST_DECIMAL_LENGTH) return NaN;
  let value = 0;
  let digits = 0;
  let dotAt = -1;
  for (let index = 0; index < length; index++) {
    const code = text.charCodeAt(index);
    const digit = code - DIGIT_ZERO;
    if (digit >= 0 && digit <= 9) {
      value = value * 10 + digit;
      digits++;
    } else if (code === DOT && dotAt < 0) {
      dotAt = index;
    } else {
      return NaN;
    }
  }
  if (digits === 0 || digits > MAX_FAST_DIGITS) return NaN;
  return dotAt < 0 ? value : value / POWERS_OF_TEN[length - 1 - dotAt];
}
