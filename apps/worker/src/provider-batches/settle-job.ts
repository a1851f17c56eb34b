import type { JobError } from "@reasonq/core";
import { incompleteReason, requestToSend } from "@reasonq/jobs";
import { type BatchItemOutcome, ResultAssembler } from "@reasonq/providers";
import type { JobRow, ProviderBatchRow } from "@reasonq/store";
import { attemptUsage } from "../attempt-usage.ts";
import { EventBuffer } from "../event-buffer.ts";
import { type Attempt, finish, type RunJobDeps } from "../run-job.ts";

/**
 * Ends a job of a provider batch with its result, through the same `finish` as an
 * interactive attempt (usage, cost, attempt row, events, batch scoring), priced at the
 * provider's batch rate. A result for a job whose cancel was asked meanwhile is kept
 * (the provider bills it) and the job ends cancelled.
 */
export async function settleJob(
  deps: RunJobDeps,
  batch: ProviderBatchRow,
  job: JobRow,
  outcome: BatchItemOutcome,
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
    const incomplete = incompleteReason(result.output.finish_reason, result.output.answer);
    await finish(attempt, {
      outcome: cancelled ? "cancelled" : incomplete === null ? "succeeded" : "incomplete",
      error: cancelled ? cancelError : null,
      usage: attemptUsage(result, job.spec, attempt.assembler.reasoningText),
      rawUsage: result.reported?.raw,
      output: result.output,
      incompleteReason: cancelled ? null : incomplete,
      warnings: [...job.warnings, ...result.warnings],
    });
    log.info({ status: cancelled ? "cancelled" : (incomplete ?? "succeeded") }, "provider batch job finished");
    return;
  }
  if (outcome.kind === "canceled" || cancelled) {
    await finish(attempt, { outcome: "cancelled", error: cancelError, usage: null, output: null });
    return;
  }
  await finish(attempt, { outcome: "failed", error: outcome.error.toJSON(), usage: null, output: null });
  log.warn({ err: outcome.error }, "provider batch request failed");
}
