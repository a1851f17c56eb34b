import { money } from "@reasonq/billing";

export interface CostAccuracyPoint {
  id: string;
  /** Cost as an exact decimal string (compared exactly, never as a float). */
  cost: string;
  accuracy: number;
}

/**
 * The cost–accuracy frontier: a point is on it unless another point is at most as
 * expensive and at least as accurate, and strictly better in one of the two. Equal points
 * are both on it. Returns the ids on the frontier, cheapest first. O(n²) over variants,
 * which are few.
 */
export function paretoFrontier(points: readonly CostAccuracyPoint[]): string[] {
  const costs = points.map((p) => money(p.cost));
  const onFrontier = points.filter((p, i) => {
    const cost = costs[i] as ReturnType<typeof money>;
    return !points.some((q, j) => {
      if (j === i) return false;
      const qCost = costs[j] as ReturnType<typeof money>;
      const cheaperOrEqual = qCost.lessThanOrEqualTo(cost);
      const atLeastAsGood = q.accuracy >= p.accuracy;
      return cheaperOrEqual && atLeastAsGood && (qCost.lessThan(cost) || q.accuracy > p.accuracy);
    });
  });
  return onFrontier
    .map((p) => ({ p, cost: money(p.cost) }))
    .sort((a, b) => a.cost.comparedTo(b.cost) || a.p.accuracy - b.p.accuracy)
    .map(({ p }) => p.id);
}
