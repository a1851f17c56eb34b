import { Queue } from "bullmq";
import type { Redis } from "ioredis";
import {
  BATCH_QUEUE,
  channels,
  type FanOutPayload,
  queueNameFor,
  type RunJobPayload,
  runJobOptions,
} from "./catalog.ts";

export interface JobQueuesOptions {
  connection: Redis;
  prefix: string;
  families: readonly string[];
  attempts: number;
  /** Connection errors of the queues (Redis away); BullMQ prints them raw without a listener. */
  onError: (error: Error) => void;
}

/** The producer side: puts job pointers on their provider's queue and signals holders. */
export class JobQueues {
  readonly #queues = new Map<string, Queue<RunJobPayload>>();
  readonly #batches: Queue<FanOutPayload>;
  readonly #connection: Redis;
  readonly #channels: ReturnType<typeof channels>;
  readonly #attempts: number;

  constructor(options: JobQueuesOptions) {
    this.#connection = options.connection;
    this.#channels = channels(options.prefix);
    this.#attempts = options.attempts;
    this.#batches = new Queue(BATCH_QUEUE, { connection: options.connection, prefix: options.prefix });
    this.#batches.on("error", options.onError);
    for (const family of options.families) {
      const queue = new Queue<RunJobPayload>(queueNameFor(family), {
        connection: options.connection,
        prefix: options.prefix,
      });
      queue.on("error", options.onError);
      this.#queues.set(family, queue);
    }
  }

  queue(family: string): Queue<RunJobPayload> {
    const queue = this.#queues.get(family);
    if (queue === undefined) throw new Error(`no queue for provider family "${family}"`);
    return queue;
  }

  /** Idempotent: the BullMQ job id is the reasonq job id, so a second add is ignored. */
  async enqueue(family: string, jobId: string): Promise<void> {
    await this.queue(family).add("run", { v: 1, jobId }, runJobOptions(jobId, this.#attempts));
  }

  /** Whether the queue still holds a live entry for the job (waiting, delayed or being run). */
  async isLive(family: string, jobId: string): Promise<boolean> {
    const existing = await this.queue(family).getJob(jobId);
    if (existing === undefined) return false;
    const state = await existing.getState();
    return state !== "completed" && state !== "failed" && state !== "unknown";
  }

  /** Replaces a dead entry (ended, or lost with Redis) with a fresh one. */
  async reenqueue(family: string, jobId: string): Promise<void> {
    await this.queue(family).remove(jobId);
    await this.enqueue(family, jobId);
  }

  /** Many pointers in one round trip (batch fan-out). */
  async enqueueMany(jobs: ReadonlyArray<{ id: string; provider: string }>): Promise<void> {
    const byFamily = new Map<string, string[]>();
    for (const job of jobs) {
      const ids = byFamily.get(job.provider);
      if (ids === undefined) byFamily.set(job.provider, [job.id]);
      else ids.push(job.id);
    }
    for (const [family, ids] of byFamily) {
      await this.queue(family).addBulk(
        ids.map((jobId) => ({
          name: "run",
          data: { v: 1 as const, jobId },
          opts: runJobOptions(jobId, this.#attempts),
        })),
      );
    }
  }

  /**
   * Asks for the next fan-out step of a batch. `step` (jobs created so far) names the
   * step, so asking twice for the same step queues it once.
   */
  async requestFanOut(batchId: string, step: number): Promise<void> {
    await this.#batches.add(
      "fan-out",
      { v: 1, batchId },
      {
        jobId: `fanout-${batchId}-${step}`,
        attempts: 10,
        backoff: { type: "exponential", delay: 1000 },
        removeOnComplete: true,
        removeOnFail: { age: 24 * 3600 },
      },
    );
  }

  async signalCancel(jobId: string): Promise<void> {
    await this.#connection.publish(this.#channels.cancel, jobId);
  }

  async depth(): Promise<Record<string, number>> {
    const out: Record<string, number> = {};
    for (const [family, queue] of this.#queues) {
      out[family] = await queue.count();
    }
    return out;
  }

  async close(): Promise<void> {
    await Promise.all([...this.#queues.values(), this.#batches].map((q) => q.close()));
  }
}
