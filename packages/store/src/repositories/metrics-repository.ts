import { type Kysely, sql } from "kysely";
import type { Database } from "../schema.ts";
import { type AttemptHistograms, attemptHistograms } from "./attempt-histograms.ts";

export interface MetricsSnapshot {
  jobs: Array<{ status: string; provider: string; model: string; count: number }>;
  /** Unfinished jobs waiting for a worker, and how long the oldest has waited. */
  waiting: Array<{ provider: string; count: number; oldest_age_seconds: number }>;
  attempts: Array<{ provider: string; outcome: string; count: number }>;
  /** Webhook deliveries by state (pending, delivered, failed), the POSTs they took, and the age of the oldest. */
  webhooks: Array<{ status: string; count: number; posts: number; oldest_age_seconds: number }>;
}

/** What `/metrics` reports from the database: the row is the truth, whichever process ran the job. */
export class MetricsRepository {
  readonly #db: Kysely<Database>;

  constructor(db: Kysely<Database>) {
    this.#db = db;
  }

  /**
   * Latency and time to first token of every measured attempt, from stored totals and the
   * attempts since; `foldChunk` bounds the attempts one call adds to the totals (tests shorten it).
   */
  async attemptHistograms(
    bounds: { latency: readonly number[]; ttft: readonly number[] },
    foldChunk?: number,
  ): Promise<AttemptHistograms> {
    return attemptHistograms(this.#db, bounds, foldChunk);
  }

  async snapshot(): Promise<MetricsSnapshot> {
    const jobs = await this.#db
      .selectFrom("jobs")
      .select(["status", "provider", "model", sql<string>`count(*)::text`.as("count")])
      .groupBy(["status", "provider", "model"])
      .execute();
    const waiting = await this.#db
      .selectFrom("jobs")
      .where("status", "=", "queued")
      .select([
        "provider",
        sql<string>`count(*)::text`.as("count"),
        sql<string>`extract(epoch from now() - min(created_at))::text`.as("age"),
      ])
      .groupBy("provider")
      .execute();
    const attempts = await this.#db
      .selectFrom("job_attempts as a")
      .innerJoin("jobs as j", "j.id", "a.job_id")
      .select(["j.provider", "a.outcome", sql<string>`count(*)::text`.as("count")])
      .groupBy(["j.provider", "a.outcome"])
      .execute();
    const webhooks = await this.#db
      .selectFrom("webhook_deliveries")
      .select([
        "status",
        sql<string>`count(*)::text`.as("count"),
        sql<string>`coalesce(sum(jsonb_array_length(attempts)), 0)::text`.as("posts"),
        sql<string>`extract(epoch from now() - min(created_at))::text`.as("age"),
      ])
      .groupBy("status")
      .execute();
    return {
      jobs: jobs.map((r) => ({ status: r.status, provider: r.provider, model: r.model, count: Number(r.count) })),
      waiting: waiting.map((r) => ({
        provider: r.provider,
        count: Number(r.count),
        oldest_age_seconds: Number(r.age),
      })),
      attempts: attempts.map((r) => ({ provider: r.provider, outcome: r.outcome, count: Number(r.count) })),
      webhooks: webhooks.map((r) => ({
        status: r.status,
        count: Number(r.count),
        posts: Number(r.posts),
        oldest_age_seconds: Number(r.age),
      })),
    };
  }
}
