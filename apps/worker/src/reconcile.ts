import type { JobQueues } from "@reasonq/queue";
import type { JobRow, Store } from "@reasonq/store";

const BATCH = 500;

/**
 * The database row is the truth: a job it calls unfinished that has not moved for a
 * while must have a live queue entry. Redis may have lost it (restart without
 * persistence) or its entry may have ended without the row ending; either way it is
 * put back. A `running` row goes back to `queued` first (its holder is gone as far as
 * the queue knows), so the new entry claims it and a late holder's result is refused.
 */
export async function reconcileUnfinished(store: Store, queues: JobQueues, staleAfterMs: number): Promise<number> {
  const stale = await store.jobs.unfinishedSince(new Date(Date.now() - staleAfterMs), BATCH);
  let enqueued = 0;
  for (const job of stale) {
    if (await queues.isLive(job.provider, job.id)) continue;
    if (job.status === "running") await store.jobs.requeueLost(job.id);
    await queues.reenqueue(job.provider, job.id);
    enqueued++;
  }
  return enqueued;
}

/**
 * A grid job is counted into its batch when it ends; if that failed (the worker died
 * between the two writes, the database blinked), the batch would never complete. Jobs that
 * ended a while ago and are still uncounted are counted now (counting is idempotent).
 */
export async function reconcileBatches(
  store: Store,
  count: (job: JobRow) => Promise<void>,
  staleAfterMs: number,
): Promise<number> {
  const ids = await store.batches.uncounted(new Date(Date.now() - staleAfterMs), BATCH);
  for (const id of ids) {
    const job = await store.jobs.get(id);
    if (job !== undefined) await count(job);
  }
  return ids.length;
}
