import { type Kysely, sql } from "kysely";

/**
 * Provider batches (OpenAI Batch, Anthropic Message Batches, Gemini batch mode): one row per
 * batch we send, the truth about it across restarts. A row gathers jobs, records the intent
 * to submit before calling the provider (`submitting`), keeps the provider's id once known,
 * and is polled until it ends. Jobs point at their row; a job with a provider batch is the
 * batch's to finish, not the queue's.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable("provider_batches")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("family", "text", (c) => c.notNull())
    .addColumn("model", "text", (c) => c.notNull())
    .addColumn("group_key", "text", (c) => c.notNull())
    .addColumn("status", "text", (c) => c.notNull())
    .addColumn("provider_batch_id", "text")
    .addColumn("provider_status", "text")
    .addColumn("request_count", "integer", (c) => c.notNull().defaultTo(0))
    .addColumn("request_bytes", "bigint", (c) => c.notNull().defaultTo(0))
    .addColumn("counts", "jsonb")
    .addColumn("error", "text")
    .addColumn("gather_until", "timestamptz", (c) => c.notNull())
    .addColumn("submit_started_at", "timestamptz")
    .addColumn("submitted_at", "timestamptz")
    .addColumn("cancel_sent_at", "timestamptz")
    .addColumn("polls", "integer", (c) => c.notNull().defaultTo(0))
    .addColumn("next_poll_at", "timestamptz")
    .addColumn("lease_until", "timestamptz")
    .addColumn("created_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn("ended_at", "timestamptz")
    .addColumn("updated_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  await sql`create unique index provider_batches_provider_id on provider_batches (family, provider_batch_id)
    where provider_batch_id is not null`.execute(db);
  await sql`create index provider_batches_open on provider_batches (status)
    where status in ('gathering', 'submitting', 'in_progress')`.execute(db);
  await sql`alter table jobs add column provider_batch_id text references provider_batches (id)`.execute(db);
  await sql`create index jobs_provider_batch on jobs (provider_batch_id) where provider_batch_id is not null`.execute(
    db,
  );
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`alter table jobs drop column provider_batch_id`.execute(db);
  await db.schema.dropTable("provider_batches").execute();
}
