import { Groups, type JobError, type JobSpec, type JobStatus, type Output, type Warning } from "@reasonq/core";
import { CompiledQuery, type Kysely, sql, type Transaction } from "kysely";
import type { AttemptRow, Database, JobRow, StoredRequest } from "../schema.ts";
import { isDatabaseUnavailable } from "../unavailable.ts";
import { type Claim, type ClaimResult, claimJobs } from "./claim-job.ts";
import { type AttemptEnd, type AttemptEnding, endAttempts } from "./end-attempts.ts";
import { GET_JOB, GET_KEY_JOB, INSERT_JOBS, MARK_FIRST_TOKEN } from "./job-statements.ts";
import { UsageRepository } from "./usage-repository.ts";

export type { ClaimResult } from "./claim-job.ts";
export type { AttemptEnd } from "./end-attempts.ts";

export interface NewJob {
  id: string;
  api_key_id: string;
  model: string;
  provider: string;
  spec: JobSpec;
  resolved_params: Record<string, unknown>;
  prepared_request: StoredRequest;
  metadata: Record<string, string>;
  warnings: Warning[];
  batch_id?: string | null;
  idempotency_key?: string | null;
  request_hash?: string | null;
  /** The pre-flight maximum cost: held against the key's spend cap while the job is unfinished. */
  max_cost_estimate?: string | null;
}

export interface JobListFilter {
  apiKeyId: string;
  status?: JobStatus;
  batchId?: string;
  model?: string;
  /** Jobs whose metadata holds all these pairs. */
  metadata?: Record<string, string>;
  /** Exclusive cursor: the id of the last job of the previous page. */
  after?: string;
  limit: number;
}

export type CancelResult =
  | { kind: "cancelled"; job: JobRow }
  | { kind: "signalled"; job: JobRow }
  | { kind: "terminal"; job: JobRow };

const json = (value: unknown): string => JSON.stringify(value);

/**
 * One group of claims (or of ends) in flight per process, one job once per group; a group
 * that fails for any reason but an unreachable database runs each call alone, so one bad
 * call fails only itself.
 */
const GROUPS = {
  maxInFlight: 1,
  maxGroup: 64,
  key: (item: { id: string }) => item.id,
  retryAlone: (error: unknown) => !isDatabaseUnavailable(error),
};

export class JobsRepository {
  readonly #db: Kysely<Database>;

  /** Claims and ends of jobs running at the same time go to the database together. */
  readonly #claims: Groups<Claim, ClaimResult>;
  readonly #ends: Groups<AttemptEnding, JobRow | undefined>;

  constructor(db: Kysely<Database>) {
    this.#db = db;
    this.#claims = new Groups<Claim, ClaimResult>((claims) => claimJobs(db, claims), GROUPS);
    this.#ends = new Groups<AttemptEnding, JobRow | undefined>((endings) => endAttempts(db, endings), GROUPS);
  }

  /**
   * Inserts the job. With an idempotency key that the same API key used before, the
   * earlier job is returned instead (`created: false`) and the caller compares hashes.
   */
  async create(job: NewJob): Promise<{ job: JobRow; created: boolean }> {
    return insertJob(this.#db, job);
  }

  /**
   * Inserts many jobs without idempotency keys in one statement (group commit: submits
   * that arrive together share one round trip and one commit). Rows come back in order.
   */
  async createMany(jobs: readonly NewJob[]): Promise<JobRow[]> {
    if (jobs.length === 0) return [];
    const { rows } = await this.#db.executeQuery<JobRow>(
      CompiledQuery.raw(INSERT_JOBS, [
        jobs.map((job) => job.id),
        jobs.map((job) => job.api_key_id),
        jobs.map((job) => job.model),
        jobs.map((job) => job.provider),
        jobs.map((job) => json(job.spec)),
        jobs.map((job) => json(job.resolved_params)),
        jobs.map((job) => json(job.prepared_request)),
        jobs.map((job) => json(job.metadata)),
        jobs.map((job) => json(job.warnings)),
        jobs.map((job) => job.batch_id ?? null),
        jobs.map((job) => job.idempotency_key ?? null),
        jobs.map((job) => job.request_hash ?? null),
        jobs.map((job) => job.max_cost_estimate ?? null),
      ]),
    );
    const byId = new Map(rows.map((row) => [row.id, row]));
    return jobs.map((job) => {
      const row = byId.get(job.id);
      if (row === undefined) throw new Error(`job ${job.id} was not inserted`);
      return row;
    });
  }

  /**
   * Inserts like `create`, after `admit` has seen what the job's key has spent and holds in
   * unfinished jobs, under a lock per key: two submits at once cannot both fit under a
   * spend cap that only one fits under. `admit` refuses by throwing.
   */
  async createAdmitted(
    job: NewJob,
    admit: (committed: { spent: string; reserved: string }) => void,
  ): Promise<{ job: JobRow; created: boolean }> {
    return this.#db.transaction().execute(async (tx) => {
      await sql`select pg_advisory_xact_lock(hashtext(${job.api_key_id}))`.execute(tx);
      // A repeated Idempotency-Key returns the earlier job; it starts nothing, so the cap is not asked.
      const earlier = await findByIdempotencyKey(tx, job);
      if (earlier !== undefined) return { job: earlier, created: false };
      const usage = new UsageRepository(tx);
      admit(await usage.committedBy(job.api_key_id));
      return insertJob(tx, job);
    });
  }

  /** Reads a job; with `apiKeyId`, only that key's job (another key's id reads as absent). */
  async get(id: string, apiKeyId?: string): Promise<JobRow | undefined> {
    const query =
      apiKeyId === undefined ? CompiledQuery.raw(GET_JOB, [id]) : CompiledQuery.raw(GET_KEY_JOB, [id, apiKeyId]);
    const { rows } = await this.#db.executeQuery<JobRow>(query);
    return rows[0];
  }

  /** The output of the key's newest job that made the tool call `callId`. */
  async outputWithToolCall(apiKeyId: string, callId: string): Promise<Output | undefined> {
    const row = await this.#db
      .selectFrom("jobs")
      .select("output")
      .where("api_key_id", "=", apiKeyId)
      .where(sql<boolean>`output -> 'tool_calls' @> ${JSON.stringify([{ id: callId }])}::jsonb`)
      .orderBy("id", "desc")
      .limit(1)
      .executeTakeFirst();
    return row?.output ?? undefined;
  }

  /** Newest first; ids are time-sortable, so the id is the cursor. */
  async list(filter: JobListFilter): Promise<{ rows: JobRow[]; hasMore: boolean }> {
    let query = this.#db.selectFrom("jobs").selectAll().where("api_key_id", "=", filter.apiKeyId);
    if (filter.status !== undefined) query = query.where("status", "=", filter.status);
    if (filter.batchId !== undefined) query = query.where("batch_id", "=", filter.batchId);
    if (filter.model !== undefined) query = query.where("model", "=", filter.model);
    if (filter.metadata !== undefined) {
      query = query.where(sql<boolean>`metadata @> ${JSON.stringify(filter.metadata)}::jsonb`);
    }
    if (filter.after !== undefined) query = query.where("id", "<", filter.after);
    const rows = await query
      .orderBy("id", "desc")
      .limit(filter.limit + 1)
      .execute();
    return { rows: rows.slice(0, filter.limit), hasMore: rows.length > filter.limit };
  }

  async attempts(jobId: string): Promise<AttemptRow[]> {
    return this.#db.selectFrom("job_attempts").selectAll().where("job_id", "=", jobId).orderBy("attempt").execute();
  }

  /**
   * The compare-and-set that makes a delivery the job's only runner. `delivery` counts
   * the queue's deliveries of this job: a later delivery may take over a `running` row
   * (its holder died and the queue handed the job on), an equal or earlier one is a
   * duplicate and claims nothing.
   */
  async claim(id: string, delivery: number): Promise<ClaimResult> {
    return this.#claims.submit({ id, delivery });
  }

  async markFirstToken(id: string, attempt: number, at = new Date()): Promise<void> {
    await this.#db.executeQuery(CompiledQuery.raw(MARK_FIRST_TOKEN, [id, attempt, at]));
  }

  /**
   * Ends an attempt and moves the job on, in one transaction. Guarded by the attempt
   * number, so a holder that lost its claim (it stalled and another delivery took the
   * job) cannot overwrite the newer attempt's result. Returns undefined when it lost.
   */
  async endAttempt(id: string, attempt: number, end: AttemptEnd): Promise<JobRow | undefined> {
    return this.#ends.submit({ id, attempt, end, at: new Date() });
  }

  /**
   * A queued job is cancelled at once; a running one is marked, and the caller signals
   * its holder, which ends the attempt and keeps the partial result.
   */
  async cancel(id: string, apiKeyId: string): Promise<CancelResult | undefined> {
    return this.#db.transaction().execute(async (tx) => {
      const job = await tx
        .selectFrom("jobs")
        .selectAll()
        .where("id", "=", id)
        .where("api_key_id", "=", apiKeyId)
        .forUpdate()
        .executeTakeFirst();
      if (job === undefined) return undefined;
      if (job.status === "queued") return { kind: "cancelled", job: await settleCancelled(tx, job) } as const;
      if (job.status !== "running") return { kind: "terminal", job } as const;
      const marked = await tx
        .updateTable("jobs")
        .set((eb) => ({ cancel_requested_at: eb.fn.coalesce("cancel_requested_at", eb.val(new Date())) }))
        .where("id", "=", id)
        .returningAll()
        .executeTakeFirstOrThrow();
      return { kind: "signalled", job: marked } as const;
    });
  }

  /** Removes jobs that never reached their queue, so a refused submission leaves nothing behind. */
  async discardUnstarted(...ids: string[]): Promise<void> {
    if (ids.length === 0) return;
    await this.#db.deleteFrom("jobs").where("id", "in", ids).where("attempts", "=", 0).execute();
  }

  /** A running job whose holder the queue no longer knows: back to queued, its attempt lost. */
  async requeueLost(id: string): Promise<void> {
    await this.#db.transaction().execute(async (tx) => {
      const moved = await tx
        .updateTable("jobs")
        .set({ status: "queued", updated_at: new Date() })
        .where("id", "=", id)
        .where("status", "=", "running")
        .executeTakeFirst();
      if (moved.numUpdatedRows > 0n) await markLost(tx, id);
    });
  }

  /**
   * Jobs not yet terminal whose row has not moved since `before`: candidates to re-enqueue.
   * A job in a provider batch is that batch's to finish, not the queue's.
   */
  async unfinishedSince(before: Date, limit: number): Promise<Pick<JobRow, "id" | "provider" | "status">[]> {
    return this.#db
      .selectFrom("jobs")
      .select(["id", "provider", "status"])
      .where("status", "in", ["queued", "running"])
      .where("provider_batch_id", "is", null)
      .where("updated_at", "<", before)
      .orderBy("updated_at")
      .limit(limit)
      .execute();
  }
}

function toInsert(job: NewJob) {
  return {
    ...job,
    status: "queued" as const,
    spec: json(job.spec),
    resolved_params: json(job.resolved_params),
    prepared_request: json(job.prepared_request),
    metadata: json(job.metadata),
    warnings: json(job.warnings),
  };
}

async function insertJob(db: Kysely<Database>, job: NewJob): Promise<{ job: JobRow; created: boolean }> {
  const inserted = await db
    .insertInto("jobs")
    .values(toInsert(job))
    .onConflict((oc) => oc.columns(["api_key_id", "idempotency_key"]).doNothing())
    .returningAll()
    .executeTakeFirst();
  if (inserted !== undefined) return { job: inserted, created: true };
  const existing = await findByIdempotencyKey(db, job);
  if (existing === undefined) throw new Error(`job ${job.id} was neither inserted nor found by its idempotency key`);
  return { job: existing, created: false };
}

async function findByIdempotencyKey(db: Kysely<Database>, job: NewJob): Promise<JobRow | undefined> {
  if (job.idempotency_key == null) return undefined;
  return db
    .selectFrom("jobs")
    .selectAll()
    .where("api_key_id", "=", job.api_key_id)
    .where("idempotency_key", "=", job.idempotency_key)
    .executeTakeFirst();
}

async function markLost(tx: Transaction<Database>, id: string): Promise<void> {
  await tx
    .updateTable("job_attempts")
    .set({ outcome: "lost", ended_at: new Date() })
    .where("job_id", "=", id)
    .where("outcome", "=", "running")
    .execute();
}

async function settleCancelled(tx: Transaction<Database>, job: JobRow): Promise<JobRow> {
  const error: JobError = { type: "job_cancelled", message: "the job was cancelled" };
  return tx
    .updateTable("jobs")
    .set({
      status: "cancelled",
      completed_at: new Date(),
      updated_at: new Date(),
      error: json(error),
      cancel_requested_at: job.cancel_requested_at ?? new Date(),
    })
    .where("id", "=", job.id)
    .returningAll()
    .executeTakeFirstOrThrow();
}
