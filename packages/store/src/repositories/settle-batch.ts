import type { Transaction } from "kysely";
import type { BatchRow, Database } from "../schema.ts";

/** The event of a batch's webhook delivery, whose id is the batch's. */
export const BATCH_ENDED = "batch.ended";

/**
 * Ends a batch whose jobs are all in: completed, or budget_exhausted when it stopped early
 * (a cancelled batch keeps its status). A batch with a webhook_url gets its delivery row in
 * the same transaction, keyed by the batch id: whichever path ends the batch (a job
 * counted in, a fan-out step that stops, a cancel), the delivery exists exactly once, and
 * only the queue entry pointing at it is left for the caller (or the reconciler) to add.
 */
export async function settle(tx: Transaction<Database>, batchId: string): Promise<BatchRow> {
  const batch = await tx
    .selectFrom("batches")
    .selectAll()
    .where("id", "=", batchId)
    .forUpdate()
    .executeTakeFirstOrThrow();
  const allIn = batch.finished_jobs === batch.created_jobs;
  const noMore = batch.created_jobs === batch.total_jobs || batch.stop_reason !== null;
  if (!allIn || !noMore || batch.completed_at !== null) return batch;
  const status: BatchRow["status"] =
    batch.status !== "running"
      ? batch.status
      : batch.stop_reason === "budget" || batch.stop_reason === "spend_cap"
        ? "budget_exhausted"
        : "completed";
  const ended = await tx
    .updateTable("batches")
    .set({ status, completed_at: new Date(), updated_at: new Date() })
    .where("id", "=", batchId)
    .returningAll()
    .executeTakeFirstOrThrow();
  if (ended.webhook_url !== null) {
    await tx
      .insertInto("webhook_deliveries")
      .values({ id: ended.id, api_key_id: ended.api_key_id, event: BATCH_ENDED, url: ended.webhook_url })
      .onConflict((c) => c.column("id").doNothing())
      .execute();
  }
  return ended;
}
