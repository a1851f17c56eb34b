import { type Kysely, sql } from "kysely";

/**
 * Jobs, their attempts (the usage ledger: one row per provider call, billed even when
 * it failed) and API keys. Money is `numeric` without a scale so nothing is rounded;
 * counts are `integer` so both drivers return JS numbers.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table api_keys (
      id text primary key,
      name text not null,
      key_hash text not null unique,
      key_prefix text not null,
      created_at timestamptz not null default now(),
      last_used_at timestamptz,
      revoked_at timestamptz
    )`.execute(db);

  await sql`
    create table jobs (
      id text primary key,
      api_key_id text not null references api_keys(id),
      status text not null check (status in ('queued','running','succeeded','incomplete','failed','cancelled')),
      model text not null,
      provider text not null,
      source text not null default 'api' check (source in ('api','logged')),
      spec jsonb not null,
      resolved_params jsonb,
      metadata jsonb not null default '{}',
      batch_id text,
      idempotency_key text,
      request_hash text,
      attempts integer not null default 0,
      delivery integer not null default 0,
      output jsonb,
      usage jsonb,
      cost jsonb,
      cost_total numeric,
      incomplete_reason text,
      warnings jsonb not null default '[]',
      error jsonb,
      cancel_requested_at timestamptz,
      created_at timestamptz not null default now(),
      started_at timestamptz,
      first_token_at timestamptz,
      completed_at timestamptz,
      updated_at timestamptz not null default now(),
      unique (api_key_id, idempotency_key)
    )`.execute(db);
  await sql`create index jobs_key_id on jobs (api_key_id, id desc)`.execute(db);
  await sql`create index jobs_unfinished on jobs (updated_at) where status in ('queued','running')`.execute(db);
  await sql`create index jobs_batch on jobs (batch_id, id) where batch_id is not null`.execute(db);

  await sql`
    create table job_attempts (
      job_id text not null references jobs(id) on delete cascade,
      attempt integer not null,
      delivery integer not null,
      outcome text not null check (outcome in ('running','succeeded','incomplete','failed','retried','cancelled','lost')),
      started_at timestamptz not null default now(),
      ended_at timestamptz,
      error jsonb,
      usage jsonb,
      cost jsonb,
      cost_total numeric,
      primary key (job_id, attempt)
    )`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`drop table job_attempts`.execute(db);
  await sql`drop table jobs`.execute(db);
  await sql`drop table api_keys`.execute(db);
}
