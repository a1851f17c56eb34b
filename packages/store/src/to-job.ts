import type { Attempt, Job } from "@reasonq/core";
import type { AttemptRow, JobRow } from "./schema.ts";

const iso = (value: Date | null): string | null => (value === null ? null : value.toISOString());

/** A row in the API's shape. Columns are listed on purpose: internal ones (hashes, claims) never leave. */
export function toJob(row: JobRow, attempts?: AttemptRow[]): Job {
  const job: Job = {
    id: row.id,
    object: "job",
    status: row.status,
    model: row.model,
    provider: row.provider,
    source: row.source,
    created_at: row.created_at.toISOString(),
    started_at: iso(row.started_at),
    first_token_at: iso(row.first_token_at),
    completed_at: iso(row.completed_at),
    attempts: row.attempts,
    resolved_params: row.resolved_params,
    batch_id: row.batch_id,
    provider_batch_id: row.provider_batch_id,
    metadata: row.metadata,
    output: row.output,
    usage: row.usage,
    cost: row.cost,
    incomplete_reason: row.incomplete_reason,
    warnings: row.warnings,
    error: row.error,
  };
  if (attempts !== undefined) job.attempt_list = attempts.map(toAttempt);
  if (row.spec.client_params !== undefined) job.client_params = row.spec.client_params;
  return job;
}

function toAttempt(row: AttemptRow): Attempt {
  return {
    attempt: row.attempt,
    started_at: row.started_at.toISOString(),
    ended_at: iso(row.ended_at),
    outcome: row.outcome,
    error: row.error,
    usage: row.usage,
    cost_total: row.cost_total,
  };
}
