import type { JobRow } from "../schema.ts";

/**
 * A job row's columns by name, for the prepared statements that return rows: a record, so a
 * column added to the schema does not compile until it is named here.
 */
export const JOB_COLUMNS = Object.keys({
  id: true,
  api_key_id: true,
  status: true,
  model: true,
  provider: true,
  source: true,
  spec: true,
  resolved_params: true,
  prepared_request: true,
  metadata: true,
  batch_id: true,
  idempotency_key: true,
  request_hash: true,
  attempts: true,
  delivery: true,
  output: true,
  usage: true,
  cost: true,
  cost_total: true,
  price_snapshot: true,
  max_cost_estimate: true,
  incomplete_reason: true,
  warnings: true,
  error: true,
  cancel_requested_at: true,
  created_at: true,
  started_at: true,
  first_token_at: true,
  completed_at: true,
  updated_at: true,
  provider_batch_id: true,
} satisfies Record<keyof JobRow, true>).join(", ");
