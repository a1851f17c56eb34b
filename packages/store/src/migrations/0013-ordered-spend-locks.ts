import { type Kysely, sql } from "kysely";

/**
 * The spend trigger of 0008, moving each key's totals in (key, slot) order. Attempts now
 * end many to a statement (group commit), so one statement may move several slots; taking
 * their row locks in one order everywhere means two such statements wait for each other
 * instead of deadlocking. Replacing a function locks nothing.
 */
function spendFunction(order: string) {
  return sql`
    create or replace function job_attempts_spend() returns trigger language plpgsql as $$
    begin
      if tg_op = 'INSERT' then
        insert into api_key_spend (api_key_id, slot, spent)
        select j.api_key_id, (hashtext(n.job_id) & 7)::smallint, sum(n.cost_total)
        from new_rows n join jobs j on j.id = n.job_id
        where n.cost_total is not null
        group by 1, 2 ${sql.raw(order)}
        on conflict (api_key_id, slot) do update set spent = api_key_spend.spent + excluded.spent;
      else
        insert into api_key_spend (api_key_id, slot, spent)
        select j.api_key_id, (hashtext(n.job_id) & 7)::smallint, sum(coalesce(n.cost_total, 0) - coalesce(o.cost_total, 0))
        from new_rows n
        join old_rows o on o.job_id = n.job_id and o.attempt = n.attempt
        join jobs j on j.id = n.job_id
        where n.cost_total is distinct from o.cost_total
        group by 1, 2 ${sql.raw(order)}
        on conflict (api_key_id, slot) do update set spent = api_key_spend.spent + excluded.spent;
      end if;
      return null;
    end $$`;
}

export async function up(db: Kysely<unknown>): Promise<void> {
  await spendFunction("order by 1, 2").execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await spendFunction("").execute(db);
}
