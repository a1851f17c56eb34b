import { estimateMaxTokens } from "@reasonq/billing";
import type { Job } from "@reasonq/core";
import { createRedis, JobQueues } from "@reasonq/queue";
import { postgresOptions, waitFor } from "@reasonq/testkit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { auth, type Harness, startHarness } from "./harness.ts";

const MAX_OUTPUT = 400;
/** The echo model answers with the prompt: each call uses a good part of its reservation. */
const prompt = (i: number) =>
  `Repeat after me: ${i} ${"the quick brown fox jumps over the lazy dog ".repeat(15).trim()}`;
const estimate = (i: number) => {
  const e = estimateMaxTokens({
    modelId: "sim/echo",
    messages: [{ role: "user", content: prompt(i) }],
    maxOutputTokens: MAX_OUTPUT,
  });
  return e.inputTokens + e.maxOutputTokens;
};
/** Room for two calls' reservations at once, never three. */
const LIMIT = Math.floor(estimate(0) * 2.5);

/** Issue 14: tokens per minute per model bind every worker together, through one window in Redis. */
describe("tokens per minute across workers", () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness(postgresOptions(), {
      env: { REASONQ_WORKER_CONCURRENCY: "3", REASONQ_MODEL_TPM: `sim/echo=${LIMIT}` },
    });
    await h.startWorker();
    await h.startWorker();
  });
  afterAll(async () => {
    await h?.close();
  });

  const submit = async (i: number, maxOutput = MAX_OUTPUT) => {
    const created = await h.app.inject({
      method: "POST",
      url: "/v1/jobs",
      headers: auth(h.keys.a),
      payload: { model: "sim/echo", prompt: prompt(i), max_output_tokens: maxOutput },
    });
    expect(created.statusCode, created.body).toBe(202);
    return created.json<Job>().id;
  };
  const read = async (id: string) =>
    (
      await h.app.inject({ method: "GET", url: `/v1/jobs/${id}?include=attempts`, headers: auth(h.keys.a) })
    ).json<Job>();

  it("runs what fits the minute for both workers together, counts what calls used, and holds the rest without an attempt", async () => {
    const ids = await Promise.all([1, 2, 3, 4, 5, 6, 7, 8].map((i) => submit(i)));
    const redis = createRedis(h.redis.url, "producer", { onError: () => {} });
    const queues = new JobQueues({
      connection: redis,
      prefix: h.redis.prefix,
      families: ["sim"],
      attempts: 1,
      onError: () => {},
    });
    const window = `${h.redis.prefix}:token-limits:model:sim/echo`;
    try {
      const usedBy = (jobs: Job[]) =>
        jobs.reduce((n, j) => n + (j.usage?.input_tokens ?? 0) + (j.usage?.output_tokens ?? 0), 0);
      // Settled: no call runs, and every job left waits in the delayed set because it
      // does not fit beside what the minute's calls used (each asks again until then).
      const jobs = await waitFor(
        async () => {
          const all = await Promise.all(ids.map(read));
          const counts = await queues.queue("sim").getJobCounts("active", "waiting", "delayed", "prioritized");
          const used = usedBy(all.filter((j) => j.status === "succeeded"));
          const held = all.flatMap((j, i) => (j.status === "succeeded" ? [] : [i + 1]));
          const settled = counts.active === 0 && counts.waiting === 0 && counts.prioritized === 0;
          const full = held.length > 0 && held.every((i) => used + estimate(i) > LIMIT);
          return settled && full && counts.delayed === held.length ? all : undefined;
        },
        { timeoutMs: 60_000, intervalMs: 50, what: "the jobs to run or wait" },
      );
      const ran = jobs.filter((j) => j.status === "succeeded");
      const held = jobs.filter((j) => j.status !== "succeeded");
      // More than two reservations fit in the minute once calls' usage replaced them.
      expect(ran.length).toBeGreaterThan(2);
      for (const job of held) expect([job.status, job.attempts]).toEqual(["queued", 0]);
      // The window holds what the calls used (input + output), not their reservations.
      const used = usedBy(ran);
      expect(used).toBeLessThanOrEqual(LIMIT);
      expect(Number(await redis.hget(window, "used"))).toBe(used);
      expect(await redis.hget(window, "held")).toBe("0");

      // A new minute lets them run, each with one attempt.
      await redis.del(window);
      await queues.queue("sim").promoteJobs();
      const done = await waitFor(
        async () => {
          const all = await Promise.all(held.map((j) => read(j.id)));
          return all.every((j) => j.status === "succeeded") ? all : undefined;
        },
        { timeoutMs: 60_000, intervalMs: 50, what: "the held jobs to run in the next minute" },
      );
      for (const job of done) expect(job.attempts).toBe(1);
    } finally {
      await queues.close();
      await redis.quit();
    }
  }, 120_000);

  it("fails a call larger than the whole minute at once, without calling the provider", async () => {
    const id = await submit(9, LIMIT);
    const job = await waitFor(
      async () => {
        const j = await read(id);
        return j.status === "failed" ? j : undefined;
      },
      { timeoutMs: 30_000, intervalMs: 50, what: "the oversized job to fail" },
    );
    expect(job.error?.type).toBe("token_limit_exceeded");
    expect(job.error?.message).toContain(`${LIMIT} tokens a minute configured for sim/echo`);
    expect(job.attempt_list?.map((a) => [a.outcome, a.usage])).toEqual([["failed", null]]);
  }, 60_000);
});
