import type { ChannelSubscriber } from "@reasonq/queue";

/**
 * Wakes long polls when a worker announces that a job reached a terminal status, on
 * whichever API instance the poll is held. One Redis subscription serves every poll.
 */
export class JobWaiter {
  readonly #waiting = new Map<string, Set<() => void>>();
  #unsubscribe: (() => void) | undefined;

  static async start(subscriber: ChannelSubscriber, channel: string): Promise<JobWaiter> {
    const waiter = new JobWaiter();
    waiter.#unsubscribe = await subscriber.subscribe(channel, (jobId) => waiter.#wake(jobId));
    return waiter;
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
