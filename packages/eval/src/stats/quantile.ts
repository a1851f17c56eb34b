/**
 * Quantiles by linear interpolation between order statistics — Hyndman & Fan type 7, the
 * default of R, NumPy and spreadsheets: h = (n − 1)·p, then x[⌊h⌋] + (h − ⌊h⌋)·(x[⌊h⌋+1] − x[⌊h⌋]).
 * `sorted` must be ascending. Null for no values.
 */
export function quantileSorted(sorted: ArrayLike<number>, p: number): number | null {
  if (!(p >= 0 && p <= 1)) throw new RangeError(`quantile p must be in [0, 1], got ${p}`);
  const n = sorted.length;
  if (n === 0) return null;
  const h = (n - 1) * p;
  const lo = Math.floor(h);
  const a = sorted[lo] as number;
  const b = sorted[Math.min(lo + 1, n - 1)] as number;
  return a + (h - lo) * (b - a);
}

/** `quantileSorted` on a sorted copy (type 7, linear interpolation). */
export function quantile(values: ArrayLike<number>, p: number): number | null {
  return quantileSorted(Float64Array.from(values).sort(), p);
}

export interface Distribution {
  n: number;
  mean: number;
  min: number;
  q1: number;
  p50: number;
  q3: number;
  p95: number;
  max: number;
}

/** Mean and the quantiles the report shows (type 7), from one sort. Null for no values. */
export function describe(values: ArrayLike<number>): Distribution | null {
  if (values.length === 0) return null;
  const sorted = Float64Array.from(values).sort();
  let sum = 0;
  for (const v of sorted) sum += v;
  const q = (p: number) => quantileSorted(sorted, p) as number;
  return {
    n: sorted.length,
    mean: sum / sorted.length,
    min: sorted[0] as number,
    q1: q(0.25),
    p50: q(0.5),
    q3: q(0.75),
    p95: q(0.95),
    max: sorted[sorted.length - 1] as number,
  };
}
