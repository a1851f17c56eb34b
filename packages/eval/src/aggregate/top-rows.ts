/** A row of the batch, by reference: the report fetches its prompt and reasoning. */
export interface RowRef {
  item_id: string;
  variant_id: string;
  repeat: number;
  latency_ms: number | null;
  cost: string;
}

/** The `limit` rows with the largest keys, largest first; ties keep the earlier row. Bounded memory. */
export class TopRows<K> {
  readonly #entries: Array<{ key: K; ref: RowRef }> = [];
  readonly #limit: number;
  readonly #compare: (a: K, b: K) => number;

  constructor(limit: number, compare: (a: K, b: K) => number) {
    this.#limit = limit;
    this.#compare = compare;
  }

  offer(key: K, ref: RowRef): void {
    const entries = this.#entries;
    if (this.#limit <= 0) return;
    const last = entries[entries.length - 1];
    if (entries.length === this.#limit && last !== undefined && this.#compare(key, last.key) <= 0) return;
    let at = entries.length;
    while (at > 0 && this.#compare(key, (entries[at - 1] as { key: K }).key) > 0) at--;
    entries.splice(at, 0, { key, ref });
    if (entries.length > this.#limit) entries.pop();
  }

  rows(): RowRef[] {
    return this.#entries.map((e) => e.ref);
  }
}
