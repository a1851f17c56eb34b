import { newId } from "@reasonq/core";
import { dropSchema, testDatabases } from "@reasonq/testkit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createStore, type Store } from "../create-store.ts";
import type { HistogramCounts } from "./attempt-histograms.ts";

const BOUNDS = { latency: [0.5, 1, 10, 60], ttft: [0.25, 1, 5] };

interface Row {
  model: string;
  outcome: "succeeded" | "failed" | "retried" | "lost" | "running";
  endedAgoS: number | null;
  latencyS: number;
  ttftS: number | null;
}

/** What the rows say, computed here the plain way: per model, observations ≤ each bound. */
function expected(rows: Row[], metric: "latency" | "ttft", all = BOUNDS): HistogramCounts[] {
  const bounds = all[metric];
  const out = new Map<string, HistogramCounts>();
  for (const r of rows) {
    const value = metric === "latency" ? r.latencyS : r.ttftS;
    if (r.endedAgoS === null || value === null || r.outcome === "lost" || r.outcome === "running") continue;
    const h = out.get(r.model) ?? { provider: "sim", model: r.model, buckets: bounds.map(() => 0), count: 0, sum: 0 };
    out.set(r.model, h);
    h.count++;
    h.sum += value;
    bounds.forEach((b, i) => {
      if (value <= b) h.buckets[i] = (h.buckets[i] ?? 0) + 1;
    });
  }
  return [...out.values()];
}

function close(got: HistogramCounts[], want: HistogramCounts[]) {
  const sort = (l: HistogramCounts[]) => [...l].sort((a, b) => a.model.localeCompare(b.model));
  const [g, w] = [sort(got), sort(want)];
  expect(g.map(({ sum, ...rest }) => rest)).toEqual(w.map(({ sum, ...rest }) => rest));
  g.forEach((h, i) => {
    expect(h.sum).toBeCloseTo(w[i]?.sum ?? Number.NaN, 6);
  });
}

describe.each(testDatabases())("attempt histograms on $name", ({ options }) => {
  let store: Store;
  let key: string;
  const rows: Row[] = [];

  beforeAll(async () => {
    store = await createStore(options);
    key = (await store.apiKeys.create("a")).apiKey.id;
  });
  afterAll(async () => {
    await store.close();
    if (options.kind === "postgres") await dropSchema(options.schema);
  });

  async function attempt(row: Row): Promise<void> {
    const id = newId("job");
    await store.jobs.create({
      id,
      api_key_id: key,
      model: row.model,
      provider: "sim",
      spec: {
        model: row.model,
        messages: [{ role: "user", content: "What is 2+2?" }],
        reasoning: { include: false, enabled: false },
        sampling: {},
        metadata: {},
      },
      resolved_params: {},
      prepared_request: { model: {}, body: {} },
      metadata: {},
      warnings: [],
    });
    const ended = row.endedAgoS === null ? null : new Date(Date.now() - row.endedAgoS * 1000);
    const started = new Date((ended?.getTime() ?? Date.now()) - row.latencyS * 1000);
    await store.db
      .insertInto("job_attempts")
      .values({
        job_id: id,
        attempt: 1,
        delivery: 1,
        outcome: row.outcome,
        started_at: started,
        ended_at: ended,
        first_token_at: row.ttftS === null ? null : new Date(started.getTime() + row.ttftS * 1000),
      })
      .execute();
    rows.push(row);
  }

  it("equal what the attempt rows say, settled or recent, read twice or at once, bounds inclusive", async () => {
    const hour = 3600;
    // Settled (ended over five minutes ago): added to the stored totals on the first read.
    await attempt({ model: "sim/a", outcome: "succeeded", endedAgoS: 2 * hour, latencyS: 0.5, ttftS: 0.25 });
    await attempt({ model: "sim/a", outcome: "failed", endedAgoS: hour, latencyS: 12, ttftS: null });
    await attempt({ model: "sim/b", outcome: "retried", endedAgoS: hour, latencyS: 75, ttftS: 6 });
    await attempt({ model: "sim/b", outcome: "lost", endedAgoS: hour, latencyS: 3, ttftS: 1 });
    // Recent: read from the rows on every scrape until settled.
    await attempt({ model: "sim/a", outcome: "succeeded", endedAgoS: 1, latencyS: 1, ttftS: 0.5 });
    await attempt({ model: "sim/b", outcome: "running", endedAgoS: null, latencyS: 2, ttftS: 0.1 });

    const first = await store.metrics.attemptHistograms(BOUNDS);
    close(first.latency, expected(rows, "latency"));
    close(first.ttft, expected(rows, "ttft"));
    expect(first.latency.find((h) => h.model === "sim/a")?.buckets).toEqual([1, 2, 2, 3]);

    // Again, and from several scrapers at once: each settled attempt is added to the totals once.
    const again = await Promise.all([1, 2, 3].map(() => store.metrics.attemptHistograms(BOUNDS)));
    for (const h of again) {
      close(h.latency, expected(rows, "latency"));
      close(h.ttft, expected(rows, "ttft"));
    }
    const stored = await store.db
      .selectFrom("attempt_histogram_buckets" as never)
      .select((eb) => eb.fn.sum<string>("count" as never).as("n"))
      .executeTakeFirst();
    // Only the three settled, measured attempts' latencies and two first tokens are stored.
    expect(Number(stored?.n)).toBe(5);

    await attempt({ model: "sim/c", outcome: "succeeded", endedAgoS: 2, latencyS: 0.2, ttftS: 0.1 });
    const later = await store.metrics.attemptHistograms(BOUNDS);
    close(later.latency, expected(rows, "latency"));
    close(later.ttft, expected(rows, "ttft"));

    // Other bounds are another series, counted from the rows afresh.
    const other = await store.metrics.attemptHistograms({ latency: [2], ttft: [] });
    expect(other.latency.map((h) => [h.model, h.count, h.buckets])).toEqual(
      expect.arrayContaining([
        ["sim/a", 3, [2]],
        ["sim/b", 1, [0]],
        ["sim/c", 1, [1]],
      ]),
    );
  });

  it("catch up on a long history a chunk per read, reporting totals that only grow, then every row", async () => {
    const bounds = { latency: [0.3, 7], ttft: [0.3] };
    const ended = 3 * 3600;
    // Three settled attempts sharing one end, and two more: a chunk of two cannot take them at once.
    for (const latencyS of [0.2, 5, 9]) {
      await attempt({ model: "sim/d", outcome: "succeeded", endedAgoS: ended, latencyS, ttftS: 0.2 });
    }
    await attempt({ model: "sim/d", outcome: "failed", endedAgoS: ended - 60, latencyS: 0.3, ttftS: null });
    await attempt({ model: "sim/d", outcome: "succeeded", endedAgoS: ended - 120, latencyS: 8, ttftS: 0.4 });
    const want = (metric: "latency" | "ttft") => expected(rows, metric, bounds);
    const total = (hs: HistogramCounts[]) => hs.reduce((n, h) => n + h.count, 0);
    const wanted = total(want("latency"));
    let last = -1;
    let reads = 0;
    for (;;) {
      const got = await store.metrics.attemptHistograms(bounds, 2);
      reads++;
      const n = total(got.latency);
      expect(n).toBeGreaterThanOrEqual(last);
      last = n;
      if (n === wanted) {
        close(got.latency, want("latency"));
        close(got.ttft, want("ttft"));
        break;
      }
      expect(reads).toBeLessThan(rows.length);
    }
    expect(reads).toBeGreaterThan(1);
  });
});
