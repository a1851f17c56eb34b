import type { Config } from "@reasonq/core";
import {
  createJobWorker,
  WEBHOOK_QUEUE,
  type WebhookPayload,
  WebhookPayloadSchema,
  type WorkerEvent,
} from "@reasonq/queue";
import type { Worker } from "bullmq";
import type { Redis } from "ioredis";
import { retryDelayMs } from "../to-bullmq-outcome.ts";
import { deliverEvent, type WebhookDeps } from "./job-webhooks.ts";

/** A POST is short; a few at once keep one slow receiver from holding up the others. */
const CONCURRENCY = 8;
const POST_TIMEOUT_MS = 10_000;

/**
 * The consumer of the webhook queue. Without a signing secret nothing is consumed and null
 * is returned: the API refuses webhook_url when it has no secret either, and a worker
 * missing the API's secret says so at start and on every reconcile that finds deliveries
 * waiting (see reconcileWebhooks), rather than refusing to run jobs over it.
 */
export function startWebhookWorker(
  config: Pick<Config, "REASONQ_WEBHOOK_SECRET" | "REASONQ_WEBHOOK_ALLOW_PRIVATE" | "REASONQ_LOCK_DURATION_MS">,
  deps: Omit<WebhookDeps, "settings"> & { connection: Redis; prefix: string; onEvent: (event: WorkerEvent) => void },
): Worker<WebhookPayload> | null {
  const secret = config.REASONQ_WEBHOOK_SECRET;
  if (secret === undefined) {
    deps.logger.warn("REASONQ_WEBHOOK_SECRET is not set: this worker sends no webhooks");
    return null;
  }
  const webhookDeps: WebhookDeps = {
    store: deps.store,
    queue: deps.queue,
    logger: deps.logger,
    settings: { secret, allowPrivate: config.REASONQ_WEBHOOK_ALLOW_PRIVATE, timeoutMs: POST_TIMEOUT_MS },
  };
  return createJobWorker<WebhookPayload>({
    queue: WEBHOOK_QUEUE,
    connection: deps.connection,
    prefix: deps.prefix,
    concurrency: CONCURRENCY,
    lockDurationMs: config.REASONQ_LOCK_DURATION_MS,
    retryDelayMs,
    onEvent: deps.onEvent,
    processor: async (bullJob) => {
      const { deliveryId } = WebhookPayloadSchema.parse(bullJob.data);
      const attempt = bullJob.attemptsMade + 1;
      await deliverEvent(webhookDeps, deliveryId, attempt, attempt >= (bullJob.opts.attempts ?? 1));
    },
  });
}
