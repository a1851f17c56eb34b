import type { Transaction } from "kysely";
import type { BatchRow, Database } from "../schema.ts";

/** Ends a batch whose jobs are all in: completed, or budget_exhausted when it stopped early. */
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
  return tx
    .updateTable("batches")
    .set({ status, completed_at: new Date(), updated_at: new Date() })
    .where("id", "=", batchId)
    .returningAll()
    .executeTakeFirstOrThrow();
}
