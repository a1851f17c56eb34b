import type { Redis } from "ioredis";
import { type JobEventLog, type LoggedEvent, parseEntries } from "./event-log.ts";

/** A stream id (`<ms>-<seq>`; "0" reads from the start), parsed once. */
interface Cursor {
  id: string;
  ms: number;
  seq: number;
}

function cursorOf(id: string): Cursor {
  const dash = id.indexOf("-");
  return dash < 0
    ? { id, ms: Number(id), seq: 0 }
    : { id, ms: Number(id.slice(0, dash)), seq: Number(id.slice(dash + 1)) };
}

function isBefore(a: Cursor, b: Cursor): boolean {
  return a.ms < b.ms || (a.ms === b.ms && a.seq < b.seq);
}

interface Waiter {
  after: Cursor;
  resolve: (events: LoggedEvent[]) => void;
}

const RETRY_MS = 1000;
/**
 * How long one XREAD blocks. An interrupt that reaches Redis before the read it was
 * meant for is lost; this bounds how long the follower it was for then waits.
 */
const BACKSTOP_MS = 500;
const COUNT = 500;

/**
 * One blocking Redis reader per process for every follower of live job events: a single
 * XREAD over all followed streams, each from the earliest cursor any of its followers
 * holds, fanned out to them. A follower costs no Redis connection. A new follower whose
 * stream or cursor the pending read does not cover interrupts it (CLIENT UNBLOCK through
 * `control`), so it is served at once.
 */
export class SharedEventReader {
  readonly #log: JobEventLog;
  readonly #reader: Redis;
  readonly #control: Redis;
  /** Waiting followers by job id. */
  readonly #waiters = new Map<string, Set<Waiter>>();
  /** What the pending XREAD covers: the cursor it reads each stream from. */
  #reading: Map<string, Cursor> | undefined;
  #readerId: number | undefined;
  #loop: Promise<void> | undefined;
  #closed = false;

  /** `reader` is this object's own connection (it blocks); `control` any other. */
  constructor(log: JobEventLog, reader: Redis, control: Redis) {
    this.#log = log;
    this.#reader = reader;
    this.#control = control;
    reader.on("error", () => {});
    reader.on("ready", () => {
      this.#readerId = undefined;
    });
  }

  /**
   * The job's events after `after`, as soon as there are any; an empty list after
   * `blockMs` without any, or when `signal` aborts.
   */
  read(jobId: string, after: string, blockMs: number, signal: AbortSignal): Promise<LoggedEvent[]> {
    return new Promise((resolve) => {
      const finish = (events: LoggedEvent[]) => {
        const set = this.#waiters.get(jobId);
        if (set === undefined || !set.delete(waiter)) return;
        if (set.size === 0) this.#waiters.delete(jobId);
        clearTimeout(timer);
        signal.removeEventListener("abort", abort);
        resolve(events);
      };
      const waiter: Waiter = { after: cursorOf(after), resolve: finish };
      const timer = setTimeout(() => finish([]), blockMs);
      const abort = () => finish([]);
      signal.addEventListener("abort", abort, { once: true });
      const set = this.#waiters.get(jobId);
      if (set === undefined) this.#waiters.set(jobId, new Set([waiter]));
      else set.add(waiter);
      if (signal.aborted) return finish([]);
      const covering = this.#reading?.get(jobId);
      if (this.#reading !== undefined && (covering === undefined || isBefore(waiter.after, covering))) {
        void this.#interrupt();
      }
      this.#startLoop();
    });
  }

  /**
   * Runs the read loop unless it runs already. A loop that found no waiters is still
   * settling while a new follower arrives, so the one ending starts the next for it.
   */
  #startLoop(): void {
    if (this.#loop !== undefined) return;
    this.#loop = this.#run().finally(() => {
      this.#loop = undefined;
      if (!this.#closed && this.#waiters.size > 0) this.#startLoop();
    });
  }

  /** Ends every pending read and lets go of the reader connection. */
  close(): void {
    this.#closed = true;
    for (const set of [...this.#waiters.values()]) for (const waiter of [...set]) waiter.resolve([]);
    this.#reader.disconnect();
  }

  async #run(): Promise<void> {
    while (!this.#closed && this.#waiters.size > 0) {
      const from = new Map<string, Cursor>();
      for (const [jobId, set] of this.#waiters) {
        for (const w of set) {
          const current = from.get(jobId);
          if (current === undefined || isBefore(w.after, current)) from.set(jobId, w.after);
        }
      }
      const jobIds = [...from.keys()];
      const byKey = new Map(jobIds.map((id) => [this.#log.key(id), id]));
      let reply: Array<[string, Array<[string, string[]]>]> | null;
      try {
        if (this.#readerId === undefined) {
          this.#readerId = Number(await this.#reader.client("ID"));
          continue;
        }
        // Set right before the command is written, so a follower arriving later knows what it covers.
        this.#reading = from;
        reply = (await this.#reader.xread(
          "COUNT",
          COUNT,
          "BLOCK",
          BACKSTOP_MS,
          "STREAMS",
          ...jobIds.map((id) => this.#log.key(id)),
          ...jobIds.map((id) => (from.get(id) as Cursor).id),
        )) as typeof reply;
      } catch {
        this.#reading = undefined;
        if (this.#closed) return;
        await new Promise((r) => setTimeout(r, RETRY_MS));
        continue;
      }
      this.#reading = undefined;
      for (const [key, entries] of reply ?? []) {
        const jobId = byKey.get(key);
        if (jobId !== undefined) this.#deliver(jobId, parseEntries(entries));
      }
    }
  }

  /**
   * Hands each follower the events past its cursor. A job's followers mostly share one
   * cursor (hundreds of them, in step), so the events past a cursor are found once for it.
   */
  #deliver(jobId: string, events: LoggedEvent[]): void {
    const parsed = events.map((event) => ({ event, at: cursorOf(event.id) }));
    const pastCursor = new Map<string, LoggedEvent[]>();
    for (const waiter of [...(this.#waiters.get(jobId) ?? [])]) {
      let fresh = pastCursor.get(waiter.after.id);
      if (fresh === undefined) {
        fresh = parsed.filter((p) => isBefore(waiter.after, p.at)).map((p) => p.event);
        pastCursor.set(waiter.after.id, fresh);
      }
      if (fresh.length > 0) waiter.resolve(fresh);
    }
  }

  async #interrupt(): Promise<void> {
    if (this.#readerId === undefined) return;
    await this.#control.client("UNBLOCK", this.#readerId).catch(() => {});
  }
}
