import { randomUUID } from "node:crypto";
import type { Redis } from "ioredis";

const ENTRY_MARGIN_MS = 60_000;
const DELETE_IF_EQUAL = `if redis.call("get", KEYS[1]) == ARGV[1] then return redis.call("del", KEYS[1]) end return 0`;

/**
 * Jobs of synchronous calls whose client went away, waiting a grace period for a retry of
 * the same request to take them over before they are cancelled. Shared through Redis, so
 * a retry that reaches another API instance finds the job too. Whoever deletes a job's
 * entry first decides: the retry (it attaches) or the grace timer (it cancels).
 */
export class DisconnectedCalls {
  readonly #redis: Redis;
  readonly #prefix: string;

  constructor(redis: Redis, prefix: string) {
    this.#redis = redis;
    this.#prefix = prefix;
  }

  #job(jobId: string): string {
    return `${this.#prefix}:disconnected:job:${jobId}`;
  }

  #request(ownerId: string, requestHash: string): string {
    return `${this.#prefix}:disconnected:request:${ownerId}:${requestHash}`;
  }

  /**
   * Records that the job's caller left; the returned token names this departure. A retry
   * can find the job for `graceMs`; the job's own entry outlives that, so the grace timer
   * still finds it, and lapses by itself when the instance that holds the timer dies (the
   * job then runs to its end).
   */
  async add(jobId: string, ownerId: string, requestHash: string, graceMs: number): Promise<string> {
    const token = randomUUID();
    await this.#redis
      .multi()
      .set(this.#job(jobId), token, "PX", graceMs + ENTRY_MARGIN_MS)
      .set(this.#request(ownerId, requestHash), jobId, "PX", Math.max(1, graceMs))
      .exec();
    return token;
  }

  /** A retry of the request takes the job over: its id, or undefined when there is none (any more). */
  async takeOver(ownerId: string, requestHash: string): Promise<string | undefined> {
    const jobId = await this.#redis.getdel(this.#request(ownerId, requestHash));
    if (jobId === null) return undefined;
    return (await this.#redis.del(this.#job(jobId))) === 1 ? jobId : undefined;
  }

  /**
   * The grace period of the departure `token` ended: true when no retry took the job over
   * since (the caller cancels it). A later departure of the same job (a retry that took it
   * over and went away too) has its own token and timer, which this one leaves alone.
   */
  async expire(jobId: string, token: string): Promise<boolean> {
    return (await this.#redis.eval(DELETE_IF_EQUAL, 1, this.#job(jobId), token)) === 1;
  }
}
