import { ReasonqError } from "@reasonq/core";
import type { JobEventLog, JobQueues } from "@reasonq/queue";
import type { JobRow, Store } from "@reasonq/store";
import { announceBatchEnd, scheduleWebhookOf, type WebhookIntake } from "./webhook-intake.ts";

export interface CancelDeps {
  store: Store;
  queues: JobQueues;
  events: JobEventLog;
  webhooks?: WebhookIntake;
}

/**
 * A queued job ends here (its stream gets `done`, a grid job is counted into its batch);
 * a running one is signalled, and its worker ends it keeping the partial result.
 */
export async function cancelJob(deps: CancelDeps, id: string, apiKeyId: string): Promise<JobRow> {
  const result = await deps.store.jobs.cancel(id, apiKeyId);
  if (result === undefined) throw new ReasonqError("not_found", `no job ${id}`, { field: "id" });
  if (result.kind === "signalled") await deps.queues.signalCancel(result.job.id);
  if (result.kind === "cancelled") {
    await deps.events.append(id, [{ type: "done" }], true);
    // The worker's reconciler would catch it too, only later.
    await scheduleWebhookOf(deps.store, deps.webhooks, result.job);
    if (result.job.batch_id !== null) {
      const batch = await deps.store.batches.recordResult(id, {
        status: "cancelled",
        correct: null,
        score: null,
        extracted: null,
        detail: null,
        costUsd: result.job.cost_total,
      });
      await announceBatchEnd(deps.webhooks, batch);
    }
  }
  return result.job;
}
