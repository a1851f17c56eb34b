import type { ChannelSubscriber } from "@reasonq/queue";
import { type ApiKeySummary, hashApiKey, type Store } from "@reasonq/store";

/** A change that missed its broadcast (Redis away) is seen after this at the latest. */
const TTL_MS = 30_000;
const MAX_ENTRIES = 10_000;

/**
 * API keys known to this process, so a request does not read the database to learn who
 * sent it. A revoked or re-capped key is dropped at once on every API process by a
 * broadcast (`reasonq keys revoke|cap` publishes the key id); entries also expire, which
 * bounds what a lost broadcast can leave stale. Unknown keys are not remembered.
 */
export class ApiKeyCache {
  readonly #store: Store;
  readonly #entries = new Map<string, { key: ApiKeySummary; until: number }>();
  #unsubscribe: (() => void) | undefined;

  constructor(store: Store) {
    this.#store = store;
  }

  /** Listens for key changes on `channel`: a message is a key id, or `*` for all. */
  async listen(subscriber: ChannelSubscriber, channel: string): Promise<void> {
    this.#unsubscribe = await subscriber.subscribe(channel, (id) => this.forget(id));
  }

  async authenticate(key: string): Promise<ApiKeySummary | null> {
    const hash = hashApiKey(key);
    const now = Date.now();
    const hit = this.#entries.get(hash);
    if (hit !== undefined && hit.until > now) return hit.key;
    const found = await this.#store.apiKeys.authenticateHash(hash);
    if (found === null) {
      this.#entries.delete(hash);
      return null;
    }
    if (this.#entries.size >= MAX_ENTRIES) this.#entries.delete(this.#entries.keys().next().value as string);
    this.#entries.set(hash, { key: found, until: now + TTL_MS });
    return found;
  }

  forget(id: string): void {
    if (id === "*") {
      this.#entries.clear();
      return;
    }
    for (const [hash, entry] of this.#entries) if (entry.key.id === id) this.#entries.delete(hash);
  }

  close(): void {
    this.#unsubscribe?.();
    this.#entries.clear();
  }
}
