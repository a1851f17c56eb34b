import { type Job, type Processor, Worker } from "bullmq";
import type { Redis } from "ioredis";
import { PROVIDER_BACKOFF } from "./catalog.ts";

export interface JobWorkerOptions<T> {
  /** The queue's name (`queueNameFor(family)`, or `BATCH_QUEUE`). */
  queue: string;
  connection: Redis;
  prefix: string;
  concurrency: number;
  /** A holder that stops renewing (killed) loses the job this long after its last renewal. */
  lockDurationMs: number;
  processor: Processor<T>;
  /** Delay before a retry: the error's own retry-after when it has one, else exponential. */
  retryDelayMs: (attemptsMade: number, error: Error | undefined) => number;
  onEvent: (event: WorkerEvent) => void;
  /**
   * Jobs started per minute on this queue, counted in Redis for all its workers (a provider
   * queue passes its limit, or `UNBOUNDED`). With it set, a rate limit put on the queue
   * (`queue.rateLimit`, after a provider's 429) holds every worker, not only the one that saw it.
   */
  perMinute?: number;
}

/** A limiter that never binds by count: a provider queue without a configured rate still honours a 429's pause. */
export const UNBOUNDED = 2 ** 31 - 1;

export type WorkerEvent =
  | { type: "error"; error: Error }
  | { type: "failed"; job: Job | undefined; error: Error }
  | { type: "stalled"; jobId: string }
  | { type: "lock-renewal-failed"; jobIds: string[] };

/**
 * A consumer of one queue (a provider's, or the batch fan-out queue). Stalled-job recovery is BullMQ's: a job whose
 * holder stops renewing its lock is moved back to wait and delivered again; the
 * delivery count (`attemptsStarted`) lets the job row tell a takeover from a duplicate.
 */
export function createJobWorker<T>(options: JobWorkerOptions<T>): Worker<T> {
  const worker = new Worker<T>(options.queue, options.processor, {
    connection: options.connection,
    prefix: options.prefix,
    concurrency: options.concurrency,
    lockDuration: options.lockDurationMs,
    // A dead holder's jobs go back within lockDuration + stalledInterval (10 s + 2 s by default):
    // the check is one Lua call per queue, cheap enough to run often for a 15 s handover target.
    stalledInterval: Math.max(1000, Math.floor(options.lockDurationMs / 5)),
    maxStalledCount: 5,
    ...(options.perMinute === undefined ? {} : { limiter: { max: options.perMinute, duration: 60_000 } }),
    settings: {
      backoffStrategy: (attemptsMade, type, error) =>
        type === PROVIDER_BACKOFF ? options.retryDelayMs(attemptsMade, error) : 1000,
    },
  });
  worker.on("error", (error) => options.onEvent({ type: "error", error }));
  worker.on("failed", (job, error) => options.onEvent({ type: "failed", job, error }));
  worker.on("stalled", (jobId) => options.onEvent({ type: "stalled", jobId }));
  worker.on("lockRenewalFailed", (jobIds) => options.onEvent({ type: "lock-renewal-failed", jobIds }));
  return worker;
}
