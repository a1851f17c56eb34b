import { type PriceCatalog, type PricedUsage, priceUsage } from "@reasonq/billing";
import {
  type IncompleteReason,
  type JobError,
  type ProviderEvent,
  ReasonqError,
  type SecretRedactor,
  type Usage,
} from "@reasonq/core";
import { incompleteReason, requestToSend } from "@reasonq/jobs";
import { type AdapterRegistry, type Catalog, ResultAssembler } from "@reasonq/providers";
import type { JobEventLog } from "@reasonq/queue";
import { type AttemptEnd, type JobRow, jobRowToText, type Store } from "@reasonq/store";
import type { Logger } from "pino";
import { attemptUsage } from "./attempt-usage.ts";
import { checkStructuredOutput } from "./check-structured-output.ts";
import { EventBuffer } from "./event-buffer.ts";
import { holdUntilWritten } from "./hold-until-written.ts";
import { jobTotals } from "./job-totals.ts";
import { retryRefusal } from "./retry-admission.ts";
import { type Verdict, verdictFor } from "./to-bullmq-outcome.ts";

export interface RunJobDeps {
  store: Store;
  adapters: AdapterRegistry;
  catalog: Catalog;
  prices: PriceCatalog;
  logger: Logger;
  /** Secret values never to store or log (a provider's error may echo its key). */
  secrets?: SecretRedactor;
  /** Live events, one Redis stream per job; a final append also tells long polls the job ended. */
  events: JobEventLog;
  /** Runs after a job reached a terminal status (batch scoring). */
  onTerminal: (job: JobRow) => Promise<void>;
  /**
   * The provider_batch lane: takes a claimed job of that lane into a provider batch
   * (returns null), or hands it back to run interactively (its family has no batch API).
   */
  lane?: { take(job: JobRow): Promise<JobRow | null> };
}

export interface Delivery {
  jobId: string;
  /** How many times the queue has handed this job to a worker, this time included. */
  delivery: number;
  /** Whether the queue would run the job again after this attempt. */
  attemptsLeft: boolean;
  /** Aborted on cancel (reason "cancel") or shutdown (reason "shutdown"). */
  signal: AbortSignal;
  /** Why the call may not start at all (it can never fit the provider's limits): the job fails with it. */
  refusal?: ReasonqError;
  /** Told what the attempt consumed when it ends (a token limit's reservation is corrected by it). */
  onUsage?: (usage: Usage | null) => void;
}

export type RunOutcome = { kind: "done" } | { kind: "again"; verdict: Verdict };

/** What one attempt carries through its steps. */
export interface Attempt {
  deps: RunJobDeps;
  job: JobRow;
  number: number;
  /** Prices are those in force when the attempt started. */
  startedAt: Date;
  assembler: ResultAssembler;
  events: EventBuffer;
  log: Logger;
  /** Sent through the provider's batch API: priced at its batch rate. */
  providerBatch?: boolean;
  /** When the first token arrived; the attempt's end writes it too, in case that write lands late. */
  firstTokenAt: Date | null;
  /** The pending write of `firstTokenAt` to the row, dropped when the attempt ends first. */
  firstTokenWrite?: NodeJS.Timeout;
  onUsage?: (usage: Usage | null) => void;
}

/**
 * How long after the first token its time is written to the row. An attempt that ends
 * sooner writes it with its end and saves a statement; a longer one shows it this late at
 * most (the live events are flushed at the same interval).
 */
const FIRST_TOKEN_WRITE_DELAY_MS = 100;

/**
 * One delivery of one job: claim the row, call the provider, price what it consumed,
 * and store the attempt and the job's new state together. Returns what the queue should
 * do next; a duplicate delivery claims nothing and returns at once.
 */
export async function runJob(deps: RunJobDeps, delivery: Delivery): Promise<RunOutcome> {
  const claim = await deps.store.jobs.claim(delivery.jobId, delivery.delivery);
  if (claim.kind === "cancelled") await publishDone(deps, claim.job);
  if (claim.kind !== "claimed") return { kind: "done" };

  const job =
    claim.job.spec.lane === "provider_batch" && deps.lane !== undefined ? await deps.lane.take(claim.job) : claim.job;
  if (job === null) return { kind: "done" };
  const log = deps.logger.child({ job_id: job.id, provider: job.provider, attempt: job.attempts });
  const adapter = deps.adapters.get(job.provider);
  // Exactly what was planned and stored at submit, even if the catalog changed since.
  const request = requestToSend(job, deps);
  const attempt: Attempt = {
    deps,
    job,
    number: job.attempts,
    startedAt: new Date(),
    assembler: new ResultAssembler(request.model, { include: job.spec.reasoning.include }),
    events: new EventBuffer(deps.events, job.id, (err) => log.warn({ err }, "could not write live events")),
    log,
    firstTokenAt: null,
    ...(delivery.onUsage === undefined ? {} : { onUsage: delivery.onUsage }),
  };
  const refusal = delivery.refusal ?? (await retryRefusal(deps.store, job));
  if (refusal !== null) {
    await finish(attempt, { outcome: "failed", error: refusal.toJSON(), usage: null, output: null });
    log.warn({ err: refusal }, "attempt not started");
    return { kind: "done" };
  }
  attempt.events.push({ type: "status", status: "running", attempt: attempt.number });

  try {
    for await (const event of adapter.stream(request, { signal: delivery.signal, attempt: attempt.number })) {
      attempt.assembler.push(event);
      publishDelta(attempt, event);
      if (attempt.firstTokenAt === null && (event.type === "reasoning-delta" || event.type === "text-delta")) {
        const at = new Date();
        attempt.firstTokenAt = at;
        // Not awaited: the stream goes on, and the attempt's end writes the same time if this lands late.
        attempt.firstTokenWrite = setTimeout(() => {
          deps.store.jobs
            .markFirstToken(job.id, attempt.number, at)
            .catch((err: unknown) => log.warn({ err }, "could not record the first token"));
        }, FIRST_TOKEN_WRITE_DELAY_MS);
        attempt.firstTokenWrite.unref();
      }
    }
    if (!attempt.assembler.finished) {
      throw new ReasonqError("provider_stream_dropped", "the stream ended without a finish");
    }
  } catch (thrown) {
    return endWithError(attempt, thrown, delivery);
  }

  const result = attempt.assembler.result();
  const invalid = checkStructuredOutput(job.spec.response_format, result.output);
  if (invalid !== null) {
    // The provider was paid for the call: the attempt keeps its usage; a retry would bill again.
    await finish(attempt, {
      outcome: "failed",
      error: invalid,
      usage: attemptUsage(result, job.spec, attempt.assembler.reasoningText),
      rawUsage: result.reported?.raw,
      output: result.output,
      warnings: [...job.warnings, ...result.warnings],
    });
    log.warn({ err: invalid }, "structured output did not match");
    return { kind: "done" };
  }
  const incomplete = incompleteReason(result.output.finish_reason, result.output.answer);
  await finish(attempt, {
    outcome: incomplete === null ? "succeeded" : "incomplete",
    error: null,
    usage: attemptUsage(result, job.spec, attempt.assembler.reasoningText),
    rawUsage: result.reported?.raw,
    output: result.output,
    incompleteReason: incomplete,
    warnings: [...job.warnings, ...result.warnings],
  });
  log.info({ status: incomplete === null ? "succeeded" : "incomplete" }, "job finished");
  return { kind: "done" };
}

function publishDelta(attempt: Attempt, event: ProviderEvent): void {
  if (event.type === "reasoning-delta" && attempt.job.spec.reasoning.include) {
    attempt.events.push({ type: "reasoning.delta", attempt: attempt.number, text: event.text });
  } else if (event.type === "text-delta") {
    attempt.events.push({ type: "answer.delta", attempt: attempt.number, text: event.text });
  } else if (event.type === "tool-call") {
    attempt.events.push({ type: "tool_call", attempt: attempt.number, call: event.call });
  }
}

async function endWithError(attempt: Attempt, thrown: unknown, delivery: Delivery): Promise<RunOutcome> {
  const { deps, job, assembler, log } = attempt;
  const reason = delivery.signal.aborted ? String(delivery.signal.reason) : null;
  const cancelled = reason === "cancel";
  const result = assembler.result(cancelled ? "cancelled" : "error");
  const usage = attemptUsage(result, job.spec, assembler.reasoningText);
  const rawUsage = result.reported?.raw;

  if (cancelled) {
    const error: JobError = { type: "job_cancelled", message: "the job was cancelled while running" };
    await finish(attempt, { outcome: "cancelled", error, usage, rawUsage, output: result.output });
    log.info("job cancelled while running");
    return { kind: "done" };
  }

  const classified =
    reason === "shutdown"
      ? new ReasonqError("provider_stream_dropped", "the worker shut down during the call; the job runs again")
      : deps.adapters.get(job.provider).classifyError(thrown);
  // Everything below (row, attempt, events, queue, log line) sees only the redacted error.
  const error = redacted(deps, classified);
  const verdict = verdictFor(error, delivery.attemptsLeft);
  const final = verdict.kind === "fail";
  await finish(attempt, {
    outcome: final ? "failed" : "retried",
    error: error.toJSON(),
    usage,
    rawUsage,
    output: result.output,
  });
  log.warn({ err: error, verdict: verdict.kind }, "attempt failed");
  return final ? { kind: "done" } : { kind: "again", verdict };
}

/** A provider's error text may echo its key: whatever is stored, published or logged is redacted first. */
export function redacted(deps: Pick<RunJobDeps, "secrets">, error: ReasonqError): ReasonqError {
  return deps.secrets?.redactError(error) ?? error;
}

export interface Ending {
  outcome: AttemptEnd["outcome"];
  error: JobError | null;
  usage: Usage | null;
  rawUsage?: unknown;
  output: AttemptEnd["output"];
  incompleteReason?: IncompleteReason | null;
  warnings?: AttemptEnd["warnings"];
}

/**
 * Prices the attempt at its own start (and prompt size: long-context tiers), stores it
 * with the job's new totals, and publishes the outcome. The job's cost is the exact sum
 * of its attempts' costs.
 */
export async function finish(attempt: Attempt, ending: Ending): Promise<void> {
  attempt.onUsage?.(ending.usage);
  const ended = await holdUntilWritten(() => storeEnding(attempt, ending), attempt.log, "attempt end");
  await publishEnding(attempt, ending, ended);
}

async function storeEnding(attempt: Attempt, ending: Ending): Promise<JobRow | undefined> {
  const { deps, job, number } = attempt;
  clearTimeout(attempt.firstTokenWrite);
  const priced: PricedUsage =
    ending.usage === null
      ? { cost: null, snapshot: null }
      : priceUsage(job.model, attempt.startedAt, ending.usage, deps.prices, {
          providerBatch: attempt.providerBatch === true,
        });
  const cost = priced.cost;
  const warnings =
    priced.warning === undefined ? ending.warnings : [...(ending.warnings ?? job.warnings), priced.warning];
  const { jobUsage, jobCost } = await jobTotals(deps.store, job.id, number, ending.usage, cost);
  return deps.store.jobs.endAttempt(job.id, number, {
    ...ending,
    ...(warnings === undefined ? {} : { warnings }),
    cost,
    jobUsage,
    jobCost,
    priceSnapshot: priced.snapshot,
    firstTokenAt: attempt.firstTokenAt,
  });
}

async function publishEnding(attempt: Attempt, ending: Ending, ended: JobRow | undefined): Promise<void> {
  const { deps, number } = attempt;
  if (ended === undefined) {
    attempt.log.warn("attempt ended after another delivery took the job over");
    await attempt.events.close(false);
    return;
  }
  if (ended.usage !== null)
    attempt.events.push({ type: "usage", attempt: number, usage: ended.usage, cost: ended.cost });
  if (ending.outcome === "retried") {
    const error = ending.error === null ? undefined : { type: ending.error.type, message: ending.error.message };
    attempt.events.push({ type: "status", status: "queued", attempt: number, ...(error ? { error } : {}) });
    await attempt.events.close(false);
    return;
  }
  attempt.events.push({ type: "status", status: ended.status, attempt: number });
  attempt.events.push({ type: "done" });
  await attempt.events.close(true, jobRowToText(ended));
  await deps.onTerminal(ended);
}

/** A job that ended without an attempt of this delivery (cancelled while its holder was gone). */
async function publishDone(deps: RunJobDeps, job: JobRow): Promise<void> {
  await deps.events.append(job.id, [{ type: "done" }], true);
  await deps.onTerminal(job);
}
