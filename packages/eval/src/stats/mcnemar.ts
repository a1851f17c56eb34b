import { binomialHalfCdf, chiSquare1Survival } from "./distributions.ts";

/** Below this many discordant pairs the exact test is used. */
export const MCNEMAR_EXACT_BELOW = 25;

export interface McNemarResult {
  /** Pairs where only A was right (b) and only B was right (c). */
  only_a: number;
  only_b: number;
  method: "exact" | "chi_square_cc";
  /** The chi-square statistic with continuity correction; null for the exact test. */
  statistic: number | null;
  /** Two-sided. */
  p_value: number;
}

/**
 * McNemar's test of whether two variants, scored on the same items, differ in accuracy.
 * Only the discordant pairs count: b (A right, B wrong) and c (A wrong, B right). With
 * b + c < 25 the exact test (two-sided binomial, p = min(1, 2·P(X ≤ min(b, c))), X ~ Bin(b+c, ½));
 * otherwise the chi-square with Edwards' continuity correction, (|b − c| − 1)² / (b + c), one df.
 */
export function mcnemar(pairs: Iterable<readonly [boolean, boolean]>): McNemarResult {
  let b = 0;
  let c = 0;
  for (const [a, bRight] of pairs) {
    if (a && !bRight) b++;
    else if (!a && bRight) c++;
  }
  return mcnemarFromCounts(b, c);
}

export function mcnemarFromCounts(onlyA: number, onlyB: number): McNemarResult {
  const n = onlyA + onlyB;
  if (n === 0) return { only_a: 0, only_b: 0, method: "exact", statistic: null, p_value: 1 };
  if (n < MCNEMAR_EXACT_BELOW) {
    const p = Math.min(1, 2 * binomialHalfCdf(Math.min(onlyA, onlyB), n));
    return { only_a: onlyA, only_b: onlyB, method: "exact", statistic: null, p_value: p };
  }
  const statistic = (Math.abs(onlyA - onlyB) - 1) ** 2 / n;
  return { only_a: onlyA, only_b: onlyB, method: "chi_square_cc", statistic, p_value: chiSquare1Survival(statistic) };
}
