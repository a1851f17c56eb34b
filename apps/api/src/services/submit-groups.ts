import { Groups, ReasonqError } from "@reasonq/core";
import type { JobEventLog, JobQueues } from "@reasonq/queue";
import type { JobRow, NewJob, Store } from "@reasonq/store";

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
  readonly #groups = new Groups<NewJob, JobRow>((rows) => this.#write(rows), { maxInFlight: 4, maxGroup: 256 });

  constructor(deps: { store: Store; queues: JobQueues; events: JobEventLog }) {
    this.#store = deps.store;
    this.#queues = deps.queues;
    this.#events = deps.events;
  }

  submit(row: NewJob): Promise<JobRow> {
    return this.#groups.submit(row);
  }

  async #write(rows: NewJob[]): Promise<JobRow[]> {
    const jobs = await this.#store.jobs.createMany(rows);
    try {
      await this.#events.appendMany(
        jobs.map((job) => ({ jobId: job.id, events: [{ type: "status", status: "queued", attempt: 0 }] })),
      );
      await this.#queues.enqueueMany(jobs);
    } catch (cause) {
      await this.#store.jobs.discardUnstarted(...jobs.map((job) => job.id)).catch(() => {});
      throw new ReasonqError("service_unavailable", "the job queue is unreachable; nothing was submitted, try again", {
        cause,
      });
    }
    return jobs;
  }
}
