import type { Job } from "@reasonq/core";
import { createRedis, JobQueues } from "@reasonq/queue";
import { postgresOptions } from "@reasonq/testkit";
import { describe, expect, it } from "vitest";
import { auth, settle, useHarness } from "./harness.ts";

/** Configured provider limits bind all workers together, through the provider's queue in Redis. */
describe("per-provider concurrency and requests per minute", () => {
  const h = useHarness(postgresOptions(), {
    mocks: { openai: {} },
    env: {
      REASONQ_WORKER_CONCURRENCY: "3",
      REASONQ_PROVIDER_CONCURRENCY: "openai=1",
      REASONQ_PROVIDER_RPM: "openai=4",
    },
    workers: 2,
  });

  it("runs one call at a time across two workers of three slots, and no more than the minute's allowance", async () => {
    // One after another, so the queue (first in, first out) starts them in this order.
    const ids: string[] = [];
    for (let i = 0; i < 6; i++) {
      const created = await h.app.inject({
        method: "POST",
        url: "/v1/jobs",
        headers: auth(h.keys.a),
        payload: { model: "o3-mini", prompt: `Explain ${i}+3 [mock:trickle_ms=10]` },
      });
      expect(created.statusCode, created.body).toBe(202);
      ids.push(created.json<Job>().id);
    }
    const first = await Promise.all(ids.slice(0, 4).map((id) => settle(h, id)));
    const calls = first
      .map((job) => job.attempt_list?.[0])
      .map((a) => ({ start: Date.parse(a?.started_at ?? ""), end: Date.parse(a?.ended_at ?? "") }))
      .sort((a, b) => a.start - b.start);
    calls.slice(1).forEach((call, i) => {
      expect(call.start).toBeGreaterThanOrEqual((calls[i] as { end: number }).end);
    });

    // Four calls started this minute: the queue's limiter holds the other two for all workers.
    const redis = createRedis(h.redis.url, "producer", { onError: () => {} });
    const queues = new JobQueues({
      connection: redis,
      prefix: h.redis.prefix,
      families: ["openai"],
      attempts: 1,
      onError: () => {},
    });
    const queue = queues.queue("openai");
    try {
      expect(await queue.getRateLimitTtl(4)).toBeGreaterThan(0);
      const waiting = await Promise.all(ids.slice(4).map((id) => h.store.jobs.get(id)));
      expect(waiting.map((row) => row?.status)).toEqual(["queued", "queued"]);
      // Lifting the window lets them run.
      await queue.removeRateLimitKey();
      for (const job of await Promise.all(ids.slice(4).map((id) => settle(h, id))))
        expect(job.status).toBe("succeeded");
    } finally {
      await queues.close();
      await redis.quit();
    }
  });
});

/** A model's bound holds across workers while the provider's other models run beside it. */
describe("per-model concurrency", () => {
  const h = useHarness(postgresOptions(), {
    mocks: { openai: {} },
    env: { REASONQ_WORKER_CONCURRENCY: "3", REASONQ_MODEL_CONCURRENCY: "openai/o3-mini=1" },
    workers: 2,
  });

  it("runs one o3-mini call at a time across two workers, o4-mini calls beside it", async () => {
    const submit = async (model: string, i: number) => {
      const created = await h.app.inject({
        method: "POST",
        url: "/v1/jobs",
        headers: auth(h.keys.a),
        payload: { model, prompt: `Explain ${i}+4 [mock:trickle_ms=10]` },
      });
      expect(created.statusCode, created.body).toBe(202);
      return created.json<Job>().id;
    };
    const ids = await Promise.all([0, 1, 2, 3].flatMap((i) => [submit("o3-mini", i), submit("o4-mini", i)]));
    const jobs: Job[] = [];
    for (const id of ids) jobs.push(await settle(h, id));
    for (const job of jobs) expect([job.status, job.attempts]).toEqual(["succeeded", 1]);
    const span = (job: Job) => ({
      start: Date.parse(job.attempt_list?.[0]?.started_at ?? ""),
      end: Date.parse(job.attempt_list?.[0]?.ended_at ?? ""),
    });
    const bounded = jobs.filter((job) => job.model === "openai/o3-mini").map(span);
    expect(bounded).toHaveLength(4);
    bounded.sort((a, b) => a.start - b.start);
    bounded.slice(1).forEach((call, i) => {
      expect(call.start).toBeGreaterThanOrEqual((bounded[i] as { end: number }).end);
    });
    const free = jobs.filter((job) => job.model === "openai/o4-mini").map(span);
    const overlaps = free.filter((f) => bounded.some((b) => f.start < b.end && b.start < f.end)).length;
    expect(overlaps).toBeGreaterThan(0);
  });
});
