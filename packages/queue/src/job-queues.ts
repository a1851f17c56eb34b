import { Queue } from "bullmq";
import type { Redis } from "ioredis";
import { channels, queueNameFor, type RunJobPayload, runJobOptions } from "./catalog.ts";

export interface JobQueuesOptions {
  connection: Redis;
  prefix: string;
  families: readonly string[];
  attempts: number;
}

/** The producer side: puts job pointers on their provider's queue and signals holders. */
export class JobQueues {
  readonly #queues = new Map<string, Queue<RunJobPayload>>();
  readonly #connection: Redis;
  readonly #channels: ReturnType<typeof channels>;
  readonly #attempts: number;

  constructor(options: JobQueuesOptions) {
    this.#connection = options.connection;
    this.#channels = channels(options.prefix);
    this.#attempts = options.attempts;
    for (const family of options.families) {
      this.#queues.set(
        family,
        new Queue(queueNameFor(family), { connection: options.connection, prefix: options.prefix }),
      );
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
    await Promise.all([...this.#queues.values()].map((q) => q.close()));
  }
}
