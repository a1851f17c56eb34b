import { isTerminal } from "@reasonq/core";
import type { JobEventLog, LoggedEvent } from "@reasonq/queue";
import { type Store, toJob } from "@reasonq/store";
import type { Redis } from "ioredis";

export interface FollowDeps {
  store: Store;
  events: JobEventLog;
  /** A fresh connection for blocking reads (one per follower). */
  openReader: () => Redis;
}

/** How long one blocking read waits; also the keep-alive interval. */
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
  const reader = deps.openReader();
  reader.on("error", () => {});
  const stop = () => reader.disconnect();
  signal.addEventListener("abort", stop, { once: true });
  let cursor = after;
  // The row is read at the start and after every quiet spell, never per batch of events.
  let checkRow = true;
  try {
    while (!signal.aborted) {
      let row: Awaited<ReturnType<Store["jobs"]["get"]>>;
      if (checkRow) row = await deps.store.jobs.get(jobId);
      const terminal = row !== undefined && isTerminal(row.status);
      let batch: LoggedEvent[];
      try {
        batch = await deps.events.read(jobId, cursor, terminal ? {} : { blockMs: BLOCK_MS, reader });
      } catch (error) {
        if (signal.aborted) return;
        throw error;
      }
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
  } finally {
    signal.removeEventListener("abort", stop);
    reader.disconnect();
  }
}

/** An id after everything the client has seen, so a resume with it reads nothing more. */
function syntheticId(completedAt: Date | null, cursor: string): string {
  const [ms = "0"] = cursor.split("-");
  const at = Math.max(completedAt?.getTime() ?? 0, Number(ms) + 1);
  return `${at}-0`;
}
