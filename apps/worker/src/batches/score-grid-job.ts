import { addDecimalStrings } from "@reasonq/billing";
import { isSpecProblem, isTerminal, JobRequestSchema, type JobStatus, ReasonqError, toJobSpec } from "@reasonq/core";
import { createScorer, type DatasetItem, type Scorer } from "@reasonq/eval";
import { type BatchSpec, parseBatchSpec, planJob, storePlannedJob } from "@reasonq/jobs";
import type { JobRow, ResultInput } from "@reasonq/store";
import type { FanOutDeps } from "./fan-out.ts";
import { FAN_OUT_CHUNK, MAX_IN_FLIGHT } from "./fan-out.ts";

/** Scorers compiled once per batch (regexes, JSON schemas), not once per job. */
const scorers = new Map<string, Scorer>();
const MAX_CACHED_SCORERS = 100;

function scorerFor(batchId: string, stored: unknown): Scorer {
  let scorer = scorers.get(batchId);
  if (scorer === undefined) {
    if (scorers.size >= MAX_CACHED_SCORERS) scorers.delete(scorers.keys().next().value as string);
    const spec: BatchSpec = parseBatchSpec(stored, batchId);
    scorer = createScorer(spec.scorer);
    scorers.set(batchId, scorer);
  }
  return scorer;
}

/** Metadata key tying a judge's job to the grid job it grades. */
export const JUDGE_FOR = "judge_for";

/**
 * Called when any job reaches a terminal status. A grid job is scored and counted into
 * its batch (once: a repeated call changes nothing); with a `judge` scorer a judge job
 * is started instead and the grid job is counted when the judge answers. Then the batch
 * is asked for more jobs when its in-flight count has room.
 */
export async function onJobTerminal(deps: FanOutDeps, job: JobRow): Promise<void> {
  const judged = job.metadata[JUDGE_FOR];
  if (judged !== undefined) return onJudgeTerminal(deps, job, judged);
  if (job.batch_id === null || !isTerminal(job.status)) return;
  const result = await deps.store.batches.resultFor(job.id);
  if (result === undefined || result.scored_at !== null) return;
  const batch = await deps.store.batches.get(result.batch_id);
  if (batch === undefined) return;
  const scorer = scorerFor(batch.id, batch.spec);
  const answered = job.status === "succeeded" || job.status === "incomplete";

  if (scorer.kind === "judge" && job.status === "succeeded" && batch.status === "running") {
    const item = await itemOf(deps, batch.dataset_id, result.item_idx, result.item_id);
    await startJudge(deps, job, item, scorer);
    return;
  }
  let input: ResultInput;
  if (!answered) {
    input = unscored(job.status, job.cost_total);
  } else if (scorer.kind === "answer") {
    const item = await itemOf(deps, batch.dataset_id, result.item_idx, result.item_id);
    const scored = scorer.score(job.output?.answer ?? "", item);
    input = {
      status: job.status,
      correct: job.status === "incomplete" ? false : scored.correct,
      score: job.status === "incomplete" ? 0 : scored.score,
      extracted: scored.extracted,
      detail: scored.detail === undefined ? null : { detail: scored.detail },
      costUsd: job.cost_total,
    };
  } else {
    input = { ...unscored(job.status, job.cost_total), correct: false, score: 0 };
  }
  await record(deps, job.id, input);
}

function unscored(status: JobStatus, cost: string | null): ResultInput {
  return { status, correct: null, score: null, extracted: null, detail: null, costUsd: cost };
}

async function record(deps: FanOutDeps, jobId: string, input: ResultInput): Promise<void> {
  const batch = await deps.store.batches.recordResult(jobId, input);
  if (batch?.completed_at != null) await deps.batchEnded?.(batch);
  if (batch === undefined || batch.status !== "running" || batch.stop_reason !== null) return;
  const inFlight = batch.created_jobs - batch.finished_jobs;
  // A budget-paused batch needs a step whenever a job ends, whatever the in-flight count.
  const budgeted = batch.max_cost_usd !== null;
  if (batch.created_jobs < batch.total_jobs && (budgeted || inFlight <= MAX_IN_FLIGHT - FAN_OUT_CHUNK)) {
    await deps.queues.requestFanOut(batch.id, batch.created_jobs);
  }
}

async function itemOf(deps: FanOutDeps, datasetId: string, idx: number, id: string): Promise<DatasetItem> {
  const [row] = await deps.store.datasets.items(datasetId, idx, idx + 1);
  if (row === undefined) throw new Error(`dataset ${datasetId} has no item ${idx}`);
  return { ...(row.item as Omit<DatasetItem, "id">), id };
}

/** The judge runs as a job of its own (its cost is its own, and counted into the batch). */
async function startJudge(
  deps: FanOutDeps,
  job: JobRow,
  item: DatasetItem,
  scorer: Extract<Scorer, { kind: "judge" }>,
): Promise<void> {
  const request = scorer.request(item, job.output?.answer ?? "");
  const parsed = JobRequestSchema.safeParse({ ...request, metadata: { ...request.metadata, [JUDGE_FOR]: job.id } });
  const spec = parsed.success ? toJobSpec(parsed.data) : { field: "scorer", message: parsed.error.message };
  if (isSpecProblem(spec)) {
    await record(deps, job.id, { ...unscored(job.status, job.cost_total), detail: { judge_error: spec.message } });
    return;
  }
  // The judge is planned and admitted against the key's spend cap like any submit; a judge
  // that cannot run (refused by its model, or past the cap) leaves the answer unscored.
  let judge: JobRow;
  try {
    const key = await deps.store.apiKeys.get(job.api_key_id);
    const planned = planJob(spec, { id: job.api_key_id, spend_cap_usd: key?.spend_cap_usd ?? null }, deps);
    judge = (await storePlannedJob(deps.store, planned)).job;
  } catch (error) {
    if (!ReasonqError.is(error)) throw error;
    await record(deps, job.id, {
      ...unscored(job.status, job.cost_total),
      detail: { judge_error: error.message, judge_error_type: error.type },
    });
    return;
  }
  await deps.queues.enqueue(judge.provider, judge.id);
}

async function onJudgeTerminal(deps: FanOutDeps, judge: JobRow, gradedId: string): Promise<void> {
  const graded = await deps.store.jobs.get(gradedId);
  if (graded === undefined || graded.batch_id === null) return;
  const batch = await deps.store.batches.get(graded.batch_id);
  if (batch === undefined) return;
  const scorer = scorerFor(batch.id, batch.spec);
  const judgeCost = judge.cost_total ?? "0";
  const costUsd = addDecimalStrings([graded.cost_total ?? "0", judgeCost]);
  if (scorer.kind !== "judge" || judge.status !== "succeeded") {
    await record(deps, graded.id, {
      ...unscored(graded.status, costUsd),
      detail: { judge_job_id: judge.id, judge_status: judge.status, judge_cost_usd: judgeCost },
    });
    return;
  }
  const verdict = scorer.verdict(judge.output?.answer ?? "");
  await record(deps, graded.id, {
    status: graded.status,
    correct: verdict.correct,
    score: verdict.score,
    extracted: verdict.extracted,
    detail: {
      judge_job_id: judge.id,
      judge_cost_usd: judgeCost,
      ...(verdict.detail ? { detail: verdict.detail } : {}),
    },
    costUsd,
  });
}
