import type {
  Attempt,
  Cost,
  JobError,
  JobSpec,
  JobStatus,
  Output,
  PriceSnapshot,
  StoredResponseRequest,
  Usage,
  Warning,
  WebhookAttempt,
  WebhookDelivery,
} from "@reasonq/core";
import type { ColumnType, Generated, Selectable } from "kysely";

type Timestamp = Date;
/** jsonb columns are written as JSON text (pg would turn a JS array into a PostgreSQL array). */
type Json<T> = ColumnType<T, string, string>;
type NullableJson<T> = ColumnType<T | null, string | null, string | null>;

/** A provider request as planned: the catalog entry it was prepared for and the body sent. */
export interface StoredRequest {
  model: Record<string, unknown>;
  body: Record<string, unknown>;
}

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
  /** What the worker sends: the request planned at submit (null for logged jobs). */
  prepared_request: NullableJson<StoredRequest>;
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
  /** The provider batch (provider_batches.id) that runs the job, in the provider_batch lane. */
  provider_batch_id: Generated<string | null>;
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
  /** When this attempt's first reasoning or answer token arrived; null when none did. */
  first_token_at: Generated<Timestamp | null>;
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
  /** POSTed once when the batch ends; its delivery row is created by the transaction that ends it. */
  webhook_url: Generated<string | null>;
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

export type ProviderBatchStatus = "gathering" | "submitting" | "in_progress" | "ended" | "cancelled" | "failed";

export interface ProviderBatchCountsJson {
  total: number;
  succeeded: number;
  errored: number;
  expired: number;
  canceled: number;
  processing: number;
}

export interface ProviderBatchesTable {
  id: string;
  family: string;
  /** The catalog id (`openai/o4-mini`). */
  model: string;
  /** Requests that may share one provider batch (OpenAI: the endpoint). */
  group_key: string;
  status: ProviderBatchStatus;
  provider_batch_id: string | null;
  provider_status: string | null;
  request_count: Generated<number>;
  /** bigint, read as a string. */
  request_bytes: ColumnType<string, string | number | undefined, string | number>;
  counts: NullableJson<ProviderBatchCountsJson>;
  error: string | null;
  /** Jobs join the row until then; it is submitted after. */
  gather_until: Timestamp;
  /** The intent to submit was recorded then: a row still `submitting` looks for its batch first. */
  submit_started_at: Timestamp | null;
  submitted_at: Timestamp | null;
  cancel_sent_at: Timestamp | null;
  polls: Generated<number>;
  next_poll_at: Timestamp | null;
  /** One worker advances a row at a time; a dead worker's lease runs out. */
  lease_until: Timestamp | null;
  created_at: Generated<Timestamp>;
  ended_at: Timestamp | null;
  updated_at: Generated<Timestamp>;
}

/** What the OpenAI Responses surface keeps beside a job of the same id. */
export interface ResponsesTable {
  id: string;
  api_key_id: string;
  request: Json<StoredResponseRequest>;
  /** False for `store: false`: not retrievable, not a previous_response_id. */
  stored: boolean;
  deleted_at: Timestamp | null;
  created_at: Generated<Timestamp>;
}

export interface WebhookDeliveriesTable {
  /** The subject's id (a job's), also the `webhook-id` header: one event per job. */
  id: string;
  api_key_id: string;
  event: string;
  url: string;
  status: ColumnType<WebhookDelivery["status"], WebhookDelivery["status"] | undefined, WebhookDelivery["status"]>;
  attempts: ColumnType<WebhookAttempt[], string | undefined, string>;
  created_at: Generated<Timestamp>;
  updated_at: Generated<Timestamp>;
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
  provider_batches: ProviderBatchesTable;
  responses: ResponsesTable;
  webhook_deliveries: WebhookDeliveriesTable;
}

export type JobRow = Selectable<JobsTable>;
export type AttemptRow = Selectable<JobAttemptsTable>;
export type ApiKeyRow = Selectable<ApiKeysTable>;
export type DatasetRow = Selectable<DatasetsTable>;
export type BatchRow = Selectable<BatchesTable>;
export type BatchResultRow = Selectable<BatchResultsTable>;
export type ProviderBatchRow = Selectable<ProviderBatchesTable>;
export type ResponseRow = Selectable<ResponsesTable>;
export type WebhookDeliveryRow = Selectable<WebhookDeliveriesTable>;
