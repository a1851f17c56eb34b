import type { HistogramCounts, Store } from "@reasonq/store";
import { Histogram, type MetricType, type Registry } from "prom-client";

/** Reasoning models take minutes; hasty ones answer in well under a second. */
export const LATENCY_BUCKETS = [0.25, 0.5, 1, 2.5, 5, 10, 20, 30, 60, 120, 300, 600] as const;
export const TTFT_BUCKETS = [0.1, 0.25, 0.5, 1, 2, 5, 10, 20, 30, 60, 120] as const;

type Counts = readonly HistogramCounts[];

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
    for (const row of this.#read()) {
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
 * instance reports every worker's attempts (the row is the truth). The store keeps the
 * settled attempts added up in the database, so a scrape reads those totals and the last
 * minutes' attempts, whatever the history or the process's age.
 */
export function registerAttemptHistograms(registry: Registry, store: Store): () => Promise<void> {
  let current: { latency: Counts; ttft: Counts } = { latency: [], ttft: [] };
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
  return async () => {
    current = await store.metrics.attemptHistograms({ latency: LATENCY_BUCKETS, ttft: TTFT_BUCKETS });
  };
}
