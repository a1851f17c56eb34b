import type { JobEventLog, LogEvent } from "@reasonq/queue";

const DEFAULT_FLUSH_MS = 100;

/**
 * Collects a running job's live events and writes them to its Redis stream every
 * `flushMs`, merging consecutive deltas: a fast provider costs one Redis round trip per
 * interval, not one per token, and the event loop stays free for lock renewal.
 */
export class EventBuffer {
  readonly #log: JobEventLog;
  readonly #jobId: string;
  readonly #onError: (error: unknown) => void;
  #pending: LogEvent[] = [];
  #writing: Promise<void> = Promise.resolve();
  readonly #timer: NodeJS.Timeout;

  constructor(log: JobEventLog, jobId: string, onError: (error: unknown) => void, flushMs = DEFAULT_FLUSH_MS) {
    this.#log = log;
    this.#jobId = jobId;
    this.#onError = onError;
    this.#timer = setInterval(() => void this.flush(), flushMs);
    this.#timer.unref();
  }

  push(event: LogEvent): void {
    const last = this.#pending.at(-1);
    if (
      last !== undefined &&
      (event.type === "reasoning.delta" || event.type === "answer.delta") &&
      last.type === event.type &&
      last.attempt === event.attempt
    ) {
      this.#pending[this.#pending.length - 1] = { ...last, text: last.text + event.text };
      return;
    }
    this.#pending.push(event);
  }

  /** Writes what is pending; writes never overlap, so events keep their order. */
  flush(final = false, endedRow?: string): Promise<void> {
    const batch = this.#pending;
    this.#pending = [];
    this.#writing = this.#writing.then(() =>
      this.#log.append(this.#jobId, batch, final, endedRow).catch((error: unknown) => this.#onError(error)),
    );
    return this.#writing;
  }

  /**
   * Stops the timer and writes the rest; `final` when the job reached a terminal status,
   * announced with its ended row when given.
   */
  async close(final: boolean, endedRow?: string): Promise<void> {
    clearInterval(this.#timer);
    await this.flush(final, endedRow);
  }
}
