import { computeCost, priceSnapshotFor, sumCosts } from "@reasonq/billing";
import { addUsage, type Cost, type IncompleteReason, type JobError, ReasonqError, type Usage } from "@reasonq/core";
import type { AdapterRegistry, ResultAssembler as Assembler, Catalog } from "@reasonq/providers";
import { ResultAssembler } from "@reasonq/providers";
import type { AttemptEnd, JobRow, Store } from "@reasonq/store";
import type { Logger } from "pino";
import { attemptUsage } from "./attempt-usage.ts";
import { type Verdict, verdictFor } from "./to-bullmq-outcome.ts";

export interface RunJobDeps {
  store: Store;
  adapters: AdapterRegistry;
  catalog: Catalog;
  logger: Logger;
  /** Tells long polls that a job reached a terminal status. */
  announceDone: (jobId: string) => Promise<void>;
}

export interface Delivery {
  jobId: string;
  /** How many times the queue has handed this job to a worker, this time included. */
  delivery: number;
  /** Whether the queue would run the job again after this attempt. */
  attemptsLeft: boolean;
  /** Aborted on cancel (reason "cancel") or shutdown (reason "shutdown"). */
  signal: AbortSignal;
  /** Called once the job is claimed, with the attempt number. */
  onClaimed?: (attempt: number) => void;
}

export type RunOutcome = { kind: "done" } | { kind: "again"; verdict: Verdict };

/**
 * One delivery of one job: claim the row, call the provider, price what it consumed,
 * and store the attempt and the job's new state together. Returns what the queue should
 * do next; a duplicate delivery claims nothing and returns at once.
 */
export async function runJob(deps: RunJobDeps, delivery: Delivery): Promise<RunOutcome> {
  const { store } = deps;
  const claim = await store.jobs.claim(delivery.jobId, delivery.delivery);
  if (claim.kind === "cancelled") await deps.announceDone(delivery.jobId);
  if (claim.kind !== "claimed") return { kind: "done" };

  const job = claim.job;
  const attempt = job.attempts;
  delivery.onClaimed?.(attempt);
  const log = deps.logger.child({ job_id: job.id, provider: job.provider, attempt });

  const model = deps.catalog.resolve(job.model).model;
  const adapter = deps.adapters.get(job.provider);
  const assembler = new ResultAssembler(model, { include: job.spec.reasoning.include });
  let firstToken = true;

  try {
    const prepared = adapter.prepare(job.spec, model);
    for await (const event of adapter.stream(prepared, { signal: delivery.signal, attempt })) {
      assembler.push(event);
      if (firstToken && (event.type === "reasoning-delta" || event.type === "text-delta")) {
        firstToken = false;
        await store.jobs.markFirstToken(job.id, attempt);
      }
    }
    if (!assembler.finished) throw new ReasonqError("provider_stream_dropped", "the stream ended without a finish");
  } catch (thrown) {
    return endWithError(deps, job, attempt, assembler, thrown, delivery, log);
  }

  const result = assembler.result();
  const usage = attemptUsage(result, job.spec, assembler.reasoningText);
  const incomplete = incompleteReason(result.output.finish_reason, result.output.answer);
  await finish(deps, job, attempt, {
    outcome: incomplete === null ? "succeeded" : "incomplete",
    error: null,
    usage,
    output: result.output,
    incompleteReason: incomplete,
    warnings: [...job.warnings, ...result.warnings],
  });
  log.info({ status: incomplete === null ? "succeeded" : "incomplete" }, "job finished");
  return { kind: "done" };
}

/** `length` with an empty answer means reasoning ate the budget: billed, but not a success. */
function incompleteReason(finish: string, answer: string): IncompleteReason | null {
  if (finish === "content_filter") return "content_filter";
  if (finish === "length" && answer.trim() === "") return "max_output_tokens";
  return null;
}

async function endWithError(
  deps: RunJobDeps,
  job: JobRow,
  attempt: number,
  assembler: Assembler,
  thrown: unknown,
  delivery: Delivery,
  log: Logger,
): Promise<RunOutcome> {
  const aborted = delivery.signal.aborted;
  const reason = aborted ? String(delivery.signal.reason) : null;
  const cancelled = reason === "cancel";
  const result = assembler.result(cancelled ? "cancelled" : "error");
  const usage = attemptUsage(result, job.spec, assembler.reasoningText);

  if (cancelled) {
    const error: JobError = { type: "job_cancelled", message: "the job was cancelled while running" };
    await finish(deps, job, attempt, { outcome: "cancelled", error, usage, output: result.output });
    log.info("job cancelled while running");
    return { kind: "done" };
  }

  const error =
    reason === "shutdown"
      ? new ReasonqError("provider_stream_dropped", "the worker shut down during the call; the job runs again")
      : deps.adapters.get(job.provider).classifyError(thrown);
  const verdict = verdictFor(error, delivery.attemptsLeft);
  const final = verdict.kind === "fail";
  await finish(deps, job, attempt, {
    outcome: final ? "failed" : "retried",
    error: error.toJSON(),
    usage,
    output: result.output,
  });
  log.warn({ err: error, verdict: verdict.kind }, "attempt failed");
  return final ? { kind: "done" } : { kind: "again", verdict };
}

interface Ending {
  outcome: AttemptEnd["outcome"];
  error: JobError | null;
  usage: Usage | null;
  output: AttemptEnd["output"];
  incompleteReason?: IncompleteReason | null;
  warnings?: AttemptEnd["warnings"];
}

/**
 * Prices the attempt and stores it with the job's new totals. Every attempt of a job is
 * priced with the prices in force when its first attempt started: one frozen snapshot
 * per job, so its attempts add up line by line.
 */
async function finish(deps: RunJobDeps, job: JobRow, attempt: number, ending: Ending) {
  const snapshot = priceSnapshotFor(job.model, job.started_at ?? new Date());
  const cost: Cost | null = ending.usage === null ? null : computeCost(ending.usage, snapshot);
  const earlier = (await deps.store.jobs.attempts(job.id)).filter((a) => a.attempt !== attempt);
  const usages = [
    ...earlier.flatMap((a) => (a.usage === null ? [] : [a.usage])),
    ...(ending.usage ? [ending.usage] : []),
  ];
  const costs = [...earlier.flatMap((a) => (a.cost === null ? [] : [a.cost])), ...(cost ? [cost] : [])];
  const ended = await deps.store.jobs.endAttempt(job.id, attempt, {
    ...ending,
    cost,
    jobUsage: usages.length === 0 ? null : usages.reduce(addUsage),
    jobCost: costs.length === 0 ? null : sumCosts(costs as [Cost, ...Cost[]]),
  });
  if (ended === undefined) {
    deps.logger.warn({ job_id: job.id, attempt }, "attempt ended after another delivery took the job over");
    return;
  }
  if (ending.outcome !== "retried") await deps.announceDone(job.id);
}
