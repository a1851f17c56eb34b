import type { JobError } from "@reasonq/core";
import { incompleteReason, requestToSend } from "@reasonq/jobs";
import { type BatchItemOutcome, ResultAssembler } from "@reasonq/providers";
import type { JobRow, ProviderBatchRow } from "@reasonq/store";
import { attemptUsage } from "../attempt-usage.ts";
import { checkStructuredOutput } from "../check-structured-output.ts";
import { EventBuffer } from "../event-buffer.ts";
import { type Attempt, finish, type RunJobDeps, redacted } from "../run-job.ts";

/** What happens to a job whose request failed retryably (429, 5xx, overload) inside a provider batch. */
export interface BatchRetry {
  /** The most attempts a job gets (REASONQ_JOB_ATTEMPTS); the last failure fails it. */
  attempts: number;
  /** Puts the job back on its provider's queue; its next delivery joins the next provider batch. */
  requeue(job: JobRow): Promise<void>;
}

/**
 * Ends a job of a provider batch with its result, through the same `finish` as an
 * interactive attempt (usage, cost, attempt row, events, batch scoring), priced at the
 * provider's batch rate. A result for a job whose cancel was asked meanwhile is kept
 * (the provider bills it) and the job ends cancelled. A request that failed retryably is
 * tried again in the next provider batch of its lane (still at the batch price) while the
 * job has attempts left; the attempt is recorded as `retried` with the provider's error.
 */
export async function settleJob(
  deps: RunJobDeps,
  batch: ProviderBatchRow,
  job: JobRow,
  outcome: BatchItemOutcome,
  retry?: BatchRetry,
): Promise<void> {
  const log = deps.logger.child({ job_id: job.id, provider: job.provider, provider_batch_id: batch.id });
  const attempt: Attempt = {
    deps,
    job,
    number: job.attempts,
    startedAt: batch.submitted_at ?? job.started_at ?? new Date(),
    assembler: new ResultAssembler(requestToSend(job, deps).model, { include: job.spec.reasoning.include }),
    events: new EventBuffer(deps.events, job.id, (err) => log.warn({ err }, "could not write live events")),
    log,
    providerBatch: true,
    firstTokenAt: null,
  };
  const cancelled = job.cancel_requested_at !== null;
  const cancelError: JobError = { type: "job_cancelled", message: "the job was cancelled while in a provider batch" };

  if (outcome.kind === "succeeded") {
    for (const event of outcome.events) attempt.assembler.push(event);
    const result = attempt.assembler.result();
    if (job.spec.reasoning.include && attempt.assembler.reasoningText !== "") {
      attempt.events.push({ type: "reasoning.delta", attempt: attempt.number, text: attempt.assembler.reasoningText });
    }
    if (result.output.answer !== "") {
      attempt.events.push({ type: "answer.delta", attempt: attempt.number, text: result.output.answer });
    }
    for (const call of result.output.tool_calls ?? []) {
      attempt.events.push({ type: "tool_call", attempt: attempt.number, call });
    }
    const incomplete = incompleteReason(result.output.finish_reason, result.output.answer);
    const invalid = cancelled ? null : checkStructuredOutput(job.spec.response_format, result.output);
    await finish(attempt, {
      outcome: cancelled ? "cancelled" : invalid !== null ? "failed" : incomplete === null ? "succeeded" : "incomplete",
      error: cancelled ? cancelError : invalid,
      usage: attemptUsage(result, job.spec, attempt.assembler.reasoningText),
      rawUsage: result.reported?.raw,
      output: result.output,
      incompleteReason: cancelled || invalid !== null ? null : incomplete,
      warnings: [...job.warnings, ...result.warnings],
    });
    log.info({ status: cancelled ? "cancelled" : (incomplete ?? "succeeded") }, "provider batch job finished");
    return;
  }
  if (outcome.kind === "canceled" || cancelled) {
    await finish(attempt, { outcome: "cancelled", error: cancelError, usage: null, output: null });
    return;
  }
  const error = redacted(deps, outcome.error);
  const again = outcome.kind === "errored" && error.retry !== "never" && job.attempts < (retry?.attempts ?? 0);
  if (again && retry !== undefined) {
    // Out of the batch first: from here a crash leaves a stale running job the reconciler re-queues.
    if (!(await deps.store.providerBatches.leave(job.id, batch.id))) return;
    await finish(attempt, { outcome: "retried", error: error.toJSON(), usage: null, output: null });
    await retry.requeue(job);
    log.warn({ err: error }, "provider batch request failed; the job goes into the next provider batch");
    return;
  }
  await finish(attempt, { outcome: "failed", error: error.toJSON(), usage: null, output: null });
  log.warn({ err: error }, "provider batch request failed");
}
