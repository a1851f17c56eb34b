import { ReasonqError } from "@reasonq/core";
import type { ChannelSubscriber } from "@reasonq/queue";

/** How many requests one API process holds open waiting for jobs, in all and for one key. */
export interface LongPollBounds {
  max: number;
  perKey: number;
}

/** A refused long poll is worth trying again this soon: holds end as jobs end. */
const HELD_RETRY_AFTER_MS = 1000;

/**
 * Wakes long polls when a worker announces that a job reached a terminal status, on
 * whichever API instance the poll is held. One Redis subscription serves every poll.
 */
export class JobWaiter {
  readonly #waiting = new Map<string, Set<() => void>>();
  readonly #bounds: LongPollBounds;
  #held = 0;
  readonly #heldByKey = new Map<string, number>();
  #unsubscribe: (() => void) | undefined;

  private constructor(bounds: LongPollBounds) {
    this.#bounds = bounds;
  }

  static async start(
    subscriber: ChannelSubscriber,
    channel: string,
    bounds: LongPollBounds = { max: Number.POSITIVE_INFINITY, perKey: Number.POSITIVE_INFINITY },
  ): Promise<JobWaiter> {
    const waiter = new JobWaiter(bounds);
    waiter.#unsubscribe = await subscriber.subscribe(channel, (jobId) => waiter.#wake(jobId));
    return waiter;
  }

  /** Requests this process holds waiting for jobs right now. */
  get held(): number {
    return this.#held;
  }

  /**
   * Reserves one held request for the key (a `?wait=` read, a synchronous call), to be
   * released when it answers. Past either bound: 429 `rate_limited` with Retry-After, before
   * anything is done, so a client retries (the OpenAI SDKs do) instead of being held.
   */
  hold(keyId: string): () => void {
    const byKey = this.#heldByKey.get(keyId) ?? 0;
    if (this.#held >= this.#bounds.max) {
      throw new ReasonqError(
        "rate_limited",
        `this server already holds ${this.#bounds.max} requests waiting for jobs; retry shortly`,
        { retryAfterMs: HELD_RETRY_AFTER_MS },
      );
    }
    if (byKey >= this.#bounds.perKey) {
      throw new ReasonqError(
        "rate_limited",
        `this key already holds ${this.#bounds.perKey} requests waiting for jobs on this server; retry shortly`,
        { retryAfterMs: HELD_RETRY_AFTER_MS },
      );
    }
    this.#held++;
    this.#heldByKey.set(keyId, byKey + 1);
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.#held--;
      const left = (this.#heldByKey.get(keyId) ?? 1) - 1;
      if (left === 0) this.#heldByKey.delete(keyId);
      else this.#heldByKey.set(keyId, left);
    };
  }

  /**
   * Resolves when the job is announced done or after `ms`. `check` runs after the
   * listener is in place, so an announcement between the caller's read and the wait
   * is not missed.
   */
  async wait(jobId: string, ms: number, check: () => Promise<boolean>, signal?: AbortSignal): Promise<void> {
    let wake!: () => void;
    const woken = new Promise<void>((resolve) => {
      wake = resolve;
    });
    let set = this.#waiting.get(jobId);
    if (set === undefined) {
      set = new Set();
      this.#waiting.set(jobId, set);
    }
    set.add(wake);
    const timer = setTimeout(wake, ms);
    const onAbort = () => wake();
    signal?.addEventListener("abort", onAbort, { once: true });
    try {
      if (await check()) return;
      await woken;
    } finally {
      clearTimeout(timer);
      signal?.removeEventListener("abort", onAbort);
      set.delete(wake);
      if (set.size === 0) this.#waiting.delete(jobId);
    }
  }

  close(): void {
    this.#unsubscribe?.();
    for (const set of this.#waiting.values()) for (const wake of set) wake();
    this.#waiting.clear();
  }

  #wake(jobId: string): void {
    for (const wake of this.#waiting.get(jobId) ?? []) wake();
  }
}
