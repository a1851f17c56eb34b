import type { Job } from "@reasonq/core";
import { testDatabases } from "@reasonq/testkit";
import { Decimal } from "decimal.js";
import { describe, expect, it } from "vitest";
import { auth, useHarness } from "./harness.ts";
import { cappedKey, spentBy } from "./spend-caps.ts";

describe.each(testDatabases())("budgets, spend caps and the usage report on $name", ({ options }) => {
  const h = useHarness(options, { workers: 1 });

  const submit = (key: string, body: object) =>
    h.app.inject({ method: "POST", url: "/v1/jobs", headers: auth(key), payload: body });
  const finished = async (key: string, id: string) =>
    (await h.app.inject({ method: "GET", url: `/v1/jobs/${id}?wait=30`, headers: auth(key) })).json<Job>();

  it("refuses a job whose pre-flight maximum is above its max_cost_usd, and creates nothing", async () => {
    const key = (await h.store.apiKeys.create("budget")).key;
    const refused = await submit(key, {
      model: "sim/reasoner",
      prompt: "What is 2+2?",
      max_output_tokens: 8000,
      max_cost_usd: "0.01",
    });
    expect(refused.statusCode).toBe(402);
    expect(refused.json().error).toMatchObject({ type: "budget_exceeded", field: "max_cost_usd" });
    expect(refused.json().error.message).toContain("$0.01");
    const list = await h.app.inject({ method: "GET", url: "/v1/jobs", headers: auth(key) });
    expect(list.json().data).toHaveLength(0);

    const accepted = await submit(key, {
      model: "sim/reasoner",
      prompt: "What is 2+2?",
      max_output_tokens: 1000,
      max_cost_usd: 0.01,
    });
    expect(accepted.statusCode).toBe(202);
  });

  it("refuses once a key's spend cap is reached, counting unfinished jobs at their maximum", async () => {
    const { key } = await cappedKey(h, "capped", "0.01");
    const first = await submit(key, { model: "sim/reasoner", prompt: "What is 3*3?", max_output_tokens: 1500 });
    expect(first.statusCode).toBe(202);
    await finished(key, first.json<Job>().id);
    expect((await spentBy(h, key)).greaterThan(0)).toBe(true);

    let accepted = 1;
    for (let i = 0; i < 30; i++) {
      const res = await submit(key, { model: "sim/reasoner", prompt: `What is ${i}*7?`, max_output_tokens: 1500 });
      if (res.statusCode === 402) {
        expect(res.json().error.type).toBe("budget_exceeded");
        break;
      }
      expect(res.statusCode).toBe(202);
      accepted++;
      await finished(key, res.json<Job>().id);
    }
    expect(accepted).toBeLessThan(31);
    const usage = (await h.app.inject({ method: "GET", url: "/v1/usage", headers: auth(key) })).json();
    expect(new Decimal(usage.total.cost).lessThanOrEqualTo("0.01")).toBe(true);
    expect(usage.total.jobs).toBe(accepted);
  });

  it("returns the earlier job for a repeated Idempotency-Key even once the cap is reached", async () => {
    const { key } = await cappedKey(h, "replay", "0.02");
    const body = { model: "sim/reasoner", prompt: "What is 9*9? [sim:tps=5]", max_output_tokens: 3000 };
    const headers = { ...auth(key), "idempotency-key": "once" };
    const first = await h.app.inject({ method: "POST", url: "/v1/jobs", headers, payload: body });
    expect(first.statusCode).toBe(202);
    const full = await submit(key, body);
    expect(full.statusCode).toBe(402);
    const replay = await h.app.inject({ method: "POST", url: "/v1/jobs", headers, payload: body });
    expect(replay.statusCode).toBe(200);
    expect(replay.json<Job>().id).toBe(first.json<Job>().id);
    await h.app.inject({ method: "POST", url: `/v1/jobs/${first.json<Job>().id}/cancel`, headers: auth(key) });
  });

  it("admits concurrent submits one at a time against the cap: none together passes it", async () => {
    const { key } = await cappedKey(h, "concurrent", "0.03");
    const body = { model: "sim/reasoner", prompt: "What is 5*5? [sim:tps=5]", max_output_tokens: 2000 };
    const results = await Promise.all(Array.from({ length: 12 }, () => submit(key, body)));
    const accepted = results.filter((r) => r.statusCode === 202).map((r) => r.json<Job>());
    expect(results.every((r) => r.statusCode === 202 || r.statusCode === 402)).toBe(true);
    expect(accepted.length).toBeGreaterThan(0);
    expect(accepted.length).toBeLessThan(12);
    const rows = await Promise.all(accepted.map((j) => h.store.jobs.get(j.id)));
    const reserved = rows.reduce((sum, row) => sum.plus(row?.max_cost_estimate ?? "0"), new Decimal(0));
    expect(reserved.lessThanOrEqualTo("0.03")).toBe(true);
    for (const job of accepted)
      await h.app.inject({ method: "POST", url: `/v1/jobs/${job.id}/cancel`, headers: auth(key) });
  });

  it("reports usage that adds up exactly to the key's jobs, grouped any way", async () => {
    const key = (await h.store.apiKeys.create("report")).key;
    const ids: string[] = [];
    for (const [model, prompt] of [
      ["sim/reasoner", "What is 12*13?"],
      ["sim/hasty", "What is 12*14?"],
      ["sim/reasoner", "What is 6*7? [sim:fail=stream_dropped:1]"],
    ] as const) {
      ids.push((await submit(key, { model, prompt })).json<Job>().id);
    }
    const jobs = await Promise.all(ids.map((id) => finished(key, id)));
    const jobTotal = jobs.reduce((s, j) => s.plus(j.cost?.total ?? "0"), new Decimal(0));
    const retried = jobs[2] as Job;
    expect(retried.attempts).toBe(2);
    expect(new Decimal(retried.cost?.total ?? "0").greaterThan(0)).toBe(true);

    for (const groupBy of ["model", "provider", "day", "key"]) {
      const report = (
        await h.app.inject({ method: "GET", url: `/v1/usage?group_by=${groupBy}`, headers: auth(key) })
      ).json();
      const sum = report.data.reduce((s: Decimal, r: { cost: string }) => s.plus(r.cost), new Decimal(0));
      expect(sum.equals(jobTotal), `group_by=${groupBy}`).toBe(true);
      expect(new Decimal(report.total.cost).equals(jobTotal)).toBe(true);
      expect(report.total.attempts).toBe(4);
      const output = jobs.reduce((s, j) => s + (j.usage?.output_tokens ?? 0), 0);
      expect(report.total.output_tokens).toBe(output);
    }
    const other = (await h.app.inject({ method: "GET", url: "/v1/usage", headers: auth(h.keys.b) })).json();
    expect(other.total.jobs).toBe(0);
    const bad = await h.app.inject({ method: "GET", url: "/v1/usage?group_by=colour", headers: auth(key) });
    expect(bad.statusCode).toBe(400);
  });
});
