import type { Redis } from "ioredis";

/**
 * One subscriber connection per process, fanning messages out to local listeners by
 * channel. A subscribed ioredis connection can do nothing else, hence its own.
 */
export class ChannelSubscriber {
  readonly #redis: Redis;
  readonly #listeners = new Map<string, Set<(message: string) => void>>();

  constructor(redis: Redis) {
    this.#redis = redis;
    redis.on("message", (channel: string, message: string) => {
      for (const listener of this.#listeners.get(channel) ?? []) listener(message);
    });
  }

  async subscribe(channel: string, listener: (message: string) => void): Promise<() => void> {
    let set = this.#listeners.get(channel);
    if (set === undefined) {
      set = new Set();
      this.#listeners.set(channel, set);
      await this.#redis.subscribe(channel);
    }
    set.add(listener);
    return () => set.delete(listener);
  }

  async close(): Promise<void> {
    this.#listeners.clear();
    await this.#redis.quit().catch(() => this.#redis.disconnect());
  }
}
