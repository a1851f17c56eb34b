import { ReasonqError } from "@reasonq/core";
import type { JobEventLog, JobQueues } from "@reasonq/queue";
import type { JobRow, NewJob, Store } from "@reasonq/store";

interface Waiting {
  row: NewJob;
  resolve: (job: JobRow) => void;
  reject: (error: unknown) => void;
}

/** Inserts in flight at once; submits arriving meanwhile wait and go together in the next. */
const MAX_IN_FLIGHT = 4;
const MAX_GROUP = 256;

/**
 * Group commit for submits: jobs that arrive while earlier inserts are in flight are
 * written by the next one together (one multi-row INSERT, one commit), their `queued`
 * events in one Redis pipeline and their queue entries in one call. A lone submit goes at
 * once, so grouping adds no wait when the API is quiet. A group stands or falls whole: if
 * the queue is unreachable its rows are removed and every submit in it is refused.
 */
export class SubmitGroups {
  readonly #store: Store;
  readonly #queues: JobQueues;
  readonly #events: JobEventLog;
  #waiting: Waiting[] = [];
  #inFlight = 0;

  constructor(deps: { store: Store; queues: JobQueues; events: JobEventLog }) {
    this.#store = deps.store;
    this.#queues = deps.queues;
    this.#events = deps.events;
  }

  submit(row: NewJob): Promise<JobRow> {
    return new Promise((resolve, reject) => {
      this.#waiting.push({ row, resolve, reject });
      this.#next();
    });
  }

  #next(): void {
    while (this.#inFlight < MAX_IN_FLIGHT && this.#waiting.length > 0) {
      const group = this.#waiting.splice(0, MAX_GROUP);
      this.#inFlight++;
      void this.#write(group).finally(() => {
        this.#inFlight--;
        this.#next();
      });
    }
  }

  async #write(group: Waiting[]): Promise<void> {
    let jobs: JobRow[];
    try {
      jobs = await this.#store.jobs.createMany(group.map((w) => w.row));
    } catch (error) {
      for (const w of group) w.reject(error);
      return;
    }
    try {
      await this.#events.appendMany(
        jobs.map((job) => ({ jobId: job.id, events: [{ type: "status", status: "queued", attempt: 0 }] })),
      );
      await this.#queues.enqueueMany(jobs);
    } catch (cause) {
      await this.#store.jobs.discardUnstarted(...jobs.map((job) => job.id)).catch(() => {});
      const error = new ReasonqError(
        "service_unavailable",
        "the job queue is unreachable; nothing was submitted, try again",
        { cause },
      );
      for (const w of group) w.reject(error);
      return;
    }
    group.forEach((w, i) => {
      w.resolve(jobs[i] as JobRow);
    });
  }
}
