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
const COLUMN_NAMES = Object.keys({
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
} satisfies Record<keyof JobRow, true>);

export const JOB_COLUMNS = COLUMN_NAMES.join(", ");
const JOB_COLUMNS_OF_J = COLUMN_NAMES.map((column) => `j.${column}`).join(", ");

/**
 * Claims for many jobs (distinct ids) as one statement, one round trip. Per job, the
 * UPDATEs' WHERE clauses are the compare-and-set (PostgreSQL re-checks them against a row a
 * concurrent claim changed), a takeover marks the earlier attempt lost, and the claimed
 * attempt's ledger row is inserted with it. $1 job ids, $2 their deliveries, $3 now, $4 the
 * cancelled job's error. Each job answers with one row, or none when it does not exist.
 * Rows are found by `id = any($1)`, through the primary key: a join to `unnest` alone is
 * planned for a guessed size, as a scan of every job (here and in `END_ATTEMPTS`).
 */
export const CLAIM = preparedStatement(
  "reasonq_claim_jobs",
  `
  with input as (
    select * from unnest($1::text[], $2::int[]) as i(id, delivery)
  ), claimed as (
    update jobs j set status = 'running', attempts = j.attempts + 1, delivery = i.delivery,
      started_at = coalesce(j.started_at, $3::timestamptz), updated_at = $3::timestamptz
    from input i
    where j.id = any($1::text[]) and j.id = i.id and j.cancel_requested_at is null
      and (j.status = 'queued' or (j.status = 'running' and j.delivery < i.delivery))
    returning j.*
  ), cancelled as (
    update jobs j set status = 'cancelled', completed_at = $3::timestamptz, updated_at = $3::timestamptz,
      error = $4::jsonb
    from input i
    where j.id = any($1::text[]) and j.id = i.id and j.cancel_requested_at is not null
      and (j.status = 'queued' or (j.status = 'running' and j.delivery < i.delivery))
    returning j.*
  ), lost as (
    update job_attempts set outcome = 'lost', ended_at = $3::timestamptz
    where outcome = 'running' and job_id in (select id from claimed union all select id from cancelled)
  ), attempt as (
    insert into job_attempts (job_id, attempt, delivery, outcome, started_at)
    select id, attempts, delivery, 'running', $3::timestamptz from claimed
  )
  select 'claimed' as claim, ${JOB_COLUMNS} from claimed
  union all select 'cancelled' as claim, ${JOB_COLUMNS} from cancelled
  union all select 'skipped' as claim, ${JOB_COLUMNS_OF_J} from jobs j join input i on i.id = j.id
    where j.id = any($1::text[]) and not exists (select 1 from claimed c where c.id = i.id)
      and not exists (select 1 from cancelled c where c.id = i.id)`,
);

/**
 * `endAttempt` for many attempts (distinct jobs) as one statement of fixed text: each job's
 * guarded update, and its attempt's ledger row only when it won. A job moved back to
 * `queued` (retried) keeps its output, error and completion fields; an absent first-token
 * time, warnings or price snapshot leaves the stored one. The rows that come back are the
 * jobs whose attempt won.
 */
export const END_ATTEMPTS = preparedStatement(
  "reasonq_end_attempts",
  `
  with input as (
    select * from unnest($1::text[], $2::int[], $3::text[], $4::timestamptz[], $5::jsonb[], $6::jsonb[],
      $7::numeric[], $8::boolean[], $9::jsonb[], $10::jsonb[], $11::text[], $12::timestamptz[], $13::jsonb[],
      $14::jsonb[], $15::text[], $16::jsonb[], $17::jsonb[], $18::numeric[], $19::jsonb[])
      as i(id, attempt, status, ended_at, job_usage, job_cost, job_cost_total, terminal, output, error,
        incomplete_reason, first_token_at, warnings, price_snapshot, outcome, usage, cost, cost_total, raw_usage)
  ), ended as (
    update jobs j set status = i.status, updated_at = i.ended_at, usage = i.job_usage, cost = i.job_cost,
      cost_total = i.job_cost_total,
      completed_at = case when i.terminal then i.ended_at else j.completed_at end,
      output = case when i.terminal then i.output else j.output end,
      error = case when i.terminal then i.error else j.error end,
      incomplete_reason = case when i.terminal then i.incomplete_reason else j.incomplete_reason end,
      first_token_at = coalesce(j.first_token_at, i.first_token_at),
      warnings = coalesce(i.warnings, j.warnings),
      price_snapshot = coalesce(i.price_snapshot, j.price_snapshot)
    from input i
    where j.id = any($1::text[]) and j.id = i.id and j.attempts = i.attempt and j.status = 'running'
    returning j.*
  ), ledger as (
    update job_attempts a set outcome = i.outcome, ended_at = i.ended_at, error = i.error, usage = i.usage,
      cost = i.cost, cost_total = i.cost_total, raw_usage = i.raw_usage, first_token_at = i.first_token_at
    from input i
    where a.job_id = any($1::text[]) and a.job_id = i.id and a.attempt = i.attempt and exists (select 1 from ended e where e.id = i.id)
  )
  select ${JOB_COLUMNS} from ended`,
);

/**
 * A lone claim (see `CLAIM`), as one statement on one row: the many-row form costs a lone
 * job about a millisecond more (bench `--only latency,chat`). The UPDATEs' WHERE clauses are the compare-and-set
 * (PostgreSQL re-checks them against a row a concurrent claim changed), a takeover marks
 * the earlier attempt lost, and the claimed attempt's ledger row is inserted with it.
 * $1 job id, $2 delivery, $3 now, $4 the cancelled job's error.
 */
export const CLAIM_ONE = preparedStatement(
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
 * A lone attempt's end (see `END_ATTEMPTS`), on one row; $1…$19 are the arrays' fields in
 * the same order, one value each.
 */
export const END_ATTEMPT_ONE = preparedStatement(
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
