import { type Kysely, sql } from "kysely";

/**
 * One row per webhook to send: the event of a finished job, keyed by the job's id (one
 * event per job, so a second enqueue is a no-op), the URL as submitted, its state and every
 * POST tried. The row is the truth; the queue entry is only a pointer to it.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable("webhook_deliveries")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("api_key_id", "text", (c) => c.notNull().references("api_keys.id"))
    .addColumn("event", "text", (c) => c.notNull())
    .addColumn("url", "text", (c) => c.notNull())
    .addColumn("status", "text", (c) => c.notNull().defaultTo("pending"))
    .addColumn("attempts", "jsonb", (c) => c.notNull().defaultTo(sql`'[]'::jsonb`))
    .addColumn("created_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn("updated_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  await sql`create index webhook_deliveries_pending on webhook_deliveries (created_at) where status = 'pending'`.execute(
    db,
  );
  // The reconciler's search for finished jobs whose webhook was never scheduled.
  await sql`create index jobs_completed_with_webhook on jobs (completed_at) where spec ? 'webhook_url'`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`drop index jobs_completed_with_webhook`.execute(db);
  await db.schema.dropTable("webhook_deliveries").execute();
}
