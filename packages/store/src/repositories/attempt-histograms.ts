import { type Kysely, sql } from "kysely";
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
 * Provider latency and time to first token of the attempts that ended in [from, to), by
 * provider and model, as cumulative bucket counts — one statement over the `ended_at`
 * index, so a caller that adds up successive windows reads each attempt once.
 */
export async function attemptHistograms(
  db: Kysely<Database>,
  window: { from: Date | null; to: Date | null },
  bounds: { latency: readonly number[]; ttft: readonly number[] },
): Promise<AttemptHistograms> {
  const buckets = (column: string, list: readonly number[]) =>
    list.length === 0
      ? sql`'[]'::json`
      : sql`json_build_array(${sql.join(list.map((b) => sql`count(*) filter (where ${sql.ref(column)} <= ${b})`))})`;
  const result = await sql<{
    provider: string;
    model: string;
    n: string;
    latency_sum: string | null;
    latency_buckets: number[];
    ttft_n: string;
    ttft_sum: string | null;
    ttft_buckets: number[];
  }>`
    with measured as (
      select j.provider, j.model,
        extract(epoch from a.ended_at - a.started_at)::float8 as latency,
        extract(epoch from a.first_token_at - a.started_at)::float8 as ttft
      from job_attempts a join jobs j on j.id = a.job_id
      where a.ended_at is not null
        ${window.from === null ? sql`` : sql`and a.ended_at >= ${window.from}`}
        ${window.to === null ? sql`` : sql`and a.ended_at < ${window.to}`}
        and a.outcome in (${sql.join(MEASURED.map((o) => sql`${o}`))})
    )
    select provider, model,
      count(*)::text as n, sum(latency)::text as latency_sum, ${buckets("latency", bounds.latency)} as latency_buckets,
      count(ttft)::text as ttft_n, sum(ttft)::text as ttft_sum, ${buckets("ttft", bounds.ttft)} as ttft_buckets
    from measured
    group by provider, model`.execute(db);
  const latency: HistogramCounts[] = [];
  const ttft: HistogramCounts[] = [];
  for (const r of result.rows) {
    const labels = { provider: r.provider, model: r.model };
    latency.push({
      ...labels,
      buckets: r.latency_buckets.map(Number),
      count: Number(r.n),
      sum: Number(r.latency_sum ?? 0),
    });
    if (Number(r.ttft_n) > 0) {
      ttft.push({
        ...labels,
        buckets: r.ttft_buckets.map(Number),
        count: Number(r.ttft_n),
        sum: Number(r.ttft_sum ?? 0),
      });
    }
  }
  return { latency, ttft };
}
