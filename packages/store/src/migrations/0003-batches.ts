import { type Kysely, sql } from "kysely";

/**
 * Batch evaluation. Items live in `dataset_items` (uploaded once, reused by batches);
 * a batch's grid position `ordinal` encodes (item, variant, repeat), so fan-out creates
 * jobs in chunks by advancing `created_jobs` and never holds the grid in memory.
 * `batch_results` holds one row per grid job: its score, and the money it reserved.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table datasets (
      id text primary key,
      api_key_id text not null references api_keys(id),
      name text not null,
      format text not null check (format in ('jsonl','csv','inline')),
      item_count integer not null,
      created_at timestamptz not null default now()
    )`.execute(db);
  await sql`
    create table dataset_items (
      dataset_id text not null references datasets(id) on delete cascade,
      idx integer not null,
      item_id text not null,
      item jsonb not null,
      primary key (dataset_id, idx),
      unique (dataset_id, item_id)
    )`.execute(db);
  await sql`
    create table batches (
      id text primary key,
      api_key_id text not null references api_keys(id),
      name text not null,
      status text not null check (status in ('running','completed','cancelled','budget_exhausted')),
      dataset_id text not null references datasets(id),
      spec jsonb not null,
      item_count integer not null,
      variant_count integer not null,
      repeats integer not null,
      total_jobs integer not null,
      created_jobs integer not null default 0,
      finished_jobs integer not null default 0,
      max_cost_usd numeric,
      spent_usd numeric not null default 0,
      reserved_usd numeric not null default 0,
      stop_reason text,
      metadata jsonb not null default '{}',
      created_at timestamptz not null default now(),
      completed_at timestamptz,
      updated_at timestamptz not null default now()
    )`.execute(db);
  await sql`create index batches_key_id on batches (api_key_id, id desc)`.execute(db);
  await sql`
    create table batch_results (
      job_id text primary key references jobs(id) on delete cascade,
      batch_id text not null references batches(id) on delete cascade,
      ordinal integer not null,
      item_idx integer not null,
      item_id text not null,
      variant_idx integer not null,
      repeat integer not null,
      reserved_usd numeric not null default 0,
      status text,
      correct boolean,
      score numeric,
      extracted text,
      score_detail jsonb,
      scored_at timestamptz,
      unique (batch_id, ordinal)
    )`.execute(db);
  await sql`create index batch_results_variant on batch_results (batch_id, variant_idx)`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`drop table batch_results`.execute(db);
  await sql`drop table batches`.execute(db);
  await sql`drop table dataset_items`.execute(db);
  await sql`drop table datasets`.execute(db);
}
