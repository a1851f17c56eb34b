import { type Kysely, sql } from "kysely";

/**
 * The provider request a job was planned with (the adapter's prepared body and the model
 * entry it was prepared for), so the worker sends exactly what was checked at submit even
 * when the catalog changes while the job waits. Null for logged jobs (never sent) and for
 * jobs planned before this migration (prepared again when they run).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`alter table jobs add column prepared_request jsonb`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`alter table jobs drop column prepared_request`.execute(db);
}
