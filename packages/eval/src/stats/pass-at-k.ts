/**
 * pass@k: the chance that at least one of k answers drawn without replacement from n
 * (c of them correct) is correct — the unbiased estimator of Chen et al. (2021),
 * 1 − C(n−c, k) / C(n, k), computed as 1 − ∏_{i=n−c+1}^{n} (1 − k/i), which never forms
 * the large binomial coefficients.
 */
export function passAtK(n: number, c: number, k: number): number {
  if (![n, c, k].every(Number.isInteger) || n < 1 || c < 0 || c > n || k < 1 || k > n) {
    throw new RangeError(`need integers 0 <= c <= n and 1 <= k <= n, got n=${n} c=${c} k=${k}`);
  }
  if (n - c < k) return 1;
  let miss = 1;
  for (let i = n - c + 1; i <= n; i++) miss *= 1 - k / i;
  return 1 - miss;
}

/** pass@k averaged over items, each `{ n, c }`; items with fewer than k answers are left out. Null when none is left. */
export function meanPassAtK(items: Iterable<{ n: number; c: number }>, k: number): number | null {
  let sum = 0;
  let count = 0;
  for (const { n, c } of items) {
    if (n < k) continue;
    sum += passAtK(n, c, k);
    count++;
  }
  return count === 0 ? null : sum / count;
}
