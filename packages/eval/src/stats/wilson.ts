export interface Interval {
  low: number;
  high: number;
}

/**
 * The Wilson score interval for a binomial proportion (z = 1.96: 95%). Unlike the normal
 * approximation it stays inside [0, 1] and behaves at 0/n and n/n. With n = 0 nothing is
 * known: [0, 1].
 */
export function wilsonInterval(successes: number, n: number, z = 1.96): Interval {
  if (!Number.isInteger(successes) || !Number.isInteger(n) || successes < 0 || n < 0 || successes > n) {
    throw new RangeError(`need integers 0 <= successes <= n, got ${successes}/${n}`);
  }
  if (n === 0) return { low: 0, high: 1 };
  const p = successes / n;
  const z2 = z * z;
  const denominator = 1 + z2 / n;
  const center = (p + z2 / (2 * n)) / denominator;
  const margin = (z * Math.sqrt((p * (1 - p)) / n + z2 / (4 * n * n))) / denominator;
  // At 0/n and n/n the bound is exactly 0 or 1; rounding must not leave it a hair outside.
  return {
    low: successes === 0 ? 0 : Math.max(0, center - margin),
    high: successes === n ? 1 : Math.min(1, center + margin),
  };
}
