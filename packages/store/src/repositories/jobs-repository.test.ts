import type { Usage } from "@reasonq/core";
import { dropSchema, testDatabases } from "@reasonq/testkit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sampleJob } from "../../test/sample-job.ts";
import { createStore, type Store } from "../create-store.ts";
import type { NewJob } from "./jobs-repository.ts";

const usage: Usage = {
  input_tokens: 10,
  cached_input_tokens: 0,
  cache_write_tokens: 0,
  output_tokens: 30,
  reasoning_tokens: 20,
  answer_tokens: 10,
  reasoning_tokens_source: "provider",
};

describe.each(testDatabases())("jobs repository on $name", ({ options }) => {
  let store: Store;
  let keyA: string;
  let keyB: string;

  beforeAll(async () => {
    store = await createStore(options);
    keyA = (await store.apiKeys.create("a")).apiKey.id;
    keyB = (await store.apiKeys.create("b")).apiKey.id;
  });
  afterAll(async () => {
    await store.close();
    if (options.kind === "postgres") await dropSchema(options.schema);
  });

  const newJob = sampleJob;

  it("stores a job and reads it back only for its own key", async () => {
    const { job, created } = await store.jobs.create(newJob(keyA));
    expect(created).toBe(true);
    expect(job.status).toBe("queued");
    expect(job.metadata).toEqual({ ticket: "A-1" });
    expect((await store.jobs.get(job.id, keyA))?.id).toBe(job.id);
    expect(await store.jobs.get(job.id, keyB)).toBeUndefined();
  });

  it("inserts many jobs in one statement, each exactly as given, in order", async () => {
    const awkward = 'quote " backslash \\ brace { } comma , newline \n unicode é 🙂';
    const jobs = [
      newJob(keyA, { metadata: { note: awkward }, max_cost_estimate: "0.000123", request_hash: "h1" }),
      newJob(keyB, { spec: { ...newJob(keyB).spec, messages: [{ role: "user", content: awkward }] } }),
      newJob(keyA, { warnings: [{ type: "adapted", field: "temperature", message: awkward }], batch_id: null }),
    ];
    const rows = await store.jobs.createMany(jobs);
    expect(rows.map((row) => row.id)).toEqual(jobs.map((job) => job.id));
    rows.forEach((row, i) => {
      const job = jobs[i] as NewJob;
      expect(row).toMatchObject({
        api_key_id: job.api_key_id,
        status: "queued",
        spec: job.spec,
        resolved_params: job.resolved_params,
        prepared_request: job.prepared_request,
        metadata: job.metadata,
        warnings: job.warnings,
        batch_id: null,
        idempotency_key: null,
        request_hash: job.request_hash ?? null,
        max_cost_estimate: job.max_cost_estimate ?? null,
        attempts: 0,
      });
    });
    expect(await store.jobs.get(jobs[1]?.id as string)).toEqual(rows[1]);
    expect(await store.jobs.createMany([])).toEqual([]);
  });

  it("claims and ends many jobs at once, each exactly once, billing the key the exact sum", async () => {
    const key = (await store.apiKeys.create("many")).apiKey.id;
    const jobs = await store.jobs.createMany(Array.from({ length: 30 }, () => newJob(key)));
    const claims = await Promise.all(jobs.flatMap((job) => [store.jobs.claim(job.id, 1), store.jobs.claim(job.id, 1)]));
    expect(claims.filter((c) => c.kind === "claimed")).toHaveLength(30);
    expect(claims.filter((c) => c.kind === "skipped")).toHaveLength(30);
    const cost = (total: string) => ({
      currency: "USD" as const,
      input: "0",
      cached_input: "0",
      cache_write: "0",
      reasoning: "0",
      answer: total,
      total,
      unit_prices_per_million: { input: "1", cached_input: "0.1", cache_write: "1.25", output: "4" },
      price_source: "test",
    });
    const ended = await Promise.all(
      jobs.map((job, i) =>
        store.jobs.endAttempt(job.id, 1, {
          outcome: "succeeded",
          error: null,
          usage,
          cost: cost(`0.00000${i % 10}1`),
          jobUsage: usage,
          jobCost: cost(`0.00000${i % 10}1`),
          output: {
            schema_version: 1,
            answer: `answer ${i}`,
            reasoning: "",
            reasoning_kind: "none",
            thinking_blocks: [],
            finish_reason: "stop",
            provider_finish_reason: null,
            provider_response_id: null,
            provider_metadata: {},
          },
        }),
      ),
    );
    expect(ended.map((row) => row?.status)).toEqual(jobs.map(() => "succeeded"));
    expect(ended.map((row) => row?.id)).toEqual(jobs.map((job) => job.id));
    expect(ended.map((row) => row?.output?.answer)).toEqual(jobs.map((_, i) => `answer ${i}`));
    // Three times 0.0000001 + 0.0000011 + … + 0.0000091.
    expect((await store.usage.committedBy(key)).spent).toBe("0.000138");
  });

  it("returns the earlier job for a repeated idempotency key", async () => {
    const first = await store.jobs.create(newJob(keyA, { idempotency_key: "k1", request_hash: "h" }));
    const again = await store.jobs.create(newJob(keyA, { idempotency_key: "k1", request_hash: "h2" }));
    expect(again.created).toBe(false);
    expect(again.job.id).toBe(first.job.id);
    expect(again.job.request_hash).toBe("h");
    const otherKey = await store.jobs.create(newJob(keyB, { idempotency_key: "k1" }));
    expect(otherKey.created).toBe(true);
  });

  it("claims once per delivery and lets a later delivery take over", async () => {
    const { job } = await store.jobs.create(newJob(keyA));
    const first = await store.jobs.claim(job.id, 1);
    expect(first.kind).toBe("claimed");
    expect((await store.jobs.claim(job.id, 1)).kind).toBe("skipped");
    const takeover = await store.jobs.claim(job.id, 2);
    expect(takeover.kind).toBe("claimed");
    if (takeover.kind !== "claimed") return;
    expect(takeover.job.attempts).toBe(2);
    const attempts = await store.jobs.attempts(job.id);
    expect(attempts.map((a) => a.outcome)).toEqual(["lost", "running"]);
  });

  it("claims at most once under concurrent deliveries", async () => {
    const { job } = await store.jobs.create(newJob(keyA));
    const results = await Promise.all([1, 1, 1, 1].map((d) => store.jobs.claim(job.id, d)));
    expect(results.filter((r) => r.kind === "claimed")).toHaveLength(1);
  });

  it("ends an attempt with exact money and refuses a stale holder", async () => {
    const { job } = await store.jobs.create(newJob(keyA));
    await store.jobs.claim(job.id, 1);
    await store.jobs.claim(job.id, 2);
    const cost = {
      currency: "USD" as const,
      input: "0.00001",
      cached_input: "0",
      cache_write: "0",
      reasoning: "0.00008",
      answer: "0.00004",
      total: "0.00013",
      unit_prices_per_million: { input: "1", cached_input: "0.1", cache_write: "1.25", output: "4" },
      price_source: "test",
    };
    const end = {
      outcome: "succeeded" as const,
      error: null,
      usage,
      cost,
      jobUsage: usage,
      jobCost: cost,
      output: null,
    };
    expect(await store.jobs.endAttempt(job.id, 1, end)).toBeUndefined();
    const done = await store.jobs.endAttempt(job.id, 2, end);
    expect(done?.status).toBe("succeeded");
    expect(done?.cost_total).toBe("0.00013");
    expect(done?.completed_at).toBeInstanceOf(Date);
    expect((await store.jobs.claim(job.id, 3)).kind).toBe("skipped");
  });

  it("cancels a queued job at once and marks a running one", async () => {
    const queued = (await store.jobs.create(newJob(keyA))).job;
    expect(await store.jobs.cancel(queued.id, keyB)).toBeUndefined();
    const cancelled = await store.jobs.cancel(queued.id, keyA);
    expect(cancelled?.kind).toBe("cancelled");
    expect(cancelled?.job.status).toBe("cancelled");
    expect((await store.jobs.claim(queued.id, 1)).kind).toBe("skipped");

    const running = (await store.jobs.create(newJob(keyA))).job;
    await store.jobs.claim(running.id, 1);
    const signalled = await store.jobs.cancel(running.id, keyA);
    expect(signalled?.kind).toBe("signalled");
    const redelivered = await store.jobs.claim(running.id, 2);
    expect(redelivered.kind).toBe("cancelled");
    expect(redelivered.job?.status).toBe("cancelled");
  });

  it("pages newest first with a cursor", async () => {
    const key = (await store.apiKeys.create("pager")).apiKey.id;
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) ids.push((await store.jobs.create(newJob(key))).job.id);
    const page1 = await store.jobs.list({ apiKeyId: key, limit: 2 });
    expect(page1.rows.map((r) => r.id)).toEqual([ids[4], ids[3]]);
    expect(page1.hasMore).toBe(true);
    const page3 = await store.jobs.list({ apiKeyId: key, limit: 2, after: ids[1] });
    expect(page3.rows.map((r) => r.id)).toEqual([ids[0]]);
    expect(page3.hasMore).toBe(false);
  });

  it("filters by metadata pairs", async () => {
    const key = (await store.apiKeys.create("tagged")).apiKey.id;
    const a = (await store.jobs.create(newJob(key, { metadata: { ticket: "A-17", team: "x" } }))).job;
    await store.jobs.create(newJob(key, { metadata: { ticket: "A-18" } }));
    const found = await store.jobs.list({ apiKeyId: key, limit: 10, metadata: { ticket: "A-17" } });
    expect(found.rows.map((r) => r.id)).toEqual([a.id]);
    const none = await store.jobs.list({ apiKeyId: key, limit: 10, metadata: { ticket: "A-17", team: "y" } });
    expect(none.rows).toEqual([]);
  });
});
