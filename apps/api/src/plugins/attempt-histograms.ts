import type { HistogramCounts, Store } from "@reasonq/store";
import { Histogram, type MetricType, type Registry } from "prom-client";

/** Reasoning models take minutes; hasty ones answer in well under a second. */
export const LATENCY_BUCKETS = [0.25, 0.5, 1, 2.5, 5, 10, 20, 30, 60, 120, 300, 600] as const;
export const TTFT_BUCKETS = [0.1, 0.25, 0.5, 1, 2, 5, 10, 20, 30, 60, 120] as const;
/**
 * Attempts that ended longer ago than this are taken as settled: no transaction writing
 * one is still open. It also absorbs clock skew between the processes that stamp `ended_at`.
 */
const SETTLE_LAG_MS = 5 * 60_000;

type Counts = Map<string, HistogramCounts>;

function add(into: Counts, rows: readonly HistogramCounts[]): void {
  for (const row of rows) {
    const key = `${row.provider}\u0000${row.model}`;
    const had = into.get(key);
    if (had === undefined) {
      into.set(key, { ...row, buckets: [...row.buckets] });
      continue;
    }
    had.buckets = had.buckets.map((n, i) => n + (row.buckets[i] ?? 0));
    had.count += row.count;
    had.sum += row.sum;
  }
}

/** A prom-client histogram whose values are read from the database rather than observed here. */
class ComputedHistogram extends Histogram<"provider" | "model" | "le"> {
  readonly #bounds: readonly number[];
  readonly #read: () => Counts;

  constructor(name: string, help: string, bounds: readonly number[], registry: Registry, read: () => Counts) {
    super({ name, help, labelNames: ["provider", "model"], buckets: [...bounds], registers: [registry] });
    this.#bounds = bounds;
    this.#read = read;
  }

  override async get() {
    const { name, help } = this as unknown as { name: string; help: string };
    const values: Array<{ metricName: string; labels: Record<string, string | number>; value: number }> = [];
    for (const row of this.#read().values()) {
      const labels = { provider: row.provider, model: row.model };
      this.#bounds.forEach((le, i) => {
        values.push({ metricName: `${name}_bucket`, labels: { ...labels, le }, value: row.buckets[i] ?? 0 });
      });
      values.push({ metricName: `${name}_bucket`, labels: { ...labels, le: "+Inf" }, value: row.count });
      values.push({ metricName: `${name}_sum`, labels, value: row.sum });
      values.push({ metricName: `${name}_count`, labels, value: row.count });
    }
    // MetricType is declared as an enum, but prom-client's own metrics carry the type's name.
    const type = "histogram" as unknown as MetricType;
    return { name, help, type, values, aggregator: "sum" as const, collect: () => undefined };
  }

  /** What the registry formats (prom-client's histogram would answer from its own observations). */
  async getForPromString() {
    return this.get();
  }
}

/**
 * Provider latency and time-to-first-token histograms from `job_attempts`, so every API
 * instance reports every worker's attempts (the row is the truth). Counts must only grow,
 * so nothing is windowed away: attempts that ended before a moving watermark are added up
 * once and kept here, and each scrape reads only the attempts since it (over the
 * `ended_at` index) — the whole table is read once, on a process's first scrape.
 */
export function registerAttemptHistograms(registry: Registry, store: Store): () => Promise<void> {
  const bounds = { latency: LATENCY_BUCKETS, ttft: TTFT_BUCKETS };
  const settled = { latency: new Map() as Counts, ttft: new Map() as Counts };
  let watermark: Date | null = null;
  let current = settled;

  new ComputedHistogram(
    "reasonq_provider_latency_seconds",
    "Seconds from an attempt's start to its end, by provider and model",
    LATENCY_BUCKETS,
    registry,
    () => current.latency,
  );
  new ComputedHistogram(
    "reasonq_time_to_first_token_seconds",
    "Seconds from an attempt's start to its first reasoning or answer token, by provider and model",
    TTFT_BUCKETS,
    registry,
    () => current.ttft,
  );

  const refresh = async () => {
    const settleTo = new Date(Date.now() - SETTLE_LAG_MS);
    if (watermark === null || settleTo > watermark) {
      const older = await store.metrics.attemptHistograms({ from: watermark, to: settleTo }, bounds);
      add(settled.latency, older.latency);
      add(settled.ttft, older.ttft);
      watermark = settleTo;
    }
    const recent = await store.metrics.attemptHistograms({ from: watermark, to: null }, bounds);
    const next = { latency: new Map() as Counts, ttft: new Map() as Counts };
    add(next.latency, [...settled.latency.values()]);
    add(next.latency, recent.latency);
    add(next.ttft, [...settled.ttft.values()]);
    add(next.ttft, recent.ttft);
    current = next;
  };
  // One refresh at a time: two concurrent scrapes must not both add the same settled window.
  let running: Promise<void> = Promise.resolve();
  return () => {
    const next = running.then(refresh);
    running = next.catch(() => undefined);
    return next;
  };
}
