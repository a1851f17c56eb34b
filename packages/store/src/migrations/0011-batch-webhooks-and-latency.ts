import { type Kysely, sql } from "kysely";

/**
 * A batch's webhook_url (its delivery row is written in the transaction that ends the
 * batch, keyed by the batch id); each attempt's first token, so time to first token is a
 * per-attempt figure; and an index on when attempts ended, so `/metrics` reads only the
 * attempts that ended since its last scrape.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable("batches").addColumn("webhook_url", "text").execute();
  await db.schema.alterTable("job_attempts").addColumn("first_token_at", "timestamptz").execute();
  await sql`create index job_attempts_ended_at on job_attempts (ended_at) where ended_at is not null`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`drop index job_attempts_ended_at`.execute(db);
  await db.schema.alterTable("job_attempts").dropColumn("first_token_at").execute();
  await db.schema.alterTable("batches").dropColumn("webhook_url").execute();
}
