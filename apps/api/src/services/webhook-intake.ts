import { ReasonqError } from "@reasonq/core";
import type { WebhookQueue } from "@reasonq/queue";
import type { BatchRow, JobRow, Store } from "@reasonq/store";
import { checkDestination } from "@reasonq/webhooks";

/** Present when the server signs webhooks (REASONQ_WEBHOOK_SECRET is set). */
export interface WebhookIntake {
  /** Lets webhook_url name private, loopback and link-local addresses. */
  allowPrivate: boolean;
  queue: WebhookQueue;
}

/**
 * A webhook_url is refused at submit when the server cannot sign deliveries, and when it
 * names or resolves to an address the service must not POST to (SSRF), unless allowed.
 */
export async function checkWebhookUrl(intake: WebhookIntake | undefined, url: string | undefined): Promise<void> {
  if (url === undefined) return;
  if (intake === undefined) {
    throw new ReasonqError(
      "invalid_request",
      "webhook_url: this server does not send webhooks (REASONQ_WEBHOOK_SECRET is not set)",
      { field: "webhook_url" },
    );
  }
  const check = await checkDestination(url, { allowPrivate: intake.allowPrivate });
  if (!check.ok) throw new ReasonqError("invalid_request", `webhook_url ${check.reason}`, { field: "webhook_url" });
}

/** A job the API itself ended (a queued job cancelled) gets its webhook scheduled here, as a worker would. */
export async function scheduleWebhookOf(store: Store, intake: WebhookIntake | undefined, job: JobRow): Promise<void> {
  const url = job.spec.webhook_url;
  if (intake === undefined || url === undefined) return;
  await store.webhooks.create({ id: job.id, api_key_id: job.api_key_id, event: "job.ended", url });
  await intake.queue.enqueue(job.id);
}

/**
 * A batch the API itself ended (cancelled with nothing in flight, or its last job
 * cancelled here): its delivery row was written with the end, this queues the pointer.
 */
export async function announceBatchEnd(intake: WebhookIntake | undefined, batch: BatchRow | undefined): Promise<void> {
  if (intake === undefined || batch?.completed_at == null || batch.webhook_url === null) return;
  await intake.queue.enqueue(batch.id);
}
