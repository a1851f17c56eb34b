import { type Kysely, sql } from "kysely";

/**
 * What the usage ledger and the spend caps need. `job_attempts` is the ledger (one row
 * per provider call, each billed with its own snapshot); this adds the provider's usage
 * verbatim to it so an attempt can be re-priced, indexes for reports by time, a spend cap
 * on API keys, and on jobs the price snapshot they were billed with and their pre-flight
 * maximum, which an unfinished job holds against its key's cap.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`alter table job_attempts add column raw_usage jsonb`.execute(db);
  await sql`create index job_attempts_started_at on job_attempts (started_at)`.execute(db);

  await sql`alter table api_keys add column spend_cap_usd numeric check (spend_cap_usd >= 0)`.execute(db);

  await sql`alter table jobs add column price_snapshot jsonb`.execute(db);
  await sql`alter table jobs add column max_cost_estimate numeric check (max_cost_estimate >= 0)`.execute(db);
  await sql`create index jobs_key_unfinished on jobs (api_key_id) where status in ('queued','running')`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`drop index jobs_key_unfinished`.execute(db);
  await sql`alter table jobs drop column max_cost_estimate`.execute(db);
  await sql`alter table jobs drop column price_snapshot`.execute(db);
  await sql`alter table api_keys drop column spend_cap_usd`.execute(db);
  await sql`drop index job_attempts_started_at`.execute(db);
  await sql`alter table job_attempts drop column raw_usage`.execute(db);
}
