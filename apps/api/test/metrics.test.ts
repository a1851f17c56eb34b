import type { Job } from "@reasonq/core";
import { testDatabases } from "@reasonq/testkit";
import { describe, expect, it } from "vitest";
import { auth, useHarness } from "./harness.ts";

const TOKEN = "metrics-scrape-token-0123456789";

function sample(text: string, name: string, labels: Record<string, string>): number | undefined {
  const wanted = Object.entries(labels).map(([k, v]) => `${k}="${v}"`);
  const line = text
    .split("\n")
    .find((l) => l.startsWith(`${name}{`) && wanted.every((w) => l.slice(0, l.indexOf("}")).includes(w)));
  return line === undefined ? undefined : Number(line.slice(line.lastIndexOf(" ") + 1));
}

/** SPEC §9: `/metrics` in the Prometheus format, behind its own token, scraped after a run. */
describe.each(testDatabases())("/metrics on $name", ({ options }) => {
  const h = useHarness(options, { metricsToken: TOKEN, workers: 1 });

  it("refuses a scrape without the token, and reports jobs, attempts, tokens, cost and queues with it", async () => {
    const refused = await h.app.inject({ method: "GET", url: "/metrics" });
    expect(refused.statusCode).toBe(401);
    expect(refused.json()).toMatchObject({ error: { type: "authentication_error" } });
    const wrong = await h.app.inject({ method: "GET", url: "/metrics", headers: { authorization: "Bearer nope" } });
    expect(wrong.statusCode).toBe(401);

    const ids: string[] = [];
    for (let i = 0; i < 2; i++) {
      const created = await h.app.inject({
        method: "POST",
        url: "/v1/jobs",
        headers: auth(h.keys.a),
        payload: { model: "sim/hasty", prompt: `What is ${i}+2?` },
      });
      const { id } = created.json<Job>();
      ids.push(id);
      const done = await h.app.inject({ method: "GET", url: `/v1/jobs/${id}?wait=30`, headers: auth(h.keys.a) });
      expect(done.json<Job>().status).toBe("succeeded");
    }

    // A delivered webhook (the worker's rows, written here without a receiver).
    const delivered = ids[0] as string;
    const owner = (await h.store.jobs.get(delivered))?.api_key_id as string;
    await h.store.webhooks.create({ id: delivered, api_key_id: owner, event: "job.ended", url: "https://x.test/" });
    await h.store.webhooks.recordAttempt(
      delivered,
      { attempt: 1, at: new Date().toISOString(), status_code: 200, error: null, duration_ms: 1 },
      "delivered",
    );

    // One still waiting ten minutes after it was due: what an alert on a worker without the secret reads.
    const waiting = ids[1] as string;
    await h.store.webhooks.create({ id: waiting, api_key_id: owner, event: "job.ended", url: "https://x.test/" });
    await h.store.db
      .updateTable("webhook_deliveries")
      .set({ created_at: new Date(Date.now() - 600_000) })
      .where("id", "=", waiting)
      .execute();

    const scraped = await h.app.inject({
      method: "GET",
      url: "/metrics",
      headers: { authorization: `Bearer ${TOKEN}` },
    });
    expect(scraped.statusCode).toBe(200);
    expect(scraped.headers["content-type"]).toContain("text/plain");
    const text = scraped.body;
    expect(text).toContain("# TYPE reasonq_jobs gauge");
    expect(sample(text, "reasonq_jobs", { status: "succeeded", provider: "sim", model: "sim/hasty" })).toBe(2);
    expect(sample(text, "reasonq_attempts_total", { provider: "sim", outcome: "succeeded" })).toBe(2);
    expect(sample(text, "reasonq_tokens_total", { model: "sim/hasty", kind: "output" })).toBeGreaterThan(0);
    expect(sample(text, "reasonq_cost_usd_total", { model: "sim/hasty" })).toBeGreaterThanOrEqual(0);
    expect(sample(text, "reasonq_queue_entries", { provider: "sim" })).toBeGreaterThanOrEqual(0);
    expect(sample(text, "reasonq_webhook_deliveries", { status: "delivered" })).toBe(1);
    expect(sample(text, "reasonq_webhook_posts_total", { status: "delivered" })).toBe(1);
    expect(sample(text, "reasonq_webhook_deliveries", { status: "pending" })).toBe(1);
    const age = /^reasonq_webhook_oldest_pending_age_seconds (\S+)$/m.exec(text)?.[1];
    expect(Number(age)).toBeGreaterThanOrEqual(600);
  });
});

/** The histograms are read from attempt rows: settled ones from totals the database keeps, recent ones per scrape. */
describe.each(testDatabases())("/metrics histograms on $name", ({ options }) => {
  const h = useHarness(options, { metricsToken: TOKEN, workers: 1 });

  it("reports provider latency and time to first token as histograms from every attempt row, counted once", async () => {
    const scrape = async () =>
      (await h.app.inject({ method: "GET", url: "/metrics", headers: { authorization: `Bearer ${TOKEN}` } })).body;
    const labels = { provider: "sim", model: "sim/reasoner" };
    const histogram = (text: string, name: string) => {
      const buckets = [...text.matchAll(new RegExp(`^${name}_bucket\\{([^}]*)\\} (\\S+)$`, "gm"))]
        .filter((m) => (m[1] ?? "").includes(`model="${labels.model}"`))
        .map((m) => ({ le: /le="([^"]+)"/.exec(m[1] ?? "")?.[1], n: Number(m[2]) }));
      return {
        buckets,
        count: sample(text, `${name}_count`, labels),
        sum: sample(text, `${name}_sum`, labels),
      };
    };
    const run = async (prompt: string) => {
      const created = await h.app.inject({
        method: "POST",
        url: "/v1/jobs",
        headers: auth(h.keys.a),
        payload: { model: "sim/reasoner", prompt },
      });
      const { id } = created.json<Job>();
      const done = await h.app.inject({ method: "GET", url: `/v1/jobs/${id}?wait=30`, headers: auth(h.keys.a) });
      expect(done.json<Job>().status).toBe("succeeded");
      return id;
    };
    // One attempt ended long ago (added once to the stored totals), one just now (read per scrape).
    const old = await run("What is 3*3?");
    const ended = new Date(Date.now() - 3600_000);
    await h.store.db
      .updateTable("job_attempts")
      .set({
        started_at: new Date(ended.getTime() - 40_000),
        first_token_at: new Date(ended.getTime() - 37_000),
        ended_at: ended,
      })
      .where("job_id", "=", old)
      .execute();
    await run("What is 4*4?");

    const first = await scrape();
    expect(first).toContain("# TYPE reasonq_provider_latency_seconds histogram");
    expect(first).toContain("# TYPE reasonq_time_to_first_token_seconds histogram");
    for (const name of ["reasonq_provider_latency_seconds", "reasonq_time_to_first_token_seconds"]) {
      const { buckets, count, sum } = histogram(first, name);
      expect(count, name).toBe(2);
      expect(buckets.at(-1), name).toEqual({ le: "+Inf", n: 2 });
      // Cumulative: never falling, and the old attempt (40 s, first token at 3 s) sits above the fast one.
      expect(
        buckets.every((b, i) => i === 0 || b.n >= (buckets[i - 1]?.n ?? 0)),
        name,
      ).toBe(true);
      const slow = name === "reasonq_provider_latency_seconds" ? { le: "30", at: 40 } : { le: "2", at: 3 };
      expect(buckets.find((b) => b.le === slow.le)?.n, name).toBe(1);
      expect(sum, name).toBeGreaterThanOrEqual(slow.at);
    }
    // A second scrape counts nothing twice; a new attempt adds one.
    expect(histogram(await scrape(), "reasonq_provider_latency_seconds")).toEqual(
      histogram(first, "reasonq_provider_latency_seconds"),
    );
    await run("What is 5*5?");
    expect(histogram(await scrape(), "reasonq_provider_latency_seconds").count).toBe(3);
  });
});
