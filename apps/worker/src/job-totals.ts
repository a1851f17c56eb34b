import { sumCosts } from "@reasonq/billing";
import { addUsage, type Cost, type Usage } from "@reasonq/core";
import type { Store } from "@reasonq/store";

/**
 * A job's usage and cost over all its attempts, this one included: the exact sums of the
 * attempts' own. A first attempt has no earlier ones, so it reads nothing.
 */
export async function jobTotals(
  store: Store,
  jobId: string,
  attempt: number,
  usage: Usage | null,
  cost: Cost | null,
): Promise<{ jobUsage: Usage | null; jobCost: Cost | null }> {
  const earlier = attempt === 1 ? [] : (await store.jobs.attempts(jobId)).filter((a) => a.attempt !== attempt);
  const usages = [...earlier.flatMap((a) => (a.usage === null ? [] : [a.usage])), ...(usage ? [usage] : [])];
  const costs = [...earlier.flatMap((a) => (a.cost === null ? [] : [a.cost])), ...(cost ? [cost] : [])];
  return {
    jobUsage: usages.length === 0 ? null : usages.reduce(addUsage),
    jobCost: costs.length === 0 ? null : sumCosts(costs as [Cost, ...Cost[]]),
  };
}
