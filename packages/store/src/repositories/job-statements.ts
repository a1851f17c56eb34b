import { preparedStatement } from "../drivers/prepared-statements.ts";
import type { JobRow } from "../schema.ts";

/*
 * The statements every job runs, as fixed texts prepared once per PostgreSQL connection
 * (see `preparedStatement`).
 */

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

/**
 * One statement, one round trip: the UPDATEs' WHERE clauses are the compare-and-set
 * (PostgreSQL re-checks them against a row a concurrent claim changed), a takeover marks
 * the earlier attempt lost, and the claimed attempt's ledger row is inserted with it.
 * $1 job id, $2 delivery, $3 now, $4 the cancelled job's error.
 */
export const CLAIM = preparedStatement(
  "reasonq_claim_job",
  `
  with claimed as (
    update jobs set status = 'running', attempts = attempts + 1, delivery = $2::int,
      started_at = coalesce(started_at, $3::timestamptz), updated_at = $3::timestamptz
    where id = $1 and cancel_requested_at is null
      and (status = 'queued' or (status = 'running' and delivery < $2::int))
    returning *
  ), cancelled as (
    update jobs set status = 'cancelled', completed_at = $3::timestamptz, updated_at = $3::timestamptz,
      error = $4::jsonb
    where id = $1 and cancel_requested_at is not null
      and (status = 'queued' or (status = 'running' and delivery < $2::int))
    returning *
  ), lost as (
    update job_attempts set outcome = 'lost', ended_at = $3::timestamptz
    where job_id = $1 and outcome = 'running'
      and (exists (select 1 from claimed) or exists (select 1 from cancelled))
  ), attempt as (
    insert into job_attempts (job_id, attempt, delivery, outcome, started_at)
    select id, attempts, $2::int, 'running', $3::timestamptz from claimed
  )
  select 'claimed' as claim, ${JOB_COLUMNS} from claimed
  union all select 'cancelled' as claim, ${JOB_COLUMNS} from cancelled
  union all select 'skipped' as claim, ${JOB_COLUMNS} from jobs
    where id = $1 and not exists (select 1 from claimed) and not exists (select 1 from cancelled)`,
);

/**
 * `endAttempt` as one statement of fixed text: the job's guarded update, and the attempt's
 * ledger row only when it won. Built once, not per call: composing it with the query
 * builder was most of the worker's cost of ending a job. A job moved back to `queued`
 * (retried) keeps its output, error and completion fields; an absent first-token time,
 * warnings or price snapshot leaves the stored one.
 */
export const END_ATTEMPT = preparedStatement(
  "reasonq_end_attempt",
  `
  with ended as (
    update jobs set status = $3, updated_at = $4::timestamptz, usage = $5::jsonb, cost = $6::jsonb,
      cost_total = $7::numeric,
      completed_at = case when $8::boolean then $4::timestamptz else completed_at end,
      output = case when $8::boolean then $9::jsonb else output end,
      error = case when $8::boolean then $10::jsonb else error end,
      incomplete_reason = case when $8::boolean then $11::text else incomplete_reason end,
      first_token_at = coalesce(first_token_at, $12::timestamptz),
      warnings = coalesce($13::jsonb, warnings),
      price_snapshot = coalesce($14::jsonb, price_snapshot)
    where id = $1 and attempts = $2 and status = 'running'
    returning *
  ), ledger as (
    update job_attempts set outcome = $15, ended_at = $4::timestamptz, error = $10::jsonb, usage = $16::jsonb,
      cost = $17::jsonb, cost_total = $18::numeric, raw_usage = $19::jsonb, first_token_at = $12::timestamptz
    where job_id = $1 and attempt = $2 and exists (select 1 from ended)
  )
  select ${JOB_COLUMNS} from ended`,
);

/** Any number of new jobs, one array per column: one text however many arrive together. */
export const INSERT_JOBS = preparedStatement(
  "reasonq_insert_jobs",
  `insert into jobs (id, api_key_id, model, provider, status, spec, resolved_params, prepared_request, metadata,
     warnings, batch_id, idempotency_key, request_hash, max_cost_estimate)
   select id, api_key_id, model, provider, 'queued', spec, resolved_params, prepared_request, metadata,
     warnings, batch_id, idempotency_key, request_hash, max_cost_estimate
   from unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::jsonb[], $6::jsonb[], $7::jsonb[], $8::jsonb[],
     $9::jsonb[], $10::text[], $11::text[], $12::text[], $13::numeric[])
     as new_job(id, api_key_id, model, provider, spec, resolved_params, prepared_request, metadata,
       warnings, batch_id, idempotency_key, request_hash, max_cost_estimate)
   returning ${JOB_COLUMNS}`,
);

export const GET_JOB = preparedStatement("reasonq_get_job", `select ${JOB_COLUMNS} from jobs where id = $1`);
export const GET_KEY_JOB = preparedStatement(
  "reasonq_get_key_job",
  `select ${JOB_COLUMNS} from jobs where id = $1 and api_key_id = $2`,
);
export const MARK_FIRST_TOKEN = preparedStatement(
  "reasonq_mark_first_token",
  `update jobs set first_token_at = coalesce(first_token_at, $3::timestamptz), updated_at = $3::timestamptz
   where id = $1 and attempts = $2 and status = 'running'`,
);
