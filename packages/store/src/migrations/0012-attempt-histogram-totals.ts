import { type Kysely, sql } from "kysely";

/**
 * The latency and time-to-first-token histograms of settled attempts, added up once in the
 * database (one row per series, provider, model and bucket) with how far each series is
 * added up, so a `/metrics` scrape reads these totals and the attempts since, never the
 * whole history. New, empty tables: nothing existing is locked while they are made.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table attempt_histogram_watermarks (
      series text primary key,
      folded_to timestamptz not null
    )`.execute(db);
  await sql`
    create table attempt_histogram_buckets (
      series text not null,
      provider text not null,
      model text not null,
      le double precision not null,
      count bigint not null,
      sum double precision not null,
      primary key (series, provider, model, le)
    )`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`drop table attempt_histogram_buckets`.execute(db);
  await sql`drop table attempt_histogram_watermarks`.execute(db);
}
