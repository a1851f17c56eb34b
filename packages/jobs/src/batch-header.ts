import { money, toDecimalString } from "@reasonq/billing";
import type { Batch } from "@reasonq/core";
import type { BatchRow } from "@reasonq/store";
import { parseBatchSpec } from "./batch-spec.ts";

const plain = (value: string) => toDecimalString(money(value));

/**
 * A batch as the API shows it, without its per-variant tables: what `POST /v1/batches`
 * and the list answer, and what a batch's webhook carries.
 */
export function batchHeader(row: BatchRow, jobsByStatus: Record<string, number>): Batch {
  const spec = parseBatchSpec(row.spec, row.id);
  return {
    id: row.id,
    object: "batch",
    name: row.name,
    status: row.status,
    stop_reason: row.stop_reason,
    dataset_id: row.dataset_id,
    scorer: spec.scorer,
    repeats: row.repeats,
    created_at: row.created_at.toISOString(),
    completed_at: row.completed_at?.toISOString() ?? null,
    progress: {
      total_jobs: row.total_jobs,
      created_jobs: row.created_jobs,
      finished_jobs: row.finished_jobs,
      jobs_by_status: jobsByStatus,
    },
    max_cost_usd: row.max_cost_usd === null ? null : plain(row.max_cost_usd),
    spent_usd: plain(row.spent_usd),
    metadata: row.metadata,
    lane: spec.lane ?? "interactive",
    webhook_url: row.webhook_url,
  };
}
