import { type Kysely, sql } from "kysely";

/**
 * Calls logged from elsewhere (`POST /v1/logs`) are jobs with `source = 'logged'`. A
 * logged exchange is stored once per key, provider and provider response id, so importing
 * the same file twice stores nothing new; the id lives in the stored output, and logged
 * rows without one are never deduplicated (NULLs never conflict).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create unique index jobs_logged_response
    on jobs (api_key_id, provider, (output ->> 'provider_response_id'))
    where source = 'logged'`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`drop index jobs_logged_response`.execute(db);
}
