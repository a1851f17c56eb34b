import { seededRandom } from "./prng.ts";
import { quantileSorted } from "./quantile.ts";

export interface BootstrapOptions {
  iterations?: number;
  seed?: number;
  /** Two-sided confidence level of the interval (default 0.95). */
  confidence?: number;
}

export interface BootstrapResult {
  /** Observed accuracy of B minus accuracy of A on the paired items. */
  difference: number;
  low: number;
  high: number;
  iterations: number;
  seed: number;
}

/**
 * A paired bootstrap of the accuracy difference (B − A): pairs are resampled with
 * replacement and the percentile interval of the resampled differences is returned.
 * Deterministic for a given seed (mulberry32). Only the pair kinds matter, so the pairs are
 * reduced to counts first; each iteration still draws n times, O(n × iterations).
 */
export function pairedBootstrap(
  pairs: Iterable<readonly [boolean, boolean]>,
  options: BootstrapOptions = {},
): BootstrapResult {
  const iterations = options.iterations ?? 2000;
  const seed = options.seed ?? 1;
  const confidence = options.confidence ?? 0.95;
  let n = 0;
  let onlyA = 0;
  let onlyB = 0;
  for (const [a, b] of pairs) {
    n++;
    if (a && !b) onlyA++;
    else if (!a && b) onlyB++;
  }
  if (n === 0) return { difference: 0, low: 0, high: 0, iterations, seed };
  const random = seededRandom(seed);
  const pA = onlyA / n;
  const pAB = (onlyA + onlyB) / n;
  const diffs = new Float64Array(iterations);
  for (let it = 0; it < iterations; it++) {
    let delta = 0;
    for (let i = 0; i < n; i++) {
      const u = random();
      if (u < pA) delta--;
      else if (u < pAB) delta++;
    }
    diffs[it] = delta / n;
  }
  diffs.sort();
  const alpha = (1 - confidence) / 2;
  return {
    difference: (onlyB - onlyA) / n,
    low: quantileSorted(diffs, alpha) as number,
    high: quantileSorted(diffs, 1 - alpha) as number,
    iterations,
    seed,
  };
}
