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

/** Attempts one scrape adds to a series' totals at most: well under a second of database time. */
const FOLD_CHUNK = 50_000;

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
function bucketed(
  metric: Metric,
  bounds: readonly number[],
  from: RawBuilder<unknown>,
  to: RawBuilder<unknown> | null,
) {
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
 * the `ended_at` index, however long the history.
 *
 * A series that is far behind (its first scrape on a long history, or the first after a
 * long pause) adds about `foldChunk` attempts per scrape (the chunk ends past the
 * watermark, so attempts sharing one `ended_at` cannot stall it), so no scrape outlives the
 * statement timeout; until it has caught up it reports the totals alone, which only grow,
 * as a Prometheus histogram must.
 */
async function series(tx: Transaction<Database>, metric: Metric, bounds: readonly number[], foldChunk: number) {
  // The bounds are part of the name: totals bucketed otherwise are another series.
  const name = `${metric}:${bounds.join(",")}`;
  await sql`insert into attempt_histogram_watermarks (series, folded_to) values (${name}, '-infinity')
    on conflict (series) do nothing`.execute(tx);
  const settled = sql`now() - make_interval(secs => ${SETTLE_LAG_SECONDS})`;
  // Timestamps stay text: '-infinity' has no JavaScript Date, and a Date would drop microseconds.
  const { rows } = await sql<{ folded_to: string; behind: boolean; chunk_end: string | null }>`
    select folded_to::text, folded_to < ${settled} as behind,
      (select a.ended_at::text from job_attempts a
        where a.ended_at > w.folded_to and a.ended_at < ${settled}
        order by a.ended_at offset ${foldChunk} limit 1) as chunk_end
    from attempt_histogram_watermarks w where series = ${name} for update`.execute(tx);
  const mark = rows[0];
  if (mark === undefined) throw new Error(`histogram watermark ${name} vanished`);
  let foldedTo = sql`${mark.folded_to}::timestamptz`;
  if (mark.behind) {
    const upTo = mark.chunk_end === null ? settled : sql`${mark.chunk_end}::timestamptz`;
    await sql`
      insert into attempt_histogram_buckets (series, provider, model, le, count, sum)
      select ${name}, provider, model, le, count, sum from (${bucketed(metric, bounds, foldedTo, upTo)}) w
      on conflict (series, provider, model, le) do update
        set count = attempt_histogram_buckets.count + excluded.count,
            sum = attempt_histogram_buckets.sum + excluded.sum`.execute(tx);
    await sql`update attempt_histogram_watermarks set folded_to = ${upTo} where series = ${name}`.execute(tx);
    foldedTo = upTo;
  }
  const caughtUp = mark.chunk_end === null;
  const totals = await sql<{ provider: string; model: string; le: number | string; count: string; sum: number }>`
    select provider, model, le, sum(count)::text as count, sum(sum)::float8 as sum from (
      select provider, model, le, count, sum from attempt_histogram_buckets where series = ${name}
      ${caughtUp ? sql`union all ${bucketed(metric, bounds, foldedTo, null)}` : sql``}
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
  foldChunk = FOLD_CHUNK,
): Promise<AttemptHistograms> {
  return db.transaction().execute(async (tx) => ({
    latency: await series(tx, "latency", bounds.latency, foldChunk),
    ttft: await series(tx, "ttft", bounds.ttft, foldChunk),
  }));
}
