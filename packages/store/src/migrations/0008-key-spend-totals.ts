import { type Kysely, sql } from "kysely";

/**
 * A running total of what each key has been billed, so a spend-capped submit reads a few
 * rows instead of summing every attempt the key ever made. The ledger (`job_attempts`)
 * stays the truth: a trigger on it moves the total by each change of an attempt's cost,
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
  await sql`
    create function job_attempts_spend() returns trigger language plpgsql as $$
    declare
      delta numeric := coalesce(case when tg_op = 'DELETE' then null else new.cost_total end, 0)
                     - coalesce(case when tg_op = 'INSERT' then null else old.cost_total end, 0);
      job text := case when tg_op = 'DELETE' then old.job_id else new.job_id end;
    begin
      if delta <> 0 then
        insert into api_key_spend (api_key_id, slot, spent)
        select j.api_key_id, (hashtext(job) & 7)::smallint, delta from jobs j where j.id = job
        on conflict (api_key_id, slot) do update set spent = api_key_spend.spent + excluded.spent;
      end if;
      return null;
    end $$`.execute(db);
  await sql`
    create trigger job_attempts_spend after insert or update of cost_total or delete on job_attempts
    for each row execute function job_attempts_spend()`.execute(db);
  await sql`
    insert into api_key_spend (api_key_id, slot, spent)
    select j.api_key_id, 0, sum(a.cost_total)
    from job_attempts a join jobs j on j.id = a.job_id
    where a.cost_total is not null
    group by j.api_key_id`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`drop trigger job_attempts_spend on job_attempts`.execute(db);
  await sql`drop function job_attempts_spend()`.execute(db);
  await sql`drop table api_key_spend`.execute(db);
}
