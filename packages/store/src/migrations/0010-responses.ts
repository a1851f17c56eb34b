import { type Kysely, sql } from "kysely";

/**
 * A response of the OpenAI Responses API is a job with the same id; this table keeps what
 * the Responses surface adds to it: the request's own input items and settings (echoed on
 * the response object, listed by `input_items`) and whether the response was deleted or
 * not stored (`store: false`), which hides it from that surface, never from `/v1/jobs`.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable("responses")
    .addColumn("id", "text", (c) => c.primaryKey().references("jobs.id"))
    .addColumn("api_key_id", "text", (c) => c.notNull().references("api_keys.id"))
    .addColumn("request", "jsonb", (c) => c.notNull())
    .addColumn("stored", "boolean", (c) => c.notNull())
    .addColumn("deleted_at", "timestamptz")
    .addColumn("created_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable("responses").execute();
}
