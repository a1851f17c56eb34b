import type { Job } from "@reasonq/core";
import { testDatabases, waitFor } from "@reasonq/testkit";
import { Decimal } from "decimal.js";
import { describe, expect, it } from "vitest";
import { auth, useHarness } from "./harness.ts";

interface BatchBody {
  id: string;
  status: string;
  stop_reason: string | null;
  spent_usd: string;
  max_cost_usd: string | null;
  progress: { total_jobs: number; created_jobs: number; finished_jobs: number; jobs_by_status: Record<string, number> };
  variants: Array<{
    label: string;
    n: number;
    correct: number;
    accuracy: number | null;
    accuracy_ci95: { low: number; high: number } | null;
    total_cost: string;
    reasoning_tokens: { mean: number | null };
    outcomes: Record<string, number>;
  }>;
}

const arithmetic = Array.from({ length: 20 }, (_, i) => {
  const a = 12 + i * 7;
  const b = 9 + ((i * 5) % 13);
  const c = 3 + (i % 4);
  return { id: `q${i}`, prompt: `What is ${a}*${b}+${c}?`, expected: String(a * b + c) };
});

describe.each(testDatabases())("batch evaluation API on $name", ({ options }) => {
  const h = useHarness(options, { workers: 1 });

  const post = (url: string, payload: object, key = h.keys.a) =>
    h.app.inject({ method: "POST", url, headers: auth(key), payload });
  const get = (url: string, key = h.keys.a) => h.app.inject({ method: "GET", url, headers: auth(key) });
  const settled = (id: string) =>
    waitFor(
      async () => {
        const batch = (await get(`/v1/batches/${id}`)).json<BatchBody>();
        return batch.status === "running" ? undefined : batch;
      },
      { timeoutMs: 60_000, intervalMs: 100, what: `batch ${id} to end` },
    );

  it("runs items × variants, scores them and tells reasoner-high from hasty, with exact money", async () => {
    const created = await post("/v1/batches", {
      name: "arithmetic",
      items: arithmetic,
      variants: [{ model: "sim/reasoner", reasoning: { effort: "high" } }, { model: "sim/hasty" }],
      scorer: { type: "numeric", tolerance: 0.001 },
    });
    expect(created.statusCode).toBe(202);
    const start = created.json<BatchBody>();
    expect(start.progress.total_jobs).toBe(40);

    const batch = await settled(start.id);
    expect(batch.status).toBe("completed");
    expect(batch.progress.finished_jobs).toBe(40);
    expect(batch.progress.jobs_by_status).toEqual({ succeeded: 40 });
    const [reasoner, hasty] = batch.variants;
    expect(reasoner?.n).toBe(20);
    expect(reasoner?.accuracy).toBeGreaterThan(hasty?.accuracy ?? 1);
    expect(reasoner?.accuracy_ci95?.low).toBeLessThanOrEqual(reasoner?.accuracy ?? 0);
    expect(new Decimal(reasoner?.total_cost ?? "0").greaterThan(hasty?.total_cost ?? "0")).toBe(true);
    expect(reasoner?.reasoning_tokens.mean).toBeGreaterThan(hasty?.reasoning_tokens.mean ?? 0);

    const variantSum = batch.variants.reduce((s, v) => s.plus(v.total_cost), new Decimal(0));
    expect(variantSum.equals(batch.spent_usd)).toBe(true);
    const jobs = (await get(`/v1/jobs?batch_id=${start.id}&limit=100`)).json<{ data: Job[] }>().data;
    expect(jobs).toHaveLength(40);
    const jobSum = jobs.reduce((s, j) => s.plus(j.cost?.total ?? "0"), new Decimal(0));
    expect(jobSum.equals(batch.spent_usd)).toBe(true);

    const results = await get(`/v1/batches/${start.id}/results`);
    expect(results.headers["content-type"]).toContain("application/x-ndjson");
    const lines = results.body
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l));
    expect(lines).toHaveLength(40);
    expect(lines[0]).toMatchObject({ item_id: "q0", repeat: 0, status: "succeeded" });
    expect(lines.filter((l) => l.correct === true).length).toBe(batch.variants.reduce((s, v) => s + v.correct, 0));

    const csv = await get(`/v1/batches/${start.id}/results?format=csv`);
    const rows = csv.body.trim().split("\n");
    expect(rows).toHaveLength(41);
    expect(rows[0]).toContain("item_id,variant_id");

    const report = await get(`/v1/batches/${start.id}/report`);
    expect(report.headers["content-type"]).toContain("text/html");
    expect(report.body).toContain("<html");
    expect(report.body).toContain("sim/reasoner");
    expect(report.body).not.toMatch(/<script[^>]+src=["']https?:/);
  });

  it("stops starting jobs once the budget would be exceeded", async () => {
    const created = await post("/v1/batches", {
      name: "budget",
      items: arithmetic,
      variants: [{ model: "sim/reasoner", reasoning: { effort: "high" }, max_output_tokens: 3000 }],
      scorer: { type: "numeric" },
      max_cost_usd: "0.02",
    });
    const batch = await settled(created.json<BatchBody>().id);
    expect(batch.status).toBe("budget_exhausted");
    expect(batch.stop_reason).toBe("budget");
    expect(batch.progress.created_jobs).toBeLessThan(batch.progress.total_jobs);
    expect(batch.progress.created_jobs).toBeGreaterThan(0);
    expect(new Decimal(batch.spent_usd).lessThanOrEqualTo("0.02")).toBe(true);
    expect(batch.progress.finished_jobs).toBe(batch.progress.created_jobs);
  });

  it("uploads a dataset, refusing a broken one with every problem located", async () => {
    const bad = await h.app.inject({
      method: "POST",
      url: "/v1/datasets?name=bad",
      headers: { ...auth(h.keys.a), "content-type": "application/x-ndjson" },
      payload: `{"prompt":"What is 1+1?","expected":"2"}\n{"prompt":\n{"question":"x"}\n`,
    });
    expect(bad.statusCode).toBe(400);
    const error = bad.json().error;
    expect(error.type).toBe("invalid_request");
    expect(error.details.map((d: { line: number }) => d.line)).toEqual(expect.arrayContaining([2, 3]));

    const good = await h.app.inject({
      method: "POST",
      url: "/v1/datasets?name=mc",
      headers: { ...auth(h.keys.a), "content-type": "text/csv" },
      payload: 'id,prompt,choices,expected\nm1,"Which is 6*7?","41|42|43",B\nm2,"Which is largest?","3|9|5",B\n',
    });
    expect(good.statusCode).toBe(201);
    const dataset = good.json<{ id: string; item_count: number }>();
    expect(dataset.item_count).toBe(2);

    const created = await post("/v1/batches", {
      name: "mc",
      dataset_id: dataset.id,
      variants: [{ model: "sim/reasoner", reasoning: { effort: "high" } }],
      scorer: { type: "choice" },
      repeats: 2,
    });
    expect(created.statusCode).toBe(202);
    const batch = await settled(created.json<BatchBody>().id);
    expect(batch.status).toBe("completed");
    expect(batch.progress.total_jobs).toBe(4);
    const other = await post("/v1/batches", { ...created.json(), name: "x" }, h.keys.b);
    expect(other.statusCode).toBe(400);
    expect((await get(`/v1/batches/${batch.id}`, h.keys.b)).statusCode).toBe(404);
  });

  it("grades with a judge model that runs as its own jobs, its cost counted into the batch", async () => {
    // sim/echo answers with its prompt, so the graded answer carries the verdict the echoing
    // judge then reads back: a deterministic judge for exercising the flow end to end.
    const created = await post("/v1/batches", {
      name: "judged",
      items: [
        { id: "good", prompt: "VERDICT: PASS", expected: "anything" },
        { id: "bad", prompt: "VERDICT: FAIL", expected: "anything" },
      ],
      variants: [{ model: "sim/echo" }],
      scorer: { type: "judge", model: "sim/echo", rubric: "Pass answers that say PASS." },
    });
    expect(created.statusCode, created.body).toBe(202);
    const batch = await settled(created.json<BatchBody>().id);
    expect(batch.status).toBe("completed");
    expect(batch.variants[0]).toMatchObject({ n: 2, correct: 1 });
    const jobs = (await get("/v1/jobs?limit=100")).json<{ data: Job[] }>().data;
    const judges = jobs.filter((j) => j.metadata.judge_for !== undefined);
    const graded = jobs.filter((j) => j.batch_id === batch.id);
    expect(judges).toHaveLength(2);
    expect(judges.every((j) => j.batch_id === null && j.status === "succeeded")).toBe(true);
    const all = [...judges, ...graded].reduce((sum, j) => sum.plus(j.cost?.total ?? "0"), new Decimal(0));
    expect(all.equals(batch.spent_usd)).toBe(true);
  });

  it("cancels a running batch: queued jobs never run", async () => {
    const created = await post("/v1/batches", {
      name: "slow",
      items: arithmetic.map((item) => ({ ...item, prompt: `${item.prompt} [sim:tps=20]` })),
      variants: [{ model: "sim/reasoner" }],
      scorer: { type: "numeric" },
    });
    const id = created.json<BatchBody>().id;
    const cancelled = await post(`/v1/batches/${id}/cancel`, {});
    expect(cancelled.statusCode).toBe(200);
    const batch = await settled(id);
    expect(batch.status).toBe("cancelled");
    expect(batch.progress.jobs_by_status.succeeded ?? 0).toBeLessThan(20);
    expect(batch.progress.jobs_by_status.queued ?? 0).toBe(0);
  });

  it.each([
    [{ scorer: { type: "astrology" } }, "scorer.type"],
    [{ variants: [{ model: "nope/nothing" }] }, "variants[0].model"],
    [{ variants: [{ model: "sim/echo", reasoning: { effort: "high" } }] }, "variants[0].reasoning"],
    [{ dataset_id: "ds_01JD0000000000000000000000" }, "items"],
  ])("refuses a bad batch (%j) naming %s", async (change, field) => {
    const res = await post("/v1/batches", {
      name: "bad",
      items: arithmetic.slice(0, 2),
      variants: [{ model: "sim/hasty" }],
      scorer: { type: "numeric" },
      ...change,
    });
    expect(res.statusCode).toBe(400);
    expect(res.json().error.field).toContain(field.split(".")[0]);
  });
});
