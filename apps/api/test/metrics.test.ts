import type { Job } from "@reasonq/core";
import { testDatabases } from "@reasonq/testkit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { auth, type Harness, startHarness } from "./harness.ts";

const TOKEN = "metrics-scrape-token-0123456789";

/** SPEC §9: `/metrics` in the Prometheus format, behind its own token, scraped after a run. */
describe.each(testDatabases())("/metrics on $name", ({ options }) => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness(options, { metricsToken: TOKEN });
    await h.startWorker();
  });
  afterAll(async () => {
    await h.close();
  });

  function sample(text: string, name: string, labels: Record<string, string>): number | undefined {
    const wanted = Object.entries(labels).map(([k, v]) => `${k}="${v}"`);
    const line = text
      .split("\n")
      .find((l) => l.startsWith(`${name}{`) && wanted.every((w) => l.slice(0, l.indexOf("}")).includes(w)));
    return line === undefined ? undefined : Number(line.slice(line.lastIndexOf(" ") + 1));
  }

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
  });
});
