import type { JobsOptions } from "bullmq";
import { z } from "zod";

/**
 * The queue payload is a pointer: the database row is the truth. New fields must be
 * optional so jobs already waiting in Redis survive a deploy.
 */
export const RunJobPayloadSchema = z.object({ v: z.literal(1), jobId: z.string().min(1) });
export type RunJobPayload = z.infer<typeof RunJobPayloadSchema>;

/** One queue per provider family, so one provider's rate limit never stalls another's jobs. */
export function queueNameFor(family: string): string {
  return `jobs-${family}`;
}

/** Batch fan-out steps: each creates the next chunk of a batch's grid jobs. */
export const BATCH_QUEUE = "batches";
export const FanOutPayloadSchema = z.object({ v: z.literal(1), batchId: z.string().min(1) });
export type FanOutPayload = z.infer<typeof FanOutPayloadSchema>;

/** The backoff type whose delay the worker computes (it honours the provider's retry-after). */
export const PROVIDER_BACKOFF = "provider";

export function runJobOptions(jobId: string, attempts: number): JobsOptions {
  return {
    jobId,
    attempts,
    backoff: { type: PROVIDER_BACKOFF },
    removeOnComplete: { age: 24 * 3600, count: 10_000 },
    removeOnFail: { age: 7 * 24 * 3600, count: 10_000 },
  };
}

/** Redis pub/sub channels beside the queues, under the same prefix. */
export function channels(prefix: string) {
  return {
    /** A job id whose holder must abort it. */
    cancel: `${prefix}:cancel`,
    /** A job id that just reached a terminal status (wakes long polls). */
    jobDone: `${prefix}:job-done`,
    /** An API key id that was revoked or re-capped (`*`: all), so API processes forget it. */
    apiKeys: `${prefix}:api-keys`,
  };
}
