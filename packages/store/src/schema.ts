import type { Attempt, Cost, JobError, JobSpec, JobStatus, Output, Usage, Warning } from "@reasonq/core";
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
}

export interface Database {
  api_keys: ApiKeysTable;
  jobs: JobsTable;
  job_attempts: JobAttemptsTable;
}

export type JobRow = Selectable<JobsTable>;
export type NewJobRow = Insertable<JobsTable>;
export type AttemptRow = Selectable<JobAttemptsTable>;
export type ApiKeyRow = Selectable<ApiKeysTable>;
