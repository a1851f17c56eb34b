import { money } from "@reasonq/billing";
import { ReasonqError } from "@reasonq/core";
import type { JobRow, Store } from "@reasonq/store";

/**
 * A retry may cost the job's whole maximum again, on top of what its earlier attempts were
 * billed, which admission at submit did not count. It starts only while that stays within
 * every limit on the job: its own `max_cost_usd` (billed so far plus the maximum), its
 * batch's `max_cost_usd` (the batch's spent and reserved money plus what its unfinished
 * jobs have been billed), and its key's spend cap (spent, plus every unfinished job at its
 * maximum, this one included). Otherwise the job fails with `budget_exceeded` instead of
 * passing one; the first attempt was admitted at submit.
 */
export async function retryRefusal(store: Store, job: JobRow): Promise<ReasonqError | null> {
  if (job.attempts <= 1 || job.max_cost_estimate === null) return null;
  return overJobLimit(job) ?? (await overBatchBudget(store, job)) ?? (await overSpendCap(store, job));
}

function overJobLimit(job: JobRow): ReasonqError | null {
  const limit = job.spec.max_cost_usd;
  if (limit === undefined || job.max_cost_estimate === null) return null;
  const billed = job.cost_total ?? "0";
  if (money(billed).plus(job.max_cost_estimate).lessThanOrEqualTo(money(limit))) return null;
  return new ReasonqError(
    "budget_exceeded",
    `attempt ${job.attempts} is not started: the earlier attempts were billed ${billed} USD, and with this one's maximum of ${job.max_cost_estimate} USD the job could pass its max_cost_usd of ${limit} USD`,
    { field: "max_cost_usd" },
  );
}

async function overBatchBudget(store: Store, job: JobRow): Promise<ReasonqError | null> {
  if (job.batch_id === null) return null;
  const budget = await store.batches.budget(job.batch_id);
  if (budget === undefined || money(budget.committed).lessThanOrEqualTo(money(budget.limit))) return null;
  return new ReasonqError(
    "budget_exceeded",
    `attempt ${job.attempts} is not started: the batch has ${budget.committed} USD spent, billed or held by unfinished jobs, more than its max_cost_usd of ${budget.limit} USD`,
  );
}

async function overSpendCap(store: Store, job: JobRow): Promise<ReasonqError | null> {
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
