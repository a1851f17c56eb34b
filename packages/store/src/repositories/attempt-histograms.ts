import { type Kysely, type RawBuilder, sql, type Transaction } from "kysely";
import type { Database } from "../schema.ts";

/** Cumulative bucket counts of one label set: `buckets[i]` counts observations ≤ `bounds[i]`. */
export interface HistogramCounts {
  provider: string;
  model: string;
  buckets: number[];
  count: number;
  sum: number;
}

export interface AttemptHistograms {
  /** Seconds from an attempt's start to its end. */
  latency: HistogramCounts[];
  /** Seconds from an attempt's start to its first reasoning or answer token (attempts that got one). */
  ttft: HistogramCounts[];
}

/** Attempts that reached the provider and came back; lost and cancelled ones say nothing about it. */
const MEASURED = ["succeeded", "incomplete", "failed", "retried"] as const;

/**
 * Attempts that ended longer ago than this are taken as settled: no transaction writing
 * one is still open. It also absorbs clock skew between the processes that stamp `ended_at`
 * and the database's clock, which draws the line.
 */
const SETTLE_LAG_SECONDS = 300;

const VALUES = {
  latency: sql`extract(epoch from a.ended_at - a.started_at)::float8`,
  ttft: sql`extract(epoch from a.first_token_at - a.started_at)::float8`,
};

type Metric = keyof typeof VALUES;

/**
 * Count and sum of one metric per provider, model and bucket (`le`: the bucket's upper
 * bound, Infinity past the last) for the attempts that ended in [from, to): one row per
 * bucket that has any, so rows of successive windows add up.
 */
function bucketed(metric: Metric, bounds: readonly number[], from: RawBuilder<unknown>, to: RawBuilder<unknown> | null) {
  const value = VALUES[metric];
  const le =
    bounds.length === 0
      ? sql`'Infinity'::float8`
      : sql`case ${sql.join(
          bounds.map((b) => sql`when value <= ${b}::float8 then ${b}::float8`),
          sql` `,
        )} else 'Infinity'::float8 end`;
  return sql`
    select provider, model, ${le} as le, count(*) as count, sum(value) as sum
    from (
      select j.provider, j.model, ${value} as value
      from job_attempts a join jobs j on j.id = a.job_id
      where a.ended_at is not null and a.ended_at >= ${from}
        ${to === null ? sql`` : sql`and a.ended_at < ${to}`}
        and a.outcome in (${sql.join(MEASURED.map((o) => sql`${o}`))})
    ) measured
    where value is not null
    group by provider, model, le`;
}

/**
 * One metric's histograms: settled attempts not yet added to the stored totals are added
 * (under the series' row lock, so concurrent scrapes of several API processes add each
 * window once), then the totals plus the attempts since are read. A scrape so reads the
 * totals (providers × models × buckets rows) and the attempts of the last few minutes over
 * the `ended_at` index, however long the history; only a series' first scrape, or one
 * after a long gap without any, reads further back.
 */
async function series(tx: Transaction<Database>, metric: Metric, bounds: readonly number[]) {
  // The bounds are part of the name: totals bucketed otherwise are another series.
  const name = `${metric}:${bounds.join(",")}`;
  await sql`insert into attempt_histogram_watermarks (series, folded_to) values (${name}, '-infinity')
    on conflict (series) do nothing`.execute(tx);
  const settleTo = sql`now() - make_interval(secs => ${SETTLE_LAG_SECONDS})`;
  const { rows } = await sql<{ behind: boolean }>`
    select folded_to < ${settleTo} as behind
    from attempt_histogram_watermarks where series = ${name} for update`.execute(tx);
  // The watermark stays in the database ('-infinity' has no JavaScript Date).
  let foldedTo = sql`(select folded_to from attempt_histogram_watermarks where series = ${name})`;
  if (rows[0]?.behind === true) {
    await sql`
      insert into attempt_histogram_buckets (series, provider, model, le, count, sum)
      select ${name}, provider, model, le, count, sum from (${bucketed(metric, bounds, foldedTo, settleTo)}) w
      on conflict (series, provider, model, le) do update
        set count = attempt_histogram_buckets.count + excluded.count,
            sum = attempt_histogram_buckets.sum + excluded.sum`.execute(tx);
    await sql`update attempt_histogram_watermarks set folded_to = ${settleTo} where series = ${name}`.execute(tx);
    foldedTo = settleTo;
  }
  const totals = await sql<{ provider: string; model: string; le: number | string; count: string; sum: number }>`
    select provider, model, le, sum(count)::text as count, sum(sum)::float8 as sum from (
      select provider, model, le, count, sum from attempt_histogram_buckets where series = ${name}
      union all
      ${bucketed(metric, bounds, foldedTo, null)}
    ) t
    group by provider, model, le
    order by provider, model, le`.execute(tx);
  return cumulative(totals.rows, bounds);
}

/** Per-bucket rows (ordered by label set, then bound) into Prometheus' cumulative counts. */
function cumulative(
  rows: ReadonlyArray<{ provider: string; model: string; le: number | string; count: string; sum: number }>,
  bounds: readonly number[],
): HistogramCounts[] {
  const out = new Map<string, HistogramCounts>();
  for (const row of rows) {
    const key = `${row.provider}\u0000${row.model}`;
    let h = out.get(key);
    if (h === undefined) {
      h = { provider: row.provider, model: row.model, buckets: bounds.map(() => 0), count: 0, sum: 0 };
      out.set(key, h);
    }
    const le = Number(row.le);
    const n = Number(row.count);
    h.count += n;
    h.sum += Number(row.sum);
    bounds.forEach((b, i) => {
      if (le <= b && h !== undefined) h.buckets[i] = (h.buckets[i] ?? 0) + n;
    });
  }
  return [...out.values()];
}

/** Provider latency and time to first token of every measured attempt, by provider and model. */
export async function attemptHistograms(
  db: Kysely<Database>,
  bounds: { latency: readonly number[]; ttft: readonly number[] },
): Promise<AttemptHistograms> {
  return db.transaction().execute(async (tx) => ({
    latency: await series(tx, "latency", bounds.latency),
    ttft: await series(tx, "ttft", bounds.ttft),
  }));
}
