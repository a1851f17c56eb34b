import { type Kysely, sql } from "kysely";

/**
 * A conversation sent back without its thinking blocks (clients such as the Vercel AI SDK
 * keep only the reasoning text) is completed from the job that made its tool calls: the
 * job is found by a call id, through this index on the output's `tool_calls`.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`create index jobs_tool_calls on jobs using gin ((output -> 'tool_calls') jsonb_path_ops)`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`drop index jobs_tool_calls`.execute(db);
}
