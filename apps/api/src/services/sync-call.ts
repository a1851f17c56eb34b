import { isTerminal, type Job, type ParsedJobRequest, ReasonqError } from "@reasonq/core";
import type { JobRow } from "@reasonq/store";
import type { JobWaiter } from "../job-waiter.ts";
import type { AbandonedCalls, SyncCall } from "./abandoned-calls.ts";
import { type SubmitDeps, submissionHash, submitJob } from "./submit-job.ts";

export interface SyncCallDeps extends SubmitDeps {
  waiter: JobWaiter;
  abandoned: AbandonedCalls;
}

/**
 * The job an OpenAI-compatible call waits on: a new one, the earlier one of the same
 * Idempotency-Key, or the job of an abandoned call that this client retry takes over (so
 * an SDK timeout and its retry run one job).
 */
export async function startCall(
  deps: SyncCallDeps,
  apiKey: { id: string; spend_cap_usd: string | null },
  headers: Record<string, string | string[] | undefined>,
  request: ParsedJobRequest,
  clientParams?: Record<string, unknown>,
): Promise<{ job: JobRow; call: SyncCall; attached: boolean }> {
  const key = headers["idempotency-key"];
  const idempotencyKey = typeof key === "string" ? key : undefined;
  const options = clientParams === undefined ? {} : { clientParams };
  const requestHash = submissionHash(request, options);
  const call = (jobId: string): SyncCall => ({
    jobId,
    apiKeyId: apiKey.id,
    requestHash,
    keyed: idempotencyKey !== undefined,
  });
  if (idempotencyKey === undefined) {
    const retry = headers["x-stainless-retry-count"];
    const taken = await deps.abandoned.takeOver(apiKey.id, requestHash, typeof retry === "string" ? retry : undefined);
    const row = taken === undefined ? undefined : await deps.store.jobs.get(taken, apiKey.id);
    if (row !== undefined) return { job: row, call: call(row.id), attached: true };
  }
  const { job, created } = await submitJob(deps, apiKey, request, idempotencyKey, options);
  return { job, call: call(job.id), attached: !created };
}

/** Waits until the job ends or the signal aborts (the client went away); the latest row. */
export async function waitForEnd(
  deps: Pick<SyncCallDeps, "store" | "waiter">,
  job: JobRow,
  signal: AbortSignal,
): Promise<JobRow> {
  let row = job;
  while (!isTerminal(row.status) && !signal.aborted) {
    const ended = await deps.waiter.wait(job.id, 60_000, signal);
    const latest = ended?.row ?? (await deps.store.jobs.get(job.id));
    // A job deleted while it was waited on ends the wait with what was last seen of it.
    if (latest === undefined) return row;
    row = latest;
  }
  return row;
}

/** A job that did not produce an answer, as the error an OpenAI client expects (a provider's 4xx kept). */
export function failedJobError(job: Job): ReasonqError | undefined {
  if (job.status !== "failed" && job.status !== "cancelled") return undefined;
  const error = job.error ?? { type: "internal_error" as const, message: `the job ended ${job.status}` };
  return new ReasonqError(error.type, error.message, {
    ...(error.field === undefined ? {} : { field: error.field }),
    ...(error.provider_status === undefined ? {} : { providerStatus: error.provider_status }),
  });
}
