import type { JobStatus } from "@reasonq/core";
import { type Kysely, sql } from "kysely";
import type { BatchResultRow, BatchRow, Database } from "../schema.ts";
import { type CellPlanner, type FanOutResult, fanOutBatch } from "./batch-fan-out.ts";
import { BATCH_ENDED, settle } from "./settle-batch.ts";

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
  webhook_url?: string | null;
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
   * Creates the next jobs of the grid (see `fanOutBatch`), in one transaction with the
   * batch row locked.
   */
  async fanOut(
    batchId: string,
    options: { chunk: number; maxInFlight: number },
    plan: CellPlanner,
  ): Promise<FanOutResult> {
    return fanOutBatch(this.#db, batchId, options, plan);
  }

  /**
   * Records a finished grid job's score and money once (a second call for the same job
   * changes nothing), and ends the batch when its last job is in.
   */
  async recordResult(jobId: string, result: ResultInput): Promise<BatchRow | undefined> {
    const now = new Date();
    // One statement: the batch row is locked only while it runs, not across the round trips
    // of a transaction, so the workers counting in a batch's jobs at once do not queue behind
    // each other (with 32 of them they waited out the pool's connect timeout). The end rule is
    // `settle`'s, evaluated on the row as counted: UPDATE re-reads a row a concurrent count
    // changed, so exactly one job's count ends the batch.
    const ends = sql`b.finished_jobs + 1 = b.created_jobs
      and (b.created_jobs = b.total_jobs or b.stop_reason is not null) and b.completed_at is null`;
    const { rows } = await sql<BatchRow>`
      with scored as (
        update batch_results set status = ${result.status}, correct = ${result.correct},
          score = ${result.score === null ? null : String(result.score)}, extracted = ${result.extracted},
          score_detail = ${result.detail === null ? null : JSON.stringify(result.detail)}, scored_at = ${now}
        where job_id = ${jobId} and scored_at is null
        returning batch_id, reserved_usd
      ), counted as (
        update batches b set finished_jobs = b.finished_jobs + 1,
          spent_usd = b.spent_usd + ${result.costUsd ?? "0"}, reserved_usd = b.reserved_usd - scored.reserved_usd,
          updated_at = ${now},
          completed_at = case when ${ends} then ${now} else b.completed_at end,
          status = case when ${ends} and b.status = 'running'
            then case when b.stop_reason in ('budget', 'spend_cap') then 'budget_exhausted' else 'completed' end
            else b.status end
        from scored where b.id = scored.batch_id
        returning b.*
      ), delivery as (
        insert into webhook_deliveries (id, api_key_id, event, url)
        select id, api_key_id, ${BATCH_ENDED}, webhook_url from counted
        where completed_at = ${now} and webhook_url is not null
        on conflict (id) do nothing
      )
      select * from counted
    `.execute(this.#db);
    return rows[0];
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
      // With nothing in flight no job's end will settle it: it ends here.
      return { batch: await settle(tx, batch.id), unfinished: unfinished.map((j) => j.id) };
    });
  }

  /**
   * A budgeted batch's money now: its `max_cost_usd`, and what it has committed: spent,
   * reserved (unfinished jobs at their maxima) and what its unfinished jobs' earlier
   * attempts were billed, which `spent` counts only once they end. Undefined without a budget.
   */
  async budget(batchId: string): Promise<{ limit: string; committed: string } | undefined> {
    const result = await sql<{ limit: string; committed: string }>`
      select b.max_cost_usd::text as limit,
        trim_scale(b.spent_usd + b.reserved_usd + coalesce(
          (select sum(j.cost_total) from jobs j where j.batch_id = b.id and j.status in ('queued', 'running')), 0
        ))::text as committed
      from batches b where b.id = ${batchId} and b.max_cost_usd is not null`.execute(this.#db);
    return result.rows[0];
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
