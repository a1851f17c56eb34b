import { isTerminal } from "@reasonq/core";
import type { JobEventLog, LoggedEvent, SharedEventReader } from "@reasonq/queue";
import { type Store, toJob } from "@reasonq/store";

export interface FollowDeps {
  store: Store;
  events: JobEventLog;
  /** The process's one blocking reader, shared by every follower. */
  eventReader: SharedEventReader;
}

/** How long one wait for new events lasts; also the keep-alive interval. */
const BLOCK_MS = 15_000;

/**
 * Yields a job's live events after `after` until its `done` event, from whichever API
 * instance runs this. `null` items are keep-alive ticks (nothing new for a while).
 * When the job is terminal but its stream has no `done` (the stream expired, or its
 * worker died between commit and publish), a `done` is made from the database row.
 */
export async function* followJobEvents(
  deps: FollowDeps,
  jobId: string,
  after: string,
  signal: AbortSignal,
): AsyncGenerator<LoggedEvent | null> {
  let cursor = after;
  // The row is read at the start and after every quiet spell, never per batch of events.
  let checkRow = true;
  while (!signal.aborted) {
    let row: Awaited<ReturnType<Store["jobs"]["get"]>>;
    if (checkRow) row = await deps.store.jobs.get(jobId);
    const terminal = row !== undefined && isTerminal(row.status);
    const batch = terminal
      ? await deps.events.read(jobId, cursor)
      : await deps.eventReader.read(jobId, cursor, BLOCK_MS, signal);
    if (signal.aborted) return;
    for (const item of batch) {
      cursor = item.id;
      yield item;
      if (item.event.type === "done") return;
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

/** An id after everything the client has seen, so a resume with it reads nothing more. */
function syntheticId(completedAt: Date | null, cursor: string): string {
  const [ms = "0"] = cursor.split("-");
  const at = Math.max(completedAt?.getTime() ?? 0, Number(ms) + 1);
  return `${at}-0`;
}
