/**
 * The provider_batch lane. A claimed job of the lane joins the gathering provider batch of
 * its family, model and group (or opens one) and its queue delivery ends: from then on the
 * `provider_batches` row owns it. A timer takes due rows with a lease and advances each
 * (advance-batch.ts); everything is in the database, so after any restart the next worker
 * carries on where the last one stopped. Families without a batch API run the job
 * interactively, with a warning.
 */
import { ReasonqError, type Warning } from "@reasonq/core";
import { requestToSend } from "@reasonq/jobs";
import type { BatchClients, PreparedRequest } from "@reasonq/providers";
import type { JobRow, ProviderBatchRow } from "@reasonq/store";
import type { RunJobDeps } from "../run-job.ts";
import { type AdvanceSettings, advanceBatch, waitingEvent } from "./advance-batch.ts";
import { settleJob } from "./settle-job.ts";

export interface LaneSettings extends AdvanceSettings {
  /** How long a new provider batch gathers jobs before it is submitted. */
  windowMs: number;
  /** How often due batches are looked for. */
  tickMs: number;
  /** A worker's hold on a batch it advances; a dead worker's batch is taken over after it. */
  leaseMs: number;
}

export interface ProviderBatchLane {
  take(job: JobRow): Promise<JobRow | null>;
  /** Stops looking for due batches and waits for the step in progress. */
  close(): Promise<void>;
}

/** Rows advanced per tick. */
const ROWS_PER_TICK = 20;

export function startProviderBatchLane(
  deps: RunJobDeps,
  clients: BatchClients,
  settings: LaneSettings,
): ProviderBatchLane {
  let ticking: Promise<void> = Promise.resolve();
  let busy = false;
  let closed = false;

  async function tick(): Promise<void> {
    const rows = await deps.store.providerBatches.lease(settings.leaseMs, ROWS_PER_TICK);
    for (const row of rows) {
      if (closed) {
        await deps.store.providerBatches.release(row.id);
        continue;
      }
      const client = clients.get(row.family);
      try {
        if (client === null) throw new Error(`no batch client for ${row.family}`);
        await advanceBatch(deps, client, row, settings);
        await deps.store.providerBatches.release(row.id);
      } catch (err) {
        await failOrRetry(deps, row, err);
      }
    }
  }

  const timer = setInterval(() => {
    if (busy || closed) return;
    busy = true;
    ticking = tick()
      .catch((err: unknown) => deps.logger.error({ err }, "provider batch lane tick failed"))
      .finally(() => {
        busy = false;
      });
  }, settings.tickMs);
  timer.unref();

  return {
    async take(job) {
      const client = clients.get(job.provider);
      if (client === null) return { ...job, warnings: [...job.warnings, interactiveFallback(job.provider)] };
      let request: PreparedRequest;
      try {
        // The request planned and stored at submit (a row from before 0005 is prepared again).
        request = requestToSend(job, deps);
      } catch {
        // The interactive path refuses it with the classified error, as for any job.
        return job;
      }
      const row = await deps.store.providerBatches.enlist({
        job,
        family: job.provider,
        model: job.model,
        groupKey: client.groupOf(request),
        bytes: Buffer.byteLength(JSON.stringify(request.body)),
        windowMs: settings.windowMs,
        maxRequests: client.limits.maxRequests,
        maxBytes: client.limits.maxBytes,
      });
      if (row !== undefined) {
        await deps.events.append(job.id, [waitingEvent(row, job)], false);
        deps.logger.info({ job_id: job.id, provider_batch_id: row.id }, "job joined a provider batch");
      }
      return null;
    },
    async close() {
      closed = true;
      clearInterval(timer);
      await ticking;
    },
  };
}

/**
 * A step that threw: a provider refusal that will not change (a bad batch, a bad key)
 * fails the batch's jobs with it; anything else is tried again when the lease runs out.
 */
async function failOrRetry(deps: RunJobDeps, row: ProviderBatchRow, err: unknown): Promise<void> {
  const error = ReasonqError.is(err) ? err : deps.adapters.get(row.family).classifyError(err);
  if (error.retry !== "never") {
    deps.logger.warn({ err: error, provider_batch_id: row.id }, "provider batch step failed; tried again later");
    return;
  }
  deps.logger.error({ err: error, provider_batch_id: row.id }, "provider batch refused; its jobs fail");
  const jobs = (await deps.store.providerBatches.jobsOf(row.id)).filter((job) => job.status === "running");
  for (const job of jobs) await settleJob(deps, row, job, { kind: "errored", error });
  await deps.store.providerBatches.end(row.id, { status: "failed", error: error.message });
}

function interactiveFallback(provider: string): Warning {
  return {
    type: "unsupported",
    field: "lane",
    message: `provider "${provider}" has no batch API: the job ran interactively, at the interactive price`,
  };
}
