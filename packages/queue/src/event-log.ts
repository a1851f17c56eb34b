import type { JobEvent } from "@reasonq/core";
import type { Redis } from "ioredis";

/**
 * A job event as its stream stores it. The end is a bare `{ type: "done" }`: the job it
 * announces is read from the row (the truth) by whoever serves the stream, so the final
 * write does not carry the job's output a second time after its deltas.
 */
export type LogEvent = Exclude<JobEvent, { type: "done" }> | { type: "done" };

export interface LoggedEvent {
  /** The Redis stream entry id: the SSE event id, ordered, unique per job. */
  id: string;
  event: LogEvent;
}

export interface JobEventLogOptions {
  /** How long a finished job's events stay readable (resume after the end). */
  retentionSeconds: number;
  /** Cap on entries per job, so a runaway stream cannot fill Redis. */
  maxEntries?: number;
  /** Where a final append announces the job's end (wakes long polls), in the same round trip. */
  doneChannel?: string;
}

const FIELD = "e";
const DEFAULT_MAX_ENTRIES = 100_000;
/** Every API process receives every announcement: a large row (long answers, images) is read instead. */
const MAX_ANNOUNCED_ROW = 16_384;

/**
 * Live job events as one Redis stream per job. Entry ids are the SSE event ids, so any
 * API instance can resume a client exactly after the last event it saw.
 */
export class JobEventLog {
  readonly #redis: Redis;
  readonly #prefix: string;
  readonly #retentionSeconds: number;
  readonly #maxEntries: number;
  readonly #doneChannel: string | undefined;

  constructor(redis: Redis, prefix: string, options: JobEventLogOptions) {
    this.#doneChannel = options.doneChannel;
    this.#redis = redis;
    this.#prefix = prefix;
    this.#retentionSeconds = options.retentionSeconds;
    this.#maxEntries = options.maxEntries ?? DEFAULT_MAX_ENTRIES;
  }

  key(jobId: string): string {
    return `${this.#prefix}:events:${jobId}`;
  }

  /**
   * Appends in one round trip with one EXPIRE; `final` starts the retention clock and,
   * with a `doneChannel`, announces the end after the events.
   */
  async append(jobId: string, events: readonly LogEvent[], final = false, endedRow?: string): Promise<void> {
    await this.appendMany([{ jobId, events, final, ...(endedRow === undefined ? {} : { endedRow }) }]);
  }

  /**
   * Several jobs' events in one pipeline (submits grouped into one commit). A final batch
   * may carry the job's ended row as text, announced with the end (see `doneAnnouncement`).
   */
  async appendMany(
    batches: ReadonlyArray<{ jobId: string; events: readonly LogEvent[]; final?: boolean; endedRow?: string }>,
  ) {
    const pipeline = this.#redis.pipeline();
    for (const { jobId, events, final = false, endedRow } of batches) {
      if (events.length === 0 && !final) continue;
      const key = this.key(jobId);
      for (const event of events) {
        pipeline.xadd(key, "MAXLEN", "~", this.#maxEntries, "*", FIELD, JSON.stringify(event));
      }
      // Unfinished jobs keep their events too, but not forever: a week bounds what a lost job leaves.
      pipeline.expire(key, final ? this.#retentionSeconds : Math.max(this.#retentionSeconds, 7 * 24 * 3600));
      if (final && this.#doneChannel !== undefined) {
        pipeline.publish(this.#doneChannel, doneAnnouncement(jobId, endedRow));
      }
    }
    if (pipeline.length === 0) return;
    const results = await pipeline.exec();
    const failed = results?.find(([error]) => error !== null)?.[0];
    if (failed) throw failed;
  }

  /**
   * Events after `afterId` ("0" for all). With `blockMs`, waits that long for new ones;
   * blocking needs a connection of its own (`redis.duplicate()`), passed as `reader`.
   */
  async read(jobId: string, afterId: string, options: { count?: number; blockMs?: number; reader?: Redis } = {}) {
    const reader = options.reader ?? this.#redis;
    const count = options.count ?? 500;
    const key = this.key(jobId);
    const reply =
      options.blockMs === undefined
        ? await reader.xread("COUNT", count, "STREAMS", key, afterId)
        : await reader.xread("COUNT", count, "BLOCK", options.blockMs, "STREAMS", key, afterId);
    return parseEntries(reply?.[0]?.[1] ?? []);
  }

  /** The newest event of the job's stream, if it still has one. */
  async last(jobId: string): Promise<LoggedEvent | undefined> {
    const [entry] = await this.#redis.xrevrange(this.key(jobId), "+", "-", "COUNT", 1);
    if (entry === undefined) return undefined;
    const [id, fields] = entry;
    const value = fields[fields.indexOf(FIELD) + 1];
    return value === undefined ? undefined : { id, event: JSON.parse(value) as LogEvent };
  }

  async exists(jobId: string): Promise<boolean> {
    return (await this.#redis.exists(this.key(jobId))) === 1;
  }
}

/**
 * What a job's end publishes: its id, then, when the row is small enough to send, a newline
 * and the row as committed, so whoever waits on the job need not read it back.
 */
export function doneAnnouncement(jobId: string, endedRow?: string): string {
  return endedRow === undefined || endedRow.length > MAX_ANNOUNCED_ROW ? jobId : `${jobId}\n${endedRow}`;
}

export function readDoneAnnouncement(message: string): { jobId: string; endedRow?: string } {
  const newline = message.indexOf("\n");
  return newline === -1
    ? { jobId: message }
    : { jobId: message.slice(0, newline), endedRow: message.slice(newline + 1) };
}

/** Stream entries as events; an entry without our field is not ours and is skipped. */
export function parseEntries(entries: ReadonlyArray<[string, string[]]>): LoggedEvent[] {
  const out: LoggedEvent[] = [];
  for (const [id, fields] of entries) {
    const value = fields[fields.indexOf(FIELD) + 1];
    if (value === undefined) continue;
    out.push({ id, event: JSON.parse(value) as LogEvent });
  }
  return out;
}
