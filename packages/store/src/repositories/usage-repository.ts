import { type Kysely, type RawBuilder, sql } from "kysely";
import type { Database } from "../schema.ts";

export type UsageGroupBy = "model" | "provider" | "day" | "key";

export interface UsageQuery {
  /** Only this key's jobs; omitted, every key's (an operator's report). */
  apiKeyId?: string;
  /** Attempts that started at or after `from` and before `to`. */
  from: Date;
  to: Date;
}

/** One line of a usage report: token sums and the exact cost of the billed attempts in the group. */
export interface UsageRow {
  /** The model id, the provider, the UTC day (`YYYY-MM-DD`) or the API key id. */
  group: string;
  input_tokens: number;
  cached_input_tokens: number;
  cache_write_tokens: number;
  output_tokens: number;
  reasoning_tokens: number;
  /** USD, an exact decimal string summed in `numeric` ("0.0123", never a float). */
  cost: string;
  /** Jobs with at least one billed attempt in the group. */
  jobs: number;
  /** Billed attempts: every provider call that reported usage, retries included. */
  attempts: number;
}

const GROUPS: Record<UsageGroupBy, RawBuilder<string>> = {
  model: sql<string>`j.model`,
  provider: sql<string>`j.provider`,
  key: sql<string>`j.api_key_id`,
  day: sql<string>`to_char(a.started_at at time zone 'UTC', 'YYYY-MM-DD')`,
};

const tokens = <F extends string>(field: F) =>
  sql<string>`coalesce(sum((a.usage ->> ${sql.lit(field)})::bigint), 0)::text`.as(field);

function count(text: string, what: string): number {
  const value = Number(text);
  if (!Number.isSafeInteger(value)) throw new RangeError(`${what} is beyond a safe integer: ${text}`);
  return value;
}

/** `sum(numeric)` keeps the widest scale ("0.3000"); trimmed, the text is the exact plain decimal. */
const exactSum = (expression: RawBuilder<unknown>) => sql<string>`coalesce(trim_scale(sum(${expression})), 0)::text`;

/**
 * Reads the usage ledger: `job_attempts`, one row per provider call, each with the usage
 * and cost of that call. A job's cost is the sum of its attempts', so every report adds up
 * to the jobs' totals exactly. All arithmetic happens in PostgreSQL `numeric`.
 */
export class UsageRepository {
  readonly #db: Kysely<Database>;

  constructor(db: Kysely<Database>) {
    this.#db = db;
  }

  /** Token and cost sums grouped by model, provider, UTC day or key, ordered by group. */
  async report(query: UsageQuery & { groupBy: UsageGroupBy }): Promise<UsageRow[]> {
    let select = this.#db
      .selectFrom("job_attempts as a")
      .innerJoin("jobs as j", "j.id", "a.job_id")
      .select([
        GROUPS[query.groupBy].as("group"),
        tokens("input_tokens"),
        tokens("cached_input_tokens"),
        tokens("cache_write_tokens"),
        tokens("output_tokens"),
        tokens("reasoning_tokens"),
        exactSum(sql`a.cost_total`).as("cost"),
        sql<string>`count(distinct a.job_id)::text`.as("jobs"),
        sql<string>`count(*)::text`.as("attempts"),
      ])
      .where("a.usage", "is not", null)
      .where("a.started_at", ">=", query.from)
      .where("a.started_at", "<", query.to);
    if (query.apiKeyId !== undefined) select = select.where("j.api_key_id", "=", query.apiKeyId);
    const rows = await select.groupBy(sql`1`).orderBy(sql`1`).execute();
    return rows.map((row) => ({
      group: row.group,
      input_tokens: count(row.input_tokens, "input_tokens"),
      cached_input_tokens: count(row.cached_input_tokens, "cached_input_tokens"),
      cache_write_tokens: count(row.cache_write_tokens, "cache_write_tokens"),
      output_tokens: count(row.output_tokens, "output_tokens"),
      reasoning_tokens: count(row.reasoning_tokens, "reasoning_tokens"),
      cost: row.cost,
      jobs: count(row.jobs, "jobs"),
      attempts: count(row.attempts, "attempts"),
    }));
  }

  /**
   * What a key has been billed, exactly, over attempts started since `since`. All time
   * (what a spend cap is checked against) comes from the key's running total, kept by the
   * ledger's trigger, rather than from summing its history.
   */
  async spentBy(apiKeyId: string, since?: Date): Promise<string> {
    if (since === undefined) {
      const total = await this.#db
        .selectFrom("api_key_spend")
        .select(exactSum(sql`spent`).as("spent"))
        .where("api_key_id", "=", apiKeyId)
        .executeTakeFirstOrThrow();
      return total.spent;
    }
    const row = await this.#db
      .selectFrom("job_attempts as a")
      .innerJoin("jobs as j", "j.id", "a.job_id")
      .select(exactSum(sql`a.cost_total`).as("spent"))
      .where("j.api_key_id", "=", apiKeyId)
      .where("a.started_at", ">=", since)
      .executeTakeFirstOrThrow();
    return row.spent;
  }

  /**
   * What a key has spent (all time, as `spentBy`) and what its unfinished jobs may still
   * cost: each queued or running job's pre-flight maximum, whole. An attempt is billed when
   * it ends, so what a job was billed so far is its earlier attempts', and its next attempt
   * may still cost its full maximum. A new job's maximum must fit beside both under the
   * key's spend cap; admission reads this.
   *
   * Both in one statement, so from one snapshot: an attempt that ends between two separate
   * reads would leave the first (its job still reserved, nothing spent yet) and be gone from
   * the second (spent, no longer reserved), counted in neither.
   */
  async committedBy(apiKeyId: string): Promise<{ spent: string; reserved: string }> {
    const result = await sql<{ spent: string; reserved: string }>`
      select
        (select ${exactSum(sql`spent`)} from api_key_spend where api_key_id = ${apiKeyId}) as spent,
        (select ${exactSum(sql`coalesce(max_cost_estimate, 0)`)}
          from jobs where api_key_id = ${apiKeyId} and status in ('queued', 'running')) as reserved`.execute(this.#db);
    const row = result.rows[0];
    if (row === undefined) throw new Error("committedBy returned no row");
    return row;
  }
}
