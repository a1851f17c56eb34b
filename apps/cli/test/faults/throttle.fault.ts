import type { Job } from "@reasonq/core";
import { type MockServer, startAnthropicMock, startOpenAIMock } from "@reasonq/mock-providers";
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
import { type Proc, startCli } from "../processes.ts";

/**
 * SPEC §8, a provider throttling: the OpenAI mock answers 429 with `retry-after` to the first
 * calls (every slot of both workers at once, then the next ones), while the Anthropic mock
 * answers everything. Real processes: one API, two workers of two slots each, the shared
 * PostgreSQL (own schema) and Redis (own prefix). The throttled provider's queue must pause for
 * every worker as long as asked, the other provider must keep starting jobs meanwhile, and
 * every job must succeed, the refused calls costing nothing.
 */
const KEY = "rq_fault_throttle_key_0123456789ab";
const PROVIDER_KEY = "fault-provider-key-0123456789";
const RETRY_AFTER_S = 3;
const REFUSALS = 6;
const THROTTLED_JOBS = 16;
const OTHER_JOBS = 40;
/** Between a 429's attempt being stored and its pause being set in Redis, a start may slip in. */
const STORE_TO_PAUSE_SLACK_MS = 300;

describe("fault suite: a provider answering 429 with retry-after (real processes)", () => {
  const procs: Proc[] = [];
  const mocks: MockServer[] = [];
  let redis: TestRedis;
  let schema: string;
  let db: pg.Client;
  let base: string;

  beforeAll(async () => {
    const openai = await startOpenAIMock({ apiKey: PROVIDER_KEY, reasoningDelayMs: 0 });
    const anthropic = await startAnthropicMock({ apiKey: PROVIDER_KEY });
    mocks.push(openai, anthropic);
    redis = await testRedis();
    schema = uniqueSchema();
    db = new pg.Client({ connectionString: TEST_DATABASE_URL });
    await db.connect();
    await db.query(`create schema ${schema}`);
    const url = new URL(TEST_DATABASE_URL);
    url.searchParams.set("options", `-c search_path=${schema}`);
    const port = await freePort();
    base = `http://127.0.0.1:${port}`;
    const env = {
      DATABASE_URL: url.toString(),
      REDIS_URL: redis.url,
      REASONQ_QUEUE_PREFIX: redis.prefix,
      REASONQ_API_KEYS: KEY,
      REASONQ_RATE_LIMIT_PER_MINUTE: "0",
      REASONQ_WORKER_CONCURRENCY: "2",
      OPENAI_BASE_URL: `${openai.url}/v1`,
      OPENAI_API_KEY: PROVIDER_KEY,
      ANTHROPIC_BASE_URL: anthropic.url,
      ANTHROPIC_API_KEY: PROVIDER_KEY,
      LOG_LEVEL: "info",
      PORT: String(port),
    };
    const api = startCli(["api"], env);
    procs.push(api);
    await api.waitFor(/listening on/);
    const workers = [startCli(["worker"], env), startCli(["worker"], env)];
    procs.push(...workers);
    await Promise.all(workers.map((w) => w.waitFor(/worker started/)));
  });

  afterAll(async () => {
    for (const proc of procs) if (proc.child.exitCode === null) proc.child.kill("SIGKILL");
    await Promise.all(procs.map((p) => p.exited));
    await db?.end();
    if (schema !== undefined) await dropSchema(schema);
    await redis?.stop();
    await Promise.all(mocks.map((m) => m.close()));
  });

  it("pauses the throttled provider for every worker, keeps the other at speed, loses and double-bills nothing", async () => {
    const started = Date.now();
    const headers = { authorization: `Bearer ${KEY}`, "content-type": "application/json" };
    const submit = async (model: string, prompt: string) => {
      const answer = await fetch(`${base}/v1/jobs`, {
        method: "POST",
        headers,
        body: JSON.stringify({ model, prompt }),
      });
      expect(answer.status).toBe(202);
      return ((await answer.json()) as Job).id;
    };
    const marker = `[mock:status=429,retry_after=${RETRY_AFTER_S},times=${REFUSALS},trickle_ms=20]`;
    const [throttledIds, otherIds] = await Promise.all([
      Promise.all(Array.from({ length: THROTTLED_JOBS }, (_, i) => submit("o3-mini", `Explain ${i}+1 ${marker}`))),
      Promise.all(
        Array.from({ length: OTHER_JOBS }, (_, i) =>
          submit("claude-sonnet-4-6", `Explain ${i}+2 [mock:trickle_ms=15]`),
        ),
      ),
    ]);
    const ids = [...throttledIds, ...otherIds];
    await waitFor(
      async () => {
        const { rows } = await db.query<{ n: string }>(
          `select count(*) as n from ${schema}.jobs where id = any($1) and status in ('queued', 'running', 'retrying')`,
          [ids],
        );
        return Number(rows[0]?.n) === 0;
      },
      { what: "every job terminal", timeoutMs: 120_000, intervalMs: 250 },
    );

    const { rows: jobs } = await db.query<{ id: string; provider: string; status: string; attempts: number }>(
      `select id, provider, status, attempts from ${schema}.jobs where id = any($1)`,
      [ids],
    );
    const { rows: attempts } = await db.query<{
      job_id: string;
      attempt: number;
      outcome: string;
      error: { type?: string } | null;
      cost_total: string | null;
      started_at: Date;
      ended_at: Date | null;
    }>(
      `select job_id, attempt, outcome, error, cost_total, started_at, ended_at from ${schema}.job_attempts
       where job_id = any($1) order by started_at`,
      [ids],
    );
    const throttledSet = new Set(throttledIds);
    const onThrottled = attempts.filter((a) => throttledSet.has(a.job_id));
    const onOther = attempts.filter((a) => !throttledSet.has(a.job_id));
    const refusals = onThrottled.filter((a) => a.error?.type === "provider_rate_limited");
    const pauses = refusals.map((a) => (a.ended_at as Date).getTime());
    const inPause = (a: { started_at: Date }) =>
      pauses.some(
        (from) =>
          a.started_at.getTime() > from + STORE_TO_PAUSE_SLACK_MS &&
          a.started_at.getTime() < from + RETRY_AFTER_S * 1000 - 50,
      );
    // Each refused job's next attempt, whichever worker took it, waited its retry-after.
    const waits = refusals.map((refused) => {
      const next = onThrottled.find((a) => a.job_id === refused.job_id && a.attempt === refused.attempt + 1);
      return next === undefined ? -1 : next.started_at.getTime() - (refused.ended_at as Date).getTime();
    });
    const counts = {
      throttled_jobs: throttledIds.length,
      other_jobs: otherIds.length,
      refusals_429: refusals.length,
      refusals_billed: refusals.filter((a) => a.cost_total !== null && Number(a.cost_total) !== 0).length,
      min_wait_after_429_ms: Math.min(...waits),
      throttled_starts_during_pause: onThrottled.filter(inPause).length,
      other_starts_during_pause: onOther.filter(inPause).length,
      other_retries: onOther.length - otherIds.length,
      jobs_lost: ids.length - jobs.filter((j) => j.status === "succeeded").length,
      duplicate_results: [...new Set(attempts.map((a) => a.job_id))].filter(
        (id) => attempts.filter((a) => a.job_id === id && a.outcome === "succeeded").length > 1,
      ).length,
      wall_s: Math.round((Date.now() - started) / 1000),
    };
    console.log(`faults (429 throttle): ${JSON.stringify(counts)}`);

    expect(counts.jobs_lost).toBe(0);
    expect(counts.duplicate_results).toBe(0);
    expect(counts.refusals_429).toBe(REFUSALS);
    expect(counts.refusals_billed).toBe(0);
    expect(counts.min_wait_after_429_ms).toBeGreaterThanOrEqual(RETRY_AFTER_S * 1000 - 50);
    expect(counts.throttled_starts_during_pause).toBe(0);
    expect(counts.other_starts_during_pause).toBeGreaterThan(0);
    expect(counts.other_retries).toBe(0);
  });
});
