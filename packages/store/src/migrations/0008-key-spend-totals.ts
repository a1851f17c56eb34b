import { type Kysely, sql } from "kysely";

/**
 * A running total of what each key has been billed, so a spend-capped submit reads a few
 * rows instead of summing every attempt the key ever made. The ledger (`job_attempts`)
 * stays the truth: triggers on it move the total by each change of an attempt's cost,
 * whoever writes the attempt (the worker, logged calls), in the same transaction. The
 * total is spread over 8 slots per key (chosen by job id), so concurrent attempts of one
 * key do not queue on one row until their commits.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table api_key_spend (
      api_key_id text not null,
      slot smallint not null,
      spent numeric not null default 0,
      primary key (api_key_id, slot)
    )`.execute(db);
  // Statement-level, over the transition tables: a bulk insert (logged calls) moves each
  // key's total once, not once per row. Ledger rows are never deleted.
  await sql`
    create function job_attempts_spend() returns trigger language plpgsql as $$
    begin
      if tg_op = 'INSERT' then
        insert into api_key_spend (api_key_id, slot, spent)
        select j.api_key_id, (hashtext(n.job_id) & 7)::smallint, sum(n.cost_total)
        from new_rows n join jobs j on j.id = n.job_id
        where n.cost_total is not null
        group by 1, 2
        on conflict (api_key_id, slot) do update set spent = api_key_spend.spent + excluded.spent;
      else
        insert into api_key_spend (api_key_id, slot, spent)
        select j.api_key_id, (hashtext(n.job_id) & 7)::smallint, sum(coalesce(n.cost_total, 0) - coalesce(o.cost_total, 0))
        from new_rows n
        join old_rows o on o.job_id = n.job_id and o.attempt = n.attempt
        join jobs j on j.id = n.job_id
        where n.cost_total is distinct from o.cost_total
        group by 1, 2
        on conflict (api_key_id, slot) do update set spent = api_key_spend.spent + excluded.spent;
      end if;
      return null;
    end $$`.execute(db);
  await sql`
    create trigger job_attempts_spend_insert after insert on job_attempts
    referencing new table as new_rows for each statement execute function job_attempts_spend()`.execute(db);
  await sql`
    create trigger job_attempts_spend_update after update on job_attempts
    referencing old table as old_rows new table as new_rows for each statement execute function job_attempts_spend()`.execute(
    db,
  );
  await sql`
    insert into api_key_spend (api_key_id, slot, spent)
    select j.api_key_id, 0, sum(a.cost_total)
    from job_attempts a join jobs j on j.id = a.job_id
    where a.cost_total is not null
    group by j.api_key_id`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`drop trigger job_attempts_spend_update on job_attempts`.execute(db);
  await sql`drop trigger job_attempts_spend_insert on job_attempts`.execute(db);
  await sql`drop function job_attempts_spend()`.execute(db);
  await sql`drop table api_key_spend`.execute(db);
}
