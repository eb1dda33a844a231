/**
 * Binary search over ascending numbers (times), shared by the grading and evidence layers.
 */

/**
 * Index of the first value ≥ `t` (or > `t` when `strict`) in an ascending list; length when none.
 * @param values - ascending numbers
 * @param t - the value looked for
 * @param strict - find the first value after `t` rather than at or after it
 */
export function firstIndex(values: ArrayLike<number>, t: number, strict = false): number {
  let lo = 0;
  let hi = values.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    const v = values[mid] as number;
    if (v < t || (strict && v === t)) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
