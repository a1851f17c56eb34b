import { addDecimalStrings, money } from "@reasonq/billing";
import { type BatchSpec, type PlanDeps, parseBatchSpec, planGridJob, StepAdmission } from "@reasonq/jobs";
import type { JobQueues } from "@reasonq/queue";
import type { BatchRow, Store } from "@reasonq/store";

export interface FanOutDeps extends PlanDeps {
  store: Store;
  queues: JobQueues;
  /** Told of a batch this worker ended (its webhook delivery row is already written). */
  batchEnded?: (batch: BatchRow) => Promise<void>;
}

/** Jobs created per step; a step is one transaction. */
export const FAN_OUT_CHUNK = 500;
/** Unfinished jobs a batch may have at once: the queue holds pointers, not the whole grid. */
export const MAX_IN_FLIGHT = 2000;

/**
 * One fan-out step: plans the next chunk of the grid and enqueues it. Another step is
 * asked for while a full chunk was created; finishing jobs ask again when the in-flight
 * count falls (see score-grid-job.ts), so a 100,000-job batch flows through in chunks.
 * With `max_cost_usd`, no job starts unless spent + what unfinished jobs' earlier attempts
 * were billed + reserved (in flight, at their maximum) + its own maximum stays within the budget. Every job is also admitted against
 * its key's spend cap as a single submit is; a job that does not fit pauses the batch
 * while its jobs in flight may free room, and stops it (`stop_reason: "spend_cap"`,
 * status `budget_exhausted`) when none are left to.
 */
export async function fanOutStep(deps: FanOutDeps, batchId: string): Promise<void> {
  let reservedHere = "0";
  // One batch per step: its spec is read and the key's money counted once, not per cell.
  let step: { spec: BatchSpec; admission: StepAdmission } | undefined;
  const result = await deps.store.batches.fanOut(
    batchId,
    { chunk: FAN_OUT_CHUNK, maxInFlight: MAX_IN_FLIGHT },
    (cell, batch, key, billedInFlight) => {
      step ??= { spec: parseBatchSpec(batch.spec, batch.id), admission: new StepAdmission(key) };
      const planned = planGridJob(deps, batch, step.spec, cell, key);
      let reserve = "0";
      if (batch.max_cost_usd !== null) {
        reserve = planned.estimate?.maxCost ?? "0";
        const committed = addDecimalStrings([
          batch.spent_usd,
          billedInFlight,
          batch.reserved_usd,
          reservedHere,
          reserve,
        ]);
        if (money(committed).greaterThan(money(batch.max_cost_usd))) return { stop: "budget" };
      }
      if (!step.admission.admit(planned)) return { stop: "spend_cap" };
      reservedHere = addDecimalStrings([reservedHere, reserve]);
      return { job: planned.row, reservedUsd: reserve };
    },
  );
  if (result.ended !== undefined) await deps.batchEnded?.(result.ended);
  if (result.created.length > 0) await deps.queues.enqueueMany(result.created);
  if (!result.stopped && result.created.length === FAN_OUT_CHUNK && result.createdJobs < result.totalJobs) {
    await deps.queues.requestFanOut(batchId, result.createdJobs);
  }
}
