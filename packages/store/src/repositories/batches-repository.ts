import type { JobStatus } from "@reasonq/core";
import { type Kysely, sql, type Transaction } from "kysely";
import type { BatchResultRow, BatchRow, Database } from "../schema.ts";
import type { NewJob } from "./jobs-repository.ts";
import { UsageRepository } from "./usage-repository.ts";

export interface NewBatch {
  id: string;
  api_key_id: string;
  name: string;
  dataset_id: string;
  spec: Record<string, unknown>;
  item_count: number;
  variant_count: number;
  repeats: number;
  max_cost_usd: string | null;
  metadata: Record<string, string>;
}

/** A grid position: ordinal = (item × variants + variant) × repeats + repeat. */
export interface GridCell {
  ordinal: number;
  itemIdx: number;
  itemId: string;
  item: Record<string, unknown>;
  variantIdx: number;
  repeat: number;
}

/**
 * What fan-out makes of a cell: the job, and the money it reserves against the batch
 * budget until it ends; or a stop, because the batch budget (`budget`) or the key's spend
 * cap (`spend_cap`) has no room for it.
 */
export type CellPlan = { job: NewJob; reservedUsd: string } | { stop: BudgetStop };
export type BudgetStop = "budget" | "spend_cap";

/** What the batch's key has spent and holds in unfinished jobs, read under the key's lock. */
export interface KeyCommitted {
  spendCapUsd: string;
  spent: string;
  reserved: string;
}

export interface FanOutResult {
  created: Array<{ id: string; provider: string }>;
  /** Jobs created so far and the grid size, after this step. */
  createdJobs: number;
  totalJobs: number;
  stopped: boolean;
  /** The budget has no room until jobs in flight end; they ask for the next step. */
  paused?: boolean;
}

export interface ResultInput {
  status: JobStatus;
  correct: boolean | null;
  score: number | null;
  extracted: string | null;
  detail: Record<string, unknown> | null;
  /** The job's exact total cost (null: it consumed nothing). */
  costUsd: string | null;
}

export interface ResultWithJob {
  ordinal: number;
  item_id: string;
  variant_idx: number;
  repeat: number;
  job_id: string;
  status: JobStatus;
  correct: boolean | null;
  score: number | null;
  extracted: string | null;
  answer: string | null;
  reasoning: string | null;
  reasoning_tokens: number | null;
  output_tokens: number | null;
  input_tokens: number | null;
  cost: string | null;
  latency_ms: number | null;
  error_type: string | null;
  incomplete_reason: string | null;
}

export interface VariantStats {
  variant_idx: number;
  scored: number;
  correct: number;
  incorrect: number;
  succeeded: number;
  incomplete: number;
  failed: number;
  cancelled: number;
  cost: string;
  reasoning_mean: number | null;
  reasoning_p50: number | null;
  reasoning_p95: number | null;
  latency_p50_ms: number | null;
  latency_p95_ms: number | null;
  truncated: number;
  refused: number;
}

export class BatchesRepository {
  readonly #db: Kysely<Database>;

  constructor(db: Kysely<Database>) {
    this.#db = db;
  }

  async create(batch: NewBatch): Promise<BatchRow> {
    const total = batch.item_count * batch.variant_count * batch.repeats;
    return this.#db
      .insertInto("batches")
      .values({
        ...batch,
        status: "running",
        total_jobs: total,
        spec: JSON.stringify(batch.spec),
        metadata: JSON.stringify(batch.metadata),
      })
      .returningAll()
      .executeTakeFirstOrThrow();
  }

  async get(id: string, apiKeyId?: string): Promise<BatchRow | undefined> {
    let query = this.#db.selectFrom("batches").selectAll().where("id", "=", id);
    if (apiKeyId !== undefined) query = query.where("api_key_id", "=", apiKeyId);
    return query.executeTakeFirst();
  }

  async list(apiKeyId: string, limit: number, after?: string): Promise<{ rows: BatchRow[]; hasMore: boolean }> {
    let query = this.#db.selectFrom("batches").selectAll().where("api_key_id", "=", apiKeyId);
    if (after !== undefined) query = query.where("id", "<", after);
    const rows = await query
      .orderBy("id", "desc")
      .limit(limit + 1)
      .execute();
    return { rows: rows.slice(0, limit), hasMore: rows.length > limit };
  }

  /**
   * Creates the next jobs of the grid, at most `chunk` and never more than `maxInFlight`
   * unfinished, in one transaction with the batch row locked, so concurrent fan-out steps
   * cannot create a cell twice. `plan` turns a cell into a job; when it says the budget or
   * the key's spend cap has no room, the step ends, and the batch stops for good (ending
   * when its last job ends, `stop_reason` naming which) only when no job is in flight to
   * free any. When the batch's key has a spend cap, the step holds the key's lock (the one
   * single submits take) and `plan` gets what the key has spent and reserved at its start.
   */
  async fanOut(
    batchId: string,
    options: { chunk: number; maxInFlight: number },
    plan: (cell: GridCell, batch: BatchRow, key: KeyCommitted | null) => CellPlan,
  ): Promise<FanOutResult> {
    return this.#db.transaction().execute(async (tx) => {
      const batch = await tx.selectFrom("batches").selectAll().where("id", "=", batchId).forUpdate().executeTakeFirst();
      if (batch === undefined) return { created: [], createdJobs: 0, totalJobs: 0, stopped: true };
      const done = { created: [], createdJobs: batch.created_jobs, totalJobs: batch.total_jobs };
      if (batch.status !== "running" || batch.stop_reason !== null) return { ...done, stopped: true };
      const inFlight = batch.created_jobs - batch.finished_jobs;
      const count = Math.min(options.chunk, batch.total_jobs - batch.created_jobs, options.maxInFlight - inFlight);
      if (count <= 0) return { ...done, stopped: batch.created_jobs >= batch.total_jobs };
      const key = await keyCommitted(tx, batch.api_key_id);

      const perItem = batch.variant_count * batch.repeats;
      const first = batch.created_jobs;
      const firstItem = Math.floor(first / perItem);
      const lastItem = Math.floor((first + count - 1) / perItem);
      const items = await tx
        .selectFrom("dataset_items")
        .select(["idx", "item_id", "item"])
        .where("dataset_id", "=", batch.dataset_id)
        .where("idx", ">=", firstItem)
        .where("idx", "<=", lastItem)
        .orderBy("idx")
        .execute();
      const byIdx = new Map(items.map((row) => [row.idx, row]));

      const created: Array<{ id: string; provider: string }> = [];
      let stopped = false;
      let paused = false;
      let stopReason: BudgetStop = "budget";
      for (let ordinal = first; ordinal < first + count; ordinal++) {
        const itemIdx = Math.floor(ordinal / perItem);
        const row = byIdx.get(itemIdx);
        if (row === undefined) throw new Error(`dataset ${batch.dataset_id} has no item ${itemIdx}`);
        const within = ordinal % perItem;
        const cell: GridCell = {
          ordinal,
          itemIdx,
          itemId: row.item_id,
          item: row.item,
          variantIdx: Math.floor(within / batch.repeats),
          repeat: within % batch.repeats,
        };
        const planned = plan(cell, batch, key);
        if ("stop" in planned) {
          // With jobs in flight the budget may free up as they end (their reservation is
          // replaced by what they really cost); with none, nothing will change: stop.
          stopped = inFlight + created.length === 0;
          paused = !stopped;
          stopReason = planned.stop;
          break;
        }
        await tx
          .insertInto("jobs")
          .values({
            ...planned.job,
            status: "queued",
            spec: JSON.stringify(planned.job.spec),
            resolved_params: JSON.stringify(planned.job.resolved_params),
            prepared_request: JSON.stringify(planned.job.prepared_request),
            metadata: JSON.stringify(planned.job.metadata),
            warnings: JSON.stringify(planned.job.warnings),
          })
          .execute();
        await tx
          .insertInto("batch_results")
          .values({
            job_id: planned.job.id,
            batch_id: batchId,
            ordinal,
            item_idx: cell.itemIdx,
            item_id: cell.itemId,
            variant_idx: cell.variantIdx,
            repeat: cell.repeat,
            reserved_usd: planned.reservedUsd,
          })
          .execute();
        await tx
          .updateTable("batches")
          .set((eb) => ({ reserved_usd: eb("reserved_usd", "+", planned.reservedUsd) }))
          .where("id", "=", batchId)
          .execute();
        created.push({ id: planned.job.id, provider: planned.job.provider });
      }
      const createdJobs = first + created.length;
      await tx
        .updateTable("batches")
        .set({
          created_jobs: createdJobs,
          updated_at: new Date(),
          ...(stopped ? { stop_reason: stopReason } : {}),
        })
        .where("id", "=", batchId)
        .execute();
      if (stopped) await settle(tx, batchId);
      return { created, createdJobs, totalJobs: batch.total_jobs, stopped, paused };
    });
  }

  /**
   * Records a finished grid job's score and money once (a second call for the same job
   * changes nothing), and ends the batch when its last job is in.
   */
  async recordResult(jobId: string, result: ResultInput): Promise<BatchRow | undefined> {
    return this.#db.transaction().execute(async (tx) => {
      const row = await tx
        .updateTable("batch_results")
        .set({
          status: result.status,
          correct: result.correct,
          score: result.score === null ? null : String(result.score),
          extracted: result.extracted,
          score_detail: result.detail === null ? null : JSON.stringify(result.detail),
          scored_at: new Date(),
        })
        .where("job_id", "=", jobId)
        .where("scored_at", "is", null)
        .returning(["batch_id", "reserved_usd"])
        .executeTakeFirst();
      if (row === undefined) return undefined;
      await tx
        .updateTable("batches")
        .set((eb) => ({
          finished_jobs: eb("finished_jobs", "+", 1),
          spent_usd: eb("spent_usd", "+", result.costUsd ?? "0"),
          reserved_usd: eb("reserved_usd", "-", row.reserved_usd),
          updated_at: new Date(),
        }))
        .where("id", "=", row.batch_id)
        .execute();
      return settle(tx, row.batch_id);
    });
  }

  /** Stops the batch: returns the ids of its jobs that are still queued or running. */
  async cancel(id: string, apiKeyId: string): Promise<{ batch: BatchRow; unfinished: string[] } | undefined> {
    return this.#db.transaction().execute(async (tx) => {
      const found = await tx
        .selectFrom("batches")
        .selectAll()
        .where("id", "=", id)
        .where("api_key_id", "=", apiKeyId)
        .forUpdate()
        .executeTakeFirst();
      if (found === undefined) return undefined;
      const batch =
        found.status !== "running"
          ? found
          : await tx
              .updateTable("batches")
              .set({ status: "cancelled", stop_reason: found.stop_reason ?? "cancelled", updated_at: new Date() })
              .where("id", "=", id)
              .returningAll()
              .executeTakeFirstOrThrow();
      const unfinished = await tx
        .selectFrom("jobs")
        .select("id")
        .where("batch_id", "=", id)
        .where("status", "in", ["queued", "running"])
        .execute();
      return { batch, unfinished: unfinished.map((j) => j.id) };
    });
  }

  /** Counts of the batch's jobs by status. */
  async statusCounts(batchId: string): Promise<Record<string, number>> {
    const rows = await this.#db
      .selectFrom("jobs")
      .select(["status", (eb) => eb.fn.countAll<number>().as("n")])
      .where("batch_id", "=", batchId)
      .groupBy("status")
      .execute();
    return Object.fromEntries(rows.map((r) => [r.status, Number(r.n)]));
  }

  /** Per-variant aggregates, computed by the database over the scored grid jobs. */
  async variantStats(batchId: string): Promise<VariantStats[]> {
    const result = await sql<VariantStats>`
      select r.variant_idx,
        count(*)::int as scored,
        count(*) filter (where r.correct)::int as correct,
        count(*) filter (where r.correct = false)::int as incorrect,
        count(*) filter (where r.status = 'succeeded')::int as succeeded,
        count(*) filter (where r.status = 'incomplete')::int as incomplete,
        count(*) filter (where r.status = 'failed')::int as failed,
        count(*) filter (where r.status = 'cancelled')::int as cancelled,
        count(*) filter (where j.incomplete_reason = 'max_output_tokens')::int as truncated,
        count(*) filter (where j.incomplete_reason = 'content_filter')::int as refused,
        coalesce(sum(j.cost_total), 0)::text as cost,
        avg((j.usage->>'reasoning_tokens')::numeric)::float8 as reasoning_mean,
        percentile_cont(0.5) within group (order by (j.usage->>'reasoning_tokens')::numeric)::float8 as reasoning_p50,
        percentile_cont(0.95) within group (order by (j.usage->>'reasoning_tokens')::numeric)::float8 as reasoning_p95,
        percentile_cont(0.5) within group (order by extract(epoch from (j.completed_at - j.started_at)) * 1000)::float8
          as latency_p50_ms,
        percentile_cont(0.95) within group (order by extract(epoch from (j.completed_at - j.started_at)) * 1000)::float8
          as latency_p95_ms
      from batch_results r join jobs j on j.id = r.job_id
      where r.batch_id = ${batchId} and r.scored_at is not null
      group by r.variant_idx
      order by r.variant_idx`.execute(this.#db);
    return result.rows;
  }

  /** Failures by error type and variant. */
  async failureTypes(batchId: string): Promise<Array<{ variant_idx: number; type: string; n: number }>> {
    const result = await sql<{ variant_idx: number; type: string; n: number }>`
      select r.variant_idx, j.error->>'type' as type, count(*)::int as n
      from batch_results r join jobs j on j.id = r.job_id
      where r.batch_id = ${batchId} and j.status = 'failed'
      group by r.variant_idx, j.error->>'type'`.execute(this.#db);
    return result.rows;
  }

  /** Grid results in order, a page at a time (keyset on the ordinal). */
  async results(batchId: string, afterOrdinal: number, limit: number): Promise<BatchResultRow[]> {
    return this.#db
      .selectFrom("batch_results")
      .selectAll()
      .where("batch_id", "=", batchId)
      .where("ordinal", ">", afterOrdinal)
      .orderBy("ordinal")
      .limit(limit)
      .execute();
  }

  /** Grid results with their jobs' outcome, in grid order, a page at a time. */
  async resultRows(batchId: string, afterOrdinal: number, limit: number): Promise<ResultWithJob[]> {
    const result = await sql<ResultWithJob>`
      select r.ordinal, r.item_id, r.variant_idx, r.repeat, r.job_id, j.status, r.correct, r.score::float8 as score,
        r.extracted, j.output->>'answer' as answer, j.output->>'reasoning' as reasoning,
        (j.usage->>'reasoning_tokens')::int as reasoning_tokens, (j.usage->>'output_tokens')::int as output_tokens,
        (j.usage->>'input_tokens')::int as input_tokens, j.cost_total::text as cost,
        (extract(epoch from (j.completed_at - j.started_at)) * 1000)::float8 as latency_ms,
        j.error->>'type' as error_type, j.incomplete_reason
      from batch_results r join jobs j on j.id = r.job_id
      where r.batch_id = ${batchId} and r.ordinal > ${afterOrdinal}
      order by r.ordinal
      limit ${limit}`.execute(this.#db);
    return result.rows;
  }

  /** Grid jobs that ended before `before` but were never counted into their batch. */
  async uncounted(before: Date, limit: number): Promise<string[]> {
    const rows = await this.#db
      .selectFrom("batch_results as r")
      .innerJoin("jobs as j", "j.id", "r.job_id")
      .select("r.job_id")
      .where("r.scored_at", "is", null)
      .where("j.status", "in", ["succeeded", "incomplete", "failed", "cancelled"])
      .where("j.completed_at", "<", before)
      .limit(limit)
      .execute();
    return rows.map((r) => r.job_id);
  }

  async resultFor(jobId: string): Promise<BatchResultRow | undefined> {
    return this.#db.selectFrom("batch_results").selectAll().where("job_id", "=", jobId).executeTakeFirst();
  }
}

/** The key's money when it has a spend cap, read under the lock single submits take (`createAdmitted`). */
async function keyCommitted(tx: Transaction<Database>, apiKeyId: string): Promise<KeyCommitted | null> {
  const key = await tx.selectFrom("api_keys").select("spend_cap_usd").where("id", "=", apiKeyId).executeTakeFirst();
  if (key === undefined || key.spend_cap_usd === null) return null;
  await sql`select pg_advisory_xact_lock(hashtext(${apiKeyId}))`.execute(tx);
  const usage = new UsageRepository(tx);
  return {
    spendCapUsd: key.spend_cap_usd,
    spent: await usage.spentBy(apiKeyId),
    reserved: await usage.reservedBy(apiKeyId),
  };
}

/** Ends a batch whose jobs are all in: completed, or budget_exhausted when it stopped early. */
async function settle(tx: Transaction<Database>, batchId: string): Promise<BatchRow> {
  const batch = await tx
    .selectFrom("batches")
    .selectAll()
    .where("id", "=", batchId)
    .forUpdate()
    .executeTakeFirstOrThrow();
  const allIn = batch.finished_jobs === batch.created_jobs;
  const noMore = batch.created_jobs === batch.total_jobs || batch.stop_reason !== null;
  if (!allIn || !noMore || batch.completed_at !== null) return batch;
  const status: BatchRow["status"] =
    batch.status !== "running"
      ? batch.status
      : batch.stop_reason === "budget" || batch.stop_reason === "spend_cap"
        ? "budget_exhausted"
        : "completed";
  return tx
    .updateTable("batches")
    .set({ status, completed_at: new Date(), updated_at: new Date() })
    .where("id", "=", batchId)
    .returningAll()
    .executeTakeFirstOrThrow();
}
