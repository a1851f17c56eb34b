import { Queue } from "bullmq";
import type { Redis } from "ioredis";
import { z } from "zod";

/** Webhook deliveries: one queue for all providers, consumed by every worker. */
export const WEBHOOK_QUEUE = "webhooks";

export const WebhookPayloadSchema = z.object({ v: z.literal(1), deliveryId: z.string() });
export type WebhookPayload = z.infer<typeof WebhookPayloadSchema>;

export interface WebhookQueueOptions {
  connection: Redis;
  prefix: string;
  /** POSTs before the delivery is given up. */
  attempts: number;
  /** The first retry's delay; BullMQ doubles it each time. */
  backoffMs: number;
  onError: (error: Error) => void;
}

/** The producer side of webhook deliveries: a pointer to the delivery row, retried with exponential backoff. */
export class WebhookQueue {
  readonly #queue: Queue<WebhookPayload>;
  readonly #options: WebhookQueueOptions;

  constructor(options: WebhookQueueOptions) {
    this.#options = options;
    this.#queue = new Queue(WEBHOOK_QUEUE, { connection: options.connection, prefix: options.prefix });
    this.#queue.on("error", options.onError);
  }

  /** Idempotent while the entry lives: the BullMQ job id is the delivery id. */
  async enqueue(deliveryId: string): Promise<void> {
    await this.#queue.add(
      "deliver",
      { v: 1, deliveryId },
      {
        jobId: deliveryId,
        attempts: this.#options.attempts,
        backoff: { type: "exponential", delay: this.#options.backoffMs },
        removeOnComplete: { age: 24 * 3600, count: 10_000 },
        removeOnFail: { age: 7 * 24 * 3600, count: 10_000 },
      },
    );
  }

  /** Puts back a pending delivery whose entry is gone (lost with Redis, or ended without recording). */
  async reenqueue(deliveryId: string): Promise<void> {
    const existing = await this.#queue.getJob(deliveryId);
    if (existing !== undefined) {
      const state = await existing.getState();
      if (state !== "completed" && state !== "failed" && state !== "unknown") return;
      await existing.remove();
    }
    await this.enqueue(deliveryId);
  }

  async close(): Promise<void> {
    await this.#queue.close();
  }
}
