import { computeCost, money, priceCatalog } from "@reasonq/billing";
import type { Job } from "@reasonq/core";
import { type MockServer, startAnthropicMock, startGoogleMock, startOpenAIMock } from "@reasonq/mock-providers";
import {
  dropSchema,
  freePort,
  TEST_DATABASE_URL,
  type TestRedis,
  testRedis,
  uniqueSchema,
  waitFor,
} from "@reasonq/testkit";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Proc, startCli } from "./processes.ts";

const KEY = "rq_test_batch_sigkill_0123456789";
const PROVIDER_KEY = "sk-batch-sigkill-0123456789";
/** Polls the mock answers "in progress" with: the batches stay in flight well past the kill. */
const SLOW = "[mock:batch_slow=30]";
const PROMPTS = [`What is 17*23? ${SLOW}`, "What is 6*7?"];
const MODELS = ["o4-mini", "claude-sonnet-4-6", "gemini-2.5-flash"];

/**
 * Issue 15: a worker killed with SIGKILL while its provider batches are in flight. The API
 * and the workers are real processes on PostgreSQL; the providers are the mocks' batch
 * APIs, in this process, so the test sees every request they got. A second worker takes the
 * batches over from their rows once the dead worker's lease runs out, polls them on, and
 * fans the results out: no batch is submitted twice, and every job ends once, billed once,
 * at the batch rate.
 */
describe("a worker killed while provider batches are in flight (real processes, PostgreSQL)", () => {
  let redis: TestRedis;
  let schema: string;
  let db: pg.Client;
  const mocks: Record<string, MockServer> = {};
  const procs: Proc[] = [];

  beforeAll(async () => {
    redis = await testRedis();
    schema = uniqueSchema();
    db = new pg.Client({ connectionString: TEST_DATABASE_URL });
    await db.connect();
    await db.query(`create schema ${schema}`);
    mocks.openai = await startOpenAIMock({ apiKey: PROVIDER_KEY, reasoningDelayMs: 0 });
    mocks.anthropic = await startAnthropicMock({ apiKey: PROVIDER_KEY });
    mocks.google = await startGoogleMock({ apiKey: PROVIDER_KEY });
  });
  afterAll(async () => {
    for (const proc of procs) if (proc.child.exitCode === null) proc.child.kill("SIGKILL");
    await Promise.all(procs.map((p) => p.exited));
    await db.end();
    await dropSchema(schema);
    await Promise.all(Object.values(mocks).map((m) => m.close()));
    await redis.stop();
  });

  /** Batch creations each mock received: the provider's own record of what was submitted. */
  const submissions = () => ({
    openai: (mocks.openai as MockServer).requests.filter((r) => r.method === "POST" && r.path === "/v1/batches").length,
    anthropic: (mocks.anthropic as MockServer).requests.filter(
      (r) => r.method === "POST" && r.path === "/v1/messages/batches",
    ).length,
    google: (mocks.google as MockServer).requests.filter(
      (r) => r.method === "POST" && r.path.endsWith(":batchGenerateContent"),
    ).length,
  });
  const rows = async () =>
    (
      await db.query<{ id: string; family: string; status: string; provider_batch_id: string | null }>(
        `select id, family, status, provider_batch_id from ${schema}.provider_batches order by family`,
      )
    ).rows;

  it("resumes every batch from its row, submits none twice, and ends and bills each job once", async () => {
    const port = await freePort();
    const url = new URL(TEST_DATABASE_URL);
    url.searchParams.set("options", `-c search_path=${schema}`);
    const env = {
      DATABASE_URL: url.toString(),
      REDIS_URL: redis.url,
      REASONQ_QUEUE_PREFIX: redis.prefix,
      REASONQ_API_KEYS: KEY,
      // Also the lease on a provider batch: the dead worker's rows are free again after it.
      REASONQ_LOCK_DURATION_MS: "2000",
      REASONQ_PROVIDER_BATCH_WINDOW_MS: "1000",
      REASONQ_PROVIDER_BATCH_POLL_MS: "50",
      REASONQ_PROVIDER_BATCH_MAX_POLL_MS: "200",
      OPENAI_BASE_URL: `${mocks.openai?.url}/v1`,
      OPENAI_API_KEY: PROVIDER_KEY,
      ANTHROPIC_BASE_URL: mocks.anthropic?.url ?? "",
      ANTHROPIC_API_KEY: PROVIDER_KEY,
      GEMINI_BASE_URL: mocks.google?.url ?? "",
      GEMINI_API_KEY: PROVIDER_KEY,
      PORT: String(port),
    };
    const api = startCli(["api"], env);
    procs.push(api);
    await api.waitFor(/listening on/, 120_000);
    const first = startCli(["worker"], env);
    procs.push(first);

    const headers = { authorization: `Bearer ${KEY}`, "content-type": "application/json" };
    const base = `http://127.0.0.1:${port}`;
    const ids = await Promise.all(
      MODELS.flatMap((model) =>
        PROMPTS.map(async (prompt) => {
          const created = await fetch(`${base}/v1/jobs`, {
            method: "POST",
            headers,
            body: JSON.stringify({ model, prompt, lane: "provider_batch" }),
          });
          expect(created.status).toBe(202);
          return ((await created.json()) as Job).id;
        }),
      ),
    );

    // Kill once the provider holds all three batches and the rows say so.
    const inFlight = await waitFor(
      async () => {
        const now = await rows();
        return now.length === 3 && now.every((r) => r.status === "in_progress") ? now : null;
      },
      { timeoutMs: 120_000, intervalMs: 25, what: "three provider batches in flight" },
    );
    first.child.kill("SIGKILL");
    await first.exited;
    expect(submissions()).toEqual({ openai: 1, anthropic: 1, google: 1 });
    // Nothing ended before the kill: the batches really were in flight.
    expect(await rows()).toEqual(inFlight);

    const second = startCli(["worker"], env);
    procs.push(second);
    const read = async (id: string, query = "") =>
      (await (await fetch(`${base}/v1/jobs/${id}${query}`, { headers })).json()) as Job;
    const done: Job[] = [];
    for (const id of ids) {
      let job = await read(id, "?wait=60");
      while (job.status === "queued" || job.status === "running") job = await read(id, "?wait=60");
      done.push(await read(id, "?include=attempts"));
    }

    expect(submissions()).toEqual({ openai: 1, anthropic: 1, google: 1 });
    const ended = await rows();
    expect(ended.map((r) => [r.status, r.provider_batch_id])).toEqual(
      inFlight.map((r) => ["ended", r.provider_batch_id]),
    );
    for (const job of done) {
      expect(job.status, JSON.stringify(job.error)).toBe("succeeded");
      expect(job.output?.answer).toMatch(/391|42/);
      expect(job.attempts).toBe(1);
      expect(job.attempt_list?.map((a) => a.outcome)).toEqual(["succeeded"]);
      expect(inFlight.map((r) => r.id)).toContain(job.provider_batch_id);
      expect(job.cost?.price_source).toMatch(/Batch/);
      const interactive = computeCost(
        job.usage as NonNullable<Job["usage"]>,
        priceCatalog.snapshotFor(job.model, new Date(job.started_at as string), {
          inputTokens: job.usage?.input_tokens as number,
        }),
      );
      expect(
        money(job.cost?.total ?? "NaN")
          .times(2)
          .equals(interactive.total),
      ).toBe(true);
      const events = await (await fetch(`${base}/v1/jobs/${job.id}/events`, { headers })).text();
      expect(events.match(/^event: done$/gm)).toHaveLength(1);
    }
    // Billed once: the key's ledger is exactly the sum of the jobs' costs.
    const usage = (await (await fetch(`${base}/v1/usage`, { headers })).json()) as { total: { cost: string } };
    const billed = done.reduce((sum, job) => sum.plus(job.cost?.total ?? "NaN"), money("0"));
    expect(money(usage.total.cost).equals(billed)).toBe(true);

    second.child.kill("SIGTERM");
    api.child.kill("SIGTERM");
    expect((await second.exited).code).toBe(0);
    expect((await api.exited).code).toBe(0);
  }, 300_000);
});
