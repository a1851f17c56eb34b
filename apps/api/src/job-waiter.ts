import { ReasonqError } from "@reasonq/core";
import { type ChannelSubscriber, readDoneAnnouncement } from "@reasonq/queue";
import { type JobRow, jobRowFromText } from "@reasonq/store";

/** How many requests one API process holds open waiting for jobs, in all and for one key. */
export interface LongPollBounds {
  max: number;
  perKey: number;
}

/** A refused long poll is worth trying again this soon: holds end as jobs end. */
const HELD_RETRY_AFTER_MS = 1000;
/**
 * Recently announced job ids kept, so a wait that starts just after its job's announcement
 * (between the caller's read and the wait) still ends at once.
 */
const REMEMBERED_ENDS = 4096;

/** A job's announced end: the row as its worker committed it, when the announcement carried it. */
export interface AnnouncedEnd {
  row?: JobRow;
}

/**
 * Wakes long polls when a worker announces that a job reached a terminal status, on
 * whichever API instance the poll is held. One Redis subscription serves every poll.
 */
export class JobWaiter {
  readonly #waiting = new Map<string, Set<(end: AnnouncedEnd | undefined) => void>>();
  readonly #ended = new Set<string>();
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
   * Resolves with the job's announced end, or with nothing after `ms` or on abort. Without
   * a row in the announcement (or when the wait started after it) the caller reads the row.
   */
  async wait(jobId: string, ms: number, signal?: AbortSignal): Promise<AnnouncedEnd | undefined> {
    if (this.#ended.has(jobId)) return {};
    let wake!: (end: AnnouncedEnd | undefined) => void;
    const woken = new Promise<AnnouncedEnd | undefined>((resolve) => {
      wake = resolve;
    });
    let set = this.#waiting.get(jobId);
    if (set === undefined) {
      set = new Set();
      this.#waiting.set(jobId, set);
    }
    set.add(wake);
    const timer = setTimeout(() => wake(undefined), ms);
    const onAbort = () => wake(undefined);
    signal?.addEventListener("abort", onAbort, { once: true });
    try {
      return await woken;
    } finally {
      clearTimeout(timer);
      signal?.removeEventListener("abort", onAbort);
      set.delete(wake);
      if (set.size === 0) this.#waiting.delete(jobId);
    }
  }

  close(): void {
    this.#unsubscribe?.();
    for (const set of this.#waiting.values()) for (const wake of set) wake(undefined);
    this.#waiting.clear();
  }

  #wake(message: string): void {
    const { jobId, endedRow } = readDoneAnnouncement(message);
    this.#ended.add(jobId);
    if (this.#ended.size > REMEMBERED_ENDS) this.#ended.delete(this.#ended.values().next().value as string);
    // Each waiter gets its own copy: a handler may change the row it answers with.
    for (const wake of this.#waiting.get(jobId) ?? [])
      wake(endedRow === undefined ? {} : { row: jobRowFromText(endedRow) });
  }
}
