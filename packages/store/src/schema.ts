import type { Attempt, Cost, JobError, JobSpec, JobStatus, Output, PriceSnapshot, Usage, Warning } from "@reasonq/core";
import type { ColumnType, Generated, Insertable, Selectable } from "kysely";

type Timestamp = Date;
/** jsonb columns are written as JSON text (pg would turn a JS array into a PostgreSQL array). */
type Json<T> = ColumnType<T, string, string>;
type NullableJson<T> = ColumnType<T | null, string | null, string | null>;

export interface ApiKeysTable {
  id: string;
  name: string;
  key_hash: string;
  key_prefix: string;
  created_at: Generated<Timestamp>;
  last_used_at: Timestamp | null;
  revoked_at: Timestamp | null;
  /** The most the key may spend, in USD (`numeric`, read as a string); null means no cap. */
  spend_cap_usd: string | null;
}

/** A key's billed total, spread over slots (migration 0008); the sum of its slots is the total. */
export interface ApiKeySpendTable {
  api_key_id: string;
  slot: number;
  spent: string;
}

export interface JobsTable {
  id: string;
  api_key_id: string;
  status: JobStatus;
  model: string;
  provider: string;
  source: Generated<"api" | "logged">;
  spec: Json<JobSpec>;
  resolved_params: NullableJson<Record<string, unknown>>;
  metadata: Json<Record<string, string>>;
  batch_id: string | null;
  idempotency_key: string | null;
  request_hash: string | null;
  attempts: Generated<number>;
  delivery: Generated<number>;
  output: NullableJson<Output>;
  usage: NullableJson<Usage>;
  cost: NullableJson<Cost>;
  cost_total: string | null;
  /** The prices the job was billed with (its first attempt's snapshot). */
  price_snapshot: NullableJson<PriceSnapshot>;
  /** The pre-flight maximum cost; held against the key's spend cap while the job is unfinished. */
  max_cost_estimate: string | null;
  incomplete_reason: "max_output_tokens" | "content_filter" | null;
  warnings: Json<Warning[]>;
  error: NullableJson<JobError>;
  cancel_requested_at: Timestamp | null;
  created_at: Generated<Timestamp>;
  started_at: Timestamp | null;
  first_token_at: Timestamp | null;
  completed_at: Timestamp | null;
  updated_at: Generated<Timestamp>;
}

export interface JobAttemptsTable {
  job_id: string;
  attempt: number;
  delivery: number;
  outcome: Attempt["outcome"];
  started_at: Generated<Timestamp>;
  ended_at: Timestamp | null;
  error: NullableJson<JobError>;
  usage: NullableJson<Usage>;
  cost: NullableJson<Cost>;
  cost_total: string | null;
  /** The provider's usage object verbatim, so the attempt can be re-priced. */
  raw_usage: NullableJson<unknown>;
}

export interface DatasetsTable {
  id: string;
  api_key_id: string;
  name: string;
  format: "jsonl" | "csv" | "inline";
  item_count: number;
  created_at: Generated<Timestamp>;
}

export interface DatasetItemsTable {
  dataset_id: string;
  idx: number;
  item_id: string;
  item: Json<Record<string, unknown>>;
}

export type BatchStatus = "running" | "completed" | "cancelled" | "budget_exhausted";

export interface BatchesTable {
  id: string;
  api_key_id: string;
  name: string;
  status: BatchStatus;
  dataset_id: string;
  spec: Json<Record<string, unknown>>;
  item_count: number;
  variant_count: number;
  repeats: number;
  total_jobs: number;
  created_jobs: Generated<number>;
  finished_jobs: Generated<number>;
  max_cost_usd: string | null;
  spent_usd: Generated<string>;
  reserved_usd: Generated<string>;
  stop_reason: string | null;
  metadata: Json<Record<string, string>>;
  created_at: Generated<Timestamp>;
  completed_at: Timestamp | null;
  updated_at: Generated<Timestamp>;
}

export interface BatchResultsTable {
  job_id: string;
  batch_id: string;
  ordinal: number;
  item_idx: number;
  item_id: string;
  variant_idx: number;
  repeat: number;
  reserved_usd: Generated<string>;
  status: JobStatus | null;
  correct: boolean | null;
  score: string | null;
  extracted: string | null;
  score_detail: NullableJson<Record<string, unknown>>;
  scored_at: Timestamp | null;
}

export interface Database {
  api_keys: ApiKeysTable;
  api_key_spend: ApiKeySpendTable;
  jobs: JobsTable;
  job_attempts: JobAttemptsTable;
  datasets: DatasetsTable;
  dataset_items: DatasetItemsTable;
  batches: BatchesTable;
  batch_results: BatchResultsTable;
}

export type JobRow = Selectable<JobsTable>;
export type NewJobRow = Insertable<JobsTable>;
export type AttemptRow = Selectable<JobAttemptsTable>;
export type ApiKeyRow = Selectable<ApiKeysTable>;
export type DatasetRow = Selectable<DatasetsTable>;
export type BatchRow = Selectable<BatchesTable>;
export type BatchResultRow = Selectable<BatchResultsTable>;
