import { money } from "@reasonq/billing";
import { ReasonqError } from "@reasonq/core";
import type { JobRow, Store } from "@reasonq/store";

/**
 * A retry may cost the job's whole maximum again, on top of what its earlier attempts were
 * billed, which admission at submit did not count. Under a spend cap it starts only while
 * the key's money (spent, plus every unfinished job at its maximum, this one included)
 * stays within the cap; otherwise the job fails with `budget_exceeded` instead of passing it.
 */
export async function retryOverCap(store: Store, job: JobRow): Promise<ReasonqError | null> {
  if (job.attempts <= 1 || job.max_cost_estimate === null) return null;
  const cap = (await store.apiKeys.get(job.api_key_id))?.spend_cap_usd ?? null;
  if (cap === null) return null;
  const { spent, reserved } = await store.usage.committedBy(job.api_key_id);
  const committed = money(spent).plus(reserved);
  if (committed.lessThanOrEqualTo(money(cap))) return null;
  return new ReasonqError(
    "budget_exceeded",
    `attempt ${job.attempts} is not started: with it the key's spend (${spent} USD billed, ${reserved} USD held by unfinished jobs) would pass its spend cap of ${cap} USD`,
  );
}
