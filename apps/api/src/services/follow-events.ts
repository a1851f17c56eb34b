import { isTerminal, type JobEvent } from "@reasonq/core";
import type { JobEventLog, SharedEventReader } from "@reasonq/queue";
import { type JobRow, type Store, toJob } from "@reasonq/store";
import type { SharedJobReads } from "./shared-job-reads.ts";

export interface FollowDeps {
  store: Store;
  events: JobEventLog;
  /** The process's one blocking reader, shared by every follower. */
  eventReader: SharedEventReader;
  /** Row reads of one job at the same moment, shared by its followers. */
  jobReads: SharedJobReads;
}

/** An event as clients get it: `done` carries the job, read from its row. */
export interface FollowedEvent {
  id: string;
  event: JobEvent;
}

/** How long one wait for new events lasts; also the keep-alive interval. */
const BLOCK_MS = 15_000;

/**
 * Yields a job's live events after `after` until its `done` event, from whichever API
 * instance runs this. `null` items are keep-alive ticks (nothing new for a while).
 * When the job is terminal but its stream has no `done` (the stream expired, or its
 * worker died between commit and publish), a `done` is made from the database row. The
 * stream's own `done` is a bare marker; the job it carries to the client is the row too.
 */
export async function* followJobEvents(
  deps: FollowDeps,
  jobId: string,
  after: string,
  signal: AbortSignal,
): AsyncGenerator<FollowedEvent | null> {
  let cursor = after;
  // The row is read at the start and after every quiet spell, never per batch of events.
  let checkRow = true;
  let row: JobRow | undefined;
  while (!signal.aborted) {
    if (checkRow) row = await deps.jobReads.get(jobId);
    const terminal = row !== undefined && isTerminal(row.status);
    const batch = terminal
      ? await deps.events.read(jobId, cursor)
      : await deps.eventReader.read(jobId, cursor, BLOCK_MS, signal);
    if (signal.aborted) return;
    for (const item of batch) {
      cursor = item.id;
      if (item.event.type === "done") {
        // A terminal row read before this batch is the ended job already: no second read.
        const ended = terminal ? row : await deps.jobReads.getEnded(jobId);
        if (ended !== undefined) yield { id: item.id, event: { type: "done", job: toJob(ended) } };
        return;
      }
      yield { id: item.id, event: item.event };
    }
    checkRow = batch.length === 0;
    if (batch.length > 0) continue;
    if (terminal && row !== undefined) {
      yield { id: syntheticId(row.completed_at, cursor), event: { type: "done", job: toJob(row) } };
      return;
    }
    yield null;
  }
}

/**
 * An id after everything the client has seen and after the job's end, so a resume with it
 * reads nothing more and is recognised as past the end.
 */
function syntheticId(completedAt: Date | null, cursor: string): string {
  const at = Math.max((completedAt?.getTime() ?? 0) + 1, msOf(cursor) + 1);
  return `${at}-0`;
}

function msOf(eventId: string): number {
  return Number(eventId.split("-")[0] ?? "0");
}

/**
 * Whether a client resuming after `after` has already seen the job's `done`: the job ended,
 * nothing follows `after`, and either the stream's last event is `done` or (the stream
 * expired, or lost its `done`) `after` is a made-up `done` id from past the end. Such a
 * resume answers 204, which stops an EventSource, instead of a `done` every time.
 */
export async function seenTheEnd(deps: FollowDeps, row: JobRow, after: string): Promise<boolean> {
  if (after === "0" || !isTerminal(row.status)) return false;
  if ((await deps.events.read(row.id, after, { count: 1 })).length > 0) return false;
  const last = await deps.events.last(row.id);
  if (last?.event.type === "done") return true;
  return row.completed_at !== null && msOf(after) > row.completed_at.getTime();
}
