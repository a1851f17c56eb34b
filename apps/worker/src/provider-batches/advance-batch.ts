import { type JobEvent, ReasonqError } from "@reasonq/core";
import { requestToSend } from "@reasonq/jobs";
import type { BatchItemOutcome, ProviderBatchClient } from "@reasonq/providers";
import type { JobRow, ProviderBatchRow } from "@reasonq/store";
import type { RunJobDeps } from "../run-job.ts";
import { type BatchRetry, settleJob } from "./settle-job.ts";

export interface AdvanceSettings {
  /** The first poll after submitting, and the step of the backoff. */
  pollMs: number;
  /** Polls back off up to this interval. */
  maxPollMs: number;
  /** Where a job whose request failed retryably inside the batch goes. */
  retry: BatchRetry;
}

/**
 * Moves one leased provider batch on by one step: a gathering row that is due is submitted
 * (after recording the intent, and, for a row already `submitting`, after looking for the
 * batch an interrupted submit may have created); a submitted one is polled, cancelled at
 * the provider when all its jobs were cancelled, and fanned out into its jobs once ended.
 */
export async function advanceBatch(
  deps: RunJobDeps,
  client: ProviderBatchClient,
  row: ProviderBatchRow,
  settings: AdvanceSettings,
): Promise<void> {
  if (row.status === "gathering") {
    const jobs = await running(deps, row);
    // Nothing was sent yet: a job cancelled while gathering just ends.
    for (const job of jobs.filter((j) => j.cancel_requested_at !== null)) {
      await settleJob(deps, row, job, { kind: "canceled" });
    }
    if (jobs.every((j) => j.cancel_requested_at !== null)) {
      await deps.store.providerBatches.end(row.id, { status: "cancelled" });
      return;
    }
    await submit(deps, client, await deps.store.providerBatches.markSubmitting(row.id), false, settings);
    return;
  }
  if (row.status === "submitting") {
    await submit(deps, client, row, true, settings);
    return;
  }
  if (row.status === "in_progress") await poll(deps, client, row, settings);
}

async function running(deps: RunJobDeps, row: ProviderBatchRow): Promise<JobRow[]> {
  return (await deps.store.providerBatches.jobsOf(row.id)).filter((job) => job.status === "running");
}

async function submit(
  deps: RunJobDeps,
  client: ProviderBatchClient,
  row: ProviderBatchRow,
  interrupted: boolean,
  settings: AdvanceSettings,
): Promise<void> {
  const jobs = await running(deps, row);
  const entries = jobs.map((job) => ({ customId: job.id, request: requestToSend(job, deps) }));
  let providerId: string | null = null;
  if (interrupted && row.submit_started_at !== null) {
    const known = await deps.store.providerBatches.knownProviderIds(row.family);
    providerId = await client.find(row.id, { since: row.submit_started_at, count: entries.length, known });
    if (providerId !== null)
      deps.logger.info(
        { provider_batch_id: row.id, provider_id: providerId },
        "found the batch an interrupted submit created",
      );
  }
  providerId ??= await client.submit(row.id, entries);
  await deps.store.providerBatches.markSubmitted(row.id, providerId, new Date(Date.now() + settings.pollMs));
  deps.logger.info(
    { provider_batch_id: row.id, provider_id: providerId, jobs: jobs.length },
    "provider batch submitted",
  );
  await announce(deps, row, jobs, "submitted");
}

async function poll(
  deps: RunJobDeps,
  client: ProviderBatchClient,
  row: ProviderBatchRow,
  settings: AdvanceSettings,
): Promise<void> {
  const providerId = row.provider_batch_id as string;
  const jobs = await running(deps, row);
  if (jobs.length > 0 && row.cancel_sent_at === null && jobs.every((j) => j.cancel_requested_at !== null)) {
    await client.cancel(providerId);
    await deps.store.providerBatches.markCancelSent(row.id);
    deps.logger.info({ provider_batch_id: row.id }, "every job of the provider batch was cancelled: batch cancelled");
  }
  const state = await client.status(providerId);
  if (!state.ended) {
    const wait = Math.min(settings.maxPollMs, settings.pollMs * 2 ** Math.min(row.polls, 16));
    await deps.store.providerBatches.recordPoll(row.id, {
      providerStatus: state.status,
      counts: state.counts,
      nextPollAt: new Date(Date.now() + wait),
    });
    if (state.status !== row.provider_status) await announce(deps, row, jobs, state.status);
    return;
  }
  const model = deps.catalog.resolve(row.model).model;
  const outcomes = await client.results(
    providerId,
    jobs.map((job) => job.id),
    model,
  );
  const missing: BatchItemOutcome = {
    kind: "errored",
    error:
      state.failure ??
      new ReasonqError(
        "provider_server_error",
        `the provider returned no result for this request (batch ${providerId} ended "${state.status}")`,
      ),
  };
  for (const job of jobs) await settleJob(deps, row, job, outcomes.get(job.id) ?? missing, settings.retry);
  const cancelled = row.cancel_sent_at !== null || jobs.every((j) => j.cancel_requested_at !== null);
  await deps.store.providerBatches.end(row.id, {
    status: cancelled ? "cancelled" : "ended",
    providerStatus: state.status,
    counts: state.counts,
    error: state.failure?.message ?? null,
  });
  deps.logger.info({ provider_batch_id: row.id, provider_status: state.status }, "provider batch ended");
}

/** Tells each job's live stream that it waits on the provider, and how the batch stands. */
async function announce(deps: RunJobDeps, row: ProviderBatchRow, jobs: JobRow[], providerStatus?: string) {
  for (const job of jobs) await deps.events.append(job.id, [waitingEvent(row, job, providerStatus)], false);
}

export function waitingEvent(row: ProviderBatchRow, job: JobRow, providerStatus?: string): JobEvent {
  return {
    type: "status",
    status: "running",
    attempt: job.attempts,
    waiting: {
      on: "provider_batch",
      provider_batch_id: row.id,
      provider: row.family,
      ...(providerStatus === undefined ? {} : { provider_status: providerStatus }),
    },
  };
}
