import { isTerminal, type WebhookAttempt } from "@reasonq/core";
import { batchHeader } from "@reasonq/jobs";
import type { WebhookQueue } from "@reasonq/queue";
import { BATCH_ENDED, type BatchRow, type JobRow, type Store, toJob } from "@reasonq/store";
import { deliverWebhook, type WebhookSettings } from "@reasonq/webhooks";
import type { Logger } from "pino";

export const JOB_ENDED = "job.ended";

export interface WebhookDeps {
  store: Store;
  queue: WebhookQueue;
  settings: WebhookSettings;
  logger: Logger;
}

/**
 * A finished job with a webhook_url gets its delivery row (the truth) and a queue entry
 * (the pointer). Both are idempotent, so every path that sees the job end may call it.
 */
export async function scheduleJobWebhook(deps: Pick<WebhookDeps, "store" | "queue">, job: JobRow): Promise<void> {
  const url = job.spec.webhook_url;
  if (url === undefined || !isTerminal(job.status)) return;
  await deps.store.webhooks.create({ id: job.id, api_key_id: job.api_key_id, event: JOB_ENDED, url });
  await deps.queue.enqueue(job.id);
}

/**
 * A batch ended by this worker: its delivery row was written in the transaction that ended
 * it, so only the queue entry is added here (the reconciler re-adds it if this is lost).
 */
export async function announceBatchEnd(deps: Pick<WebhookDeps, "queue">, batch: BatchRow): Promise<void> {
  if (batch.webhook_url !== null) await deps.queue.enqueue(batch.id);
}

/** What a delivery carries: the job, or the batch with its jobs counted by status. */
async function subjectOf(store: Store, event: string, id: string): Promise<object | undefined> {
  if (event === BATCH_ENDED) {
    const batch = await store.batches.get(id);
    return batch === undefined ? undefined : batchHeader(batch, await store.batches.statusCounts(id));
  }
  const job = await store.jobs.get(id);
  return job === undefined ? undefined : toJob(job);
}

/**
 * One POST of a delivery: the finished job (or batch) in a Standard Webhooks envelope,
 * signed. A receiver that does not answer 2xx gets the next attempt after the queue's
 * backoff (the thrown error); after the last one, or at once when the destination is
 * refused, the delivery is `failed`. Every attempt is recorded.
 */
export async function deliverEvent(
  deps: WebhookDeps,
  deliveryId: string,
  attempt: number,
  lastAttempt: boolean,
): Promise<void> {
  const delivery = await deps.store.webhooks.get(deliveryId);
  if (delivery === undefined || delivery.status !== "pending") return;
  const data = await subjectOf(deps.store, delivery.event, deliveryId);
  if (data === undefined) return;
  const at = new Date();
  const body = JSON.stringify({ type: delivery.event, timestamp: at.toISOString(), data });
  const result = await deliverWebhook(deps.settings, { id: delivery.id, url: delivery.url, body, at });
  const record: WebhookAttempt = {
    attempt,
    at: at.toISOString(),
    status_code: result.statusCode,
    error: result.error,
    duration_ms: result.durationMs,
  };
  // A refused destination (a blocked address, a malformed URL) fails now: no retry can change it.
  const given = lastAttempt || result.final;
  const status = result.ok ? "delivered" : given ? "failed" : "pending";
  await deps.store.webhooks.recordAttempt(delivery.id, record, status);
  const subject = delivery.event === BATCH_ENDED ? "batch_id" : "job_id";
  const log = deps.logger.child({ [subject]: deliveryId, webhook_attempt: attempt });
  if (result.ok) {
    log.info({ status_code: result.statusCode }, "webhook delivered");
    return;
  }
  log.warn({ status_code: result.statusCode, error: result.error, final: given }, "webhook not delivered");
  if (!given) throw new Error(`webhook not delivered: ${result.error}`);
}

/**
 * The row is the truth: a pending delivery whose queue entry is gone is put back, and a
 * finished job that never got its delivery row (cancelled by the API, or its worker died
 * between the two writes) gets it now. A worker that cannot sign (`delivering` false)
 * still does this for the others, and says so loudly while deliveries wait: left pending
 * they would otherwise wait in silence for a worker with the secret.
 */
export async function reconcileWebhooks(
  deps: Pick<WebhookDeps, "store" | "queue" | "logger"> & { delivering: boolean },
  staleAfterMs: number,
) {
  const before = new Date(Date.now() - staleAfterMs);
  const stale = await deps.store.webhooks.stalePending(before);
  for (const row of stale) await deps.queue.reenqueue(row.id);
  const oldest = stale[0];
  if (!deps.delivering && oldest !== undefined) {
    deps.logger.error(
      { waiting: stale.length, oldest_delivery: oldest.id, oldest_created_at: oldest.created_at },
      "webhook deliveries are waiting and this worker cannot send them: REASONQ_WEBHOOK_SECRET is not set here (give every worker the API's secret)",
    );
  }
  for (const job of await deps.store.webhooks.jobsMissingDelivery(before)) {
    await deps.store.webhooks.create({ id: job.id, api_key_id: job.api_key_id, event: JOB_ENDED, url: job.url });
    await deps.queue.enqueue(job.id);
  }
}
