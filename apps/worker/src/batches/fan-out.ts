import { addDecimalStrings, money } from "@reasonq/billing";
import type { JobQueues } from "@reasonq/queue";
import type { NewJob, Store } from "@reasonq/store";
import { type GridDeps, gridJob } from "./grid-job.ts";

export interface FanOutDeps extends GridDeps {
  store: Store;
  queues: JobQueues;
  /** The most a job can cost (exact decimal), reserved against the batch budget while it runs. */
  maxCostOf: (job: NewJob) => string;
}

/** Jobs created per step; a step is one transaction. */
export const FAN_OUT_CHUNK = 500;
/** Unfinished jobs a batch may have at once: the queue holds pointers, not the whole grid. */
export const MAX_IN_FLIGHT = 2000;

/**
 * One fan-out step: creates the next chunk of the grid and enqueues it. Another step is
 * asked for while a full chunk was created; finishing jobs ask again when the in-flight
 * count falls (see batch-results.ts), so a 100,000-job batch flows through in chunks.
 * With `max_cost_usd`, no job starts unless spent + reserved (in flight, at their
 * maximum) + its own maximum stays within the budget.
 */
export async function fanOutStep(deps: FanOutDeps, batchId: string): Promise<void> {
  let reservedHere = "0";
  const result = await deps.store.batches.fanOut(
    batchId,
    { chunk: FAN_OUT_CHUNK, maxInFlight: MAX_IN_FLIGHT },
    (cell, batch) => {
      const job = gridJob(deps, batch, cell);
      if (batch.max_cost_usd === null) return { job, reservedUsd: "0" };
      const reserve = deps.maxCostOf(job);
      const committed = addDecimalStrings([batch.spent_usd, batch.reserved_usd, reservedHere, reserve]);
      if (money(committed).greaterThan(money(batch.max_cost_usd))) return { stop: "budget" };
      reservedHere = addDecimalStrings([reservedHere, reserve]);
      return { job, reservedUsd: reserve };
    },
  );
  if (result.created.length > 0) await deps.queues.enqueueMany(result.created);
  if (!result.stopped && result.created.length === FAN_OUT_CHUNK && result.createdJobs < result.totalJobs) {
    await deps.queues.requestFanOut(batchId, result.createdJobs);
  }
}
