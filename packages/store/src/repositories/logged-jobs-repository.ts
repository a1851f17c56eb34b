import type { Cost, IncompleteReason, JobSpec, Output, PriceSnapshot, Usage, Warning } from "@reasonq/core";
import { type Kysely, sql, type Transaction } from "kysely";
import type { Database, JobRow } from "../schema.ts";

/** A provider call made elsewhere, already normalised and priced: stored as a finished job. */
export interface NewLoggedJob {
  id: string;
  api_key_id: string;
  model: string;
  provider: string;
  status: "succeeded" | "incomplete";
  spec: JobSpec;
  /** The logged request, verbatim. */
  resolved_params: Record<string, unknown>;
  metadata: Record<string, string>;
  warnings: Warning[];
  output: Output;
  usage: Usage | null;
  cost: Cost | null;
  price_snapshot: PriceSnapshot | null;
  incomplete_reason: IncompleteReason | null;
  started_at: Date;
  completed_at: Date;
  /** The provider's usage object verbatim, kept on the attempt so it can be re-priced. */
  raw_usage: unknown;
}

export interface LoggedInsert {
  /** The new job's id, or the id of the job that already holds this provider response. */
  id: string;
  created: boolean;
}

const json = (value: unknown): string => JSON.stringify(value);

/** The idempotency key of a logged exchange (the unique index `jobs_logged_response`). */
const keyOf = (apiKeyId: string, provider: string, responseId: string | null): string | null =>
  responseId === null ? null : JSON.stringify([apiKeyId, provider, responseId]);

/**
 * Logged exchanges (`source = 'logged'`): each is a finished job with exactly one attempt,
 * written with its ledger row in the same transaction, so `/v1/usage` counts it like any
 * provider call. Stored once per (key, provider, provider response id).
 */
export class LoggedJobsRepository {
  readonly #db: Kysely<Database>;

  constructor(db: Kysely<Database>) {
    this.#db = db;
  }

  /** One exchange; `created: false` returns the job already stored for the same response. */
  async insert(job: NewLoggedJob): Promise<{ job: JobRow; created: boolean }> {
    return this.#db.transaction().execute(async (tx) => {
      const [result] = await insertAll(tx, [job]);
      if (result === undefined) throw new Error("a logged insert returned no result");
      const row = await tx.selectFrom("jobs").selectAll().where("id", "=", result.id).executeTakeFirstOrThrow();
      return { job: row, created: result.created };
    });
  }

  /**
   * Several exchanges in one transaction (a chunk of a bulk import): one multi-row insert
   * for the jobs and one for their attempts. Results come back in the input's order;
   * repeats of a response, in the chunk or stored before, return the first job's id.
   */
  async insertMany(jobs: readonly NewLoggedJob[]): Promise<LoggedInsert[]> {
    if (jobs.length === 0) return [];
    return this.#db.transaction().execute((tx) => insertAll(tx, jobs));
  }
}

async function insertAll(tx: Transaction<Database>, jobs: readonly NewLoggedJob[]): Promise<LoggedInsert[]> {
  // No conflict target: the only unique rule a logged row can meet is jobs_logged_response
  // (ids are fresh, idempotency_key is null), and a target naming an expression index with
  // its predicate is spelled differently by every query builder.
  const inserted = await tx
    .insertInto("jobs")
    .values(
      jobs.map((job) => ({
        id: job.id,
        api_key_id: job.api_key_id,
        status: job.status,
        model: job.model,
        provider: job.provider,
        source: "logged" as const,
        spec: json(job.spec),
        resolved_params: json(job.resolved_params),
        metadata: json(job.metadata),
        attempts: 1,
        output: json(job.output),
        usage: job.usage === null ? null : json(job.usage),
        cost: job.cost === null ? null : json(job.cost),
        cost_total: job.cost?.total ?? null,
        price_snapshot: job.price_snapshot === null ? null : json(job.price_snapshot),
        incomplete_reason: job.incomplete_reason,
        warnings: json(job.warnings),
        started_at: job.started_at,
        completed_at: job.completed_at,
      })),
    )
    .onConflict((oc) => oc.doNothing())
    .returning("id")
    .execute();
  const created = new Set(inserted.map((row) => row.id));

  const attempts = jobs
    .filter((job) => created.has(job.id))
    .map((job) => ({
      job_id: job.id,
      attempt: 1,
      delivery: 0,
      outcome: job.status,
      started_at: job.started_at,
      ended_at: job.completed_at,
      error: null,
      usage: job.usage === null ? null : json(job.usage),
      cost: job.cost === null ? null : json(job.cost),
      cost_total: job.cost?.total ?? null,
      raw_usage: job.raw_usage === undefined ? null : json(job.raw_usage),
    }));
  if (attempts.length > 0) await tx.insertInto("job_attempts").values(attempts).execute();

  const existing = await existingIds(
    tx,
    jobs.filter((job) => !created.has(job.id)),
  );
  return jobs.map((job) => {
    if (created.has(job.id)) return { id: job.id, created: true };
    const key = keyOf(job.api_key_id, job.provider, job.output.provider_response_id);
    const id = key === null ? undefined : existing.get(key);
    if (id === undefined) throw new Error(`logged job ${job.id} was neither inserted nor found`);
    return { id, created: false };
  });
}

/** The jobs already holding these exchanges' provider responses, by idempotency key. */
async function existingIds(tx: Transaction<Database>, jobs: readonly NewLoggedJob[]): Promise<Map<string, string>> {
  const found = new Map<string, string>();
  const responseIds = [...new Set(jobs.flatMap((job) => job.output.provider_response_id ?? []))];
  if (responseIds.length === 0) return found;
  const keyIds = [...new Set(jobs.map((job) => job.api_key_id))];
  const rows = await tx
    .selectFrom("jobs")
    .select(["id", "api_key_id", "provider", sql<string>`output ->> 'provider_response_id'`.as("response_id")])
    .where("api_key_id", "in", keyIds)
    .where("source", "=", "logged")
    .where(sql<string>`output ->> 'provider_response_id'`, "in", responseIds)
    .execute();
  for (const row of rows) {
    const key = keyOf(row.api_key_id, row.provider, row.response_id);
    if (key !== null) found.set(key, row.id);
  }
  return found;
}
