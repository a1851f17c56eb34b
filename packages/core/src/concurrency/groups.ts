interface Waiting<I, O> {
  item: I;
  resolve: (out: O) => void;
  reject: (error: unknown) => void;
}

export interface GroupsOptions<I> {
  /** Groups in flight at once; calls arriving meanwhile wait and go together in the next. */
  maxInFlight: number;
  maxGroup: number;
  /** Items with the same key never share a group (one statement cannot run them in order). */
  key?: (item: I) => string;
  /**
   * Whether a failed group runs each of its calls again alone, so one bad call fails only
   * itself; without it, every call of the group gets the group's error.
   */
  retryAlone?: (error: unknown) => boolean;
}

/**
 * Group commit: calls that arrive while earlier groups are in flight go together in the
 * next, as one `run` (one round trip, one commit). A lone call goes at once, so grouping
 * adds no wait to a quiet process. `run` answers a group's calls in order.
 */
export class Groups<I, O> {
  readonly #run: (items: I[]) => Promise<O[]>;
  readonly #options: GroupsOptions<I>;
  #waiting: Array<Waiting<I, O>> = [];
  #inFlight = 0;

  constructor(run: (items: I[]) => Promise<O[]>, options: GroupsOptions<I>) {
    this.#run = run;
    this.#options = options;
  }

  submit(item: I): Promise<O> {
    return new Promise((resolve, reject) => {
      this.#waiting.push({ item, resolve, reject });
      this.#next();
    });
  }

  #next(): void {
    while (this.#inFlight < this.#options.maxInFlight && this.#waiting.length > 0) {
      const group: Array<Waiting<I, O>> = [];
      const keys = new Set<string>();
      const later: Array<Waiting<I, O>> = [];
      for (const waiting of this.#waiting) {
        const key = this.#options.key?.(waiting.item);
        if (group.length < this.#options.maxGroup && (key === undefined || !keys.has(key))) {
          if (key !== undefined) keys.add(key);
          group.push(waiting);
        } else {
          later.push(waiting);
        }
      }
      this.#waiting = later;
      this.#inFlight++;
      void this.#write(group).finally(() => {
        this.#inFlight--;
        this.#next();
      });
    }
  }

  async #write(group: Array<Waiting<I, O>>): Promise<void> {
    try {
      const outs = await this.#run(group.map((w) => w.item));
      group.forEach((w, i) => {
        w.resolve(outs[i] as O);
      });
    } catch (error) {
      if (group.length === 1 || this.#options.retryAlone?.(error) !== true) {
        for (const w of group) w.reject(error);
        return;
      }
      await Promise.all(group.map((w) => this.#run([w.item]).then((outs) => w.resolve(outs[0] as O), w.reject)));
    }
  }
}
