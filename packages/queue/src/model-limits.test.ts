import { type TestRedis, testRedis, waitFor } from "@reasonq/testkit";
import type { Redis } from "ioredis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ModelLimits } from "./model-limits.ts";
import { createRedis, ready } from "./redis.ts";

describe("model limits in Redis", () => {
  let server: TestRedis;
  let redis: Redis;
  beforeAll(async () => {
    server = await testRedis();
    redis = createRedis(server.url, "producer", { onError: () => {} });
    await ready(redis, 5000);
  });
  afterAll(async () => {
    await redis.quit();
    await server.stop();
  });
  /** Leases are on Redis's clock. */
  const redisNow = async () => {
    const [seconds, micros] = (await redis.time()) as [number, number];
    return Number(seconds) * 1000 + Math.floor(Number(micros) / 1000);
  };

  it("bounds calls in flight; a holder that never releases (killed) loses its slot when the lease lapses", async () => {
    const limits = new ModelLimits({
      redis,
      prefix: server.prefix,
      concurrency: { "openai/o3": 1 },
      perMinute: {},
      leaseMs: 300,
    });
    // A worker killed mid-call leaves its lease (as `take` writes it) and never renews it.
    const now = await redisNow();
    await redis.zadd(`${server.prefix}:model-limits:openai/o3:in-flight`, now + 300, "killed-job:1");
    const refused = await limits.take("openai/o3", "job-b:1");
    expect(refused.kind).toBe("wait");
    if (refused.kind === "wait") expect(refused.waitMs).toBeLessThanOrEqual(300);
    // Unbounded models pass at once.
    expect((await limits.take("openai/o4-mini", "job-c:1")).kind).toBe("taken");
    const taken = await waitFor(async () => {
      const slot = await limits.take("openai/o3", "job-b:2");
      return slot.kind === "taken" ? slot : undefined;
    });
    expect(taken.kind).toBe("taken");
    await taken.release();
  });

  it("renews a running call's lease, and a release frees the slot at once", async () => {
    const ticks: Array<{ renew: () => Promise<void>; everyMs: number; stopped: boolean }> = [];
    const limits = new ModelLimits({
      redis,
      prefix: server.prefix,
      concurrency: { "anthropic/claude": 1 },
      perMinute: {},
      leaseMs: 60_000,
      renewTimer: (renew, everyMs) => {
        const tick = { renew, everyMs, stopped: false };
        ticks.push(tick);
        return () => {
          tick.stopped = true;
        };
      },
    });
    const held = await limits.take("anthropic/claude", "job-a:1");
    if (held.kind !== "taken") throw new Error("not taken");
    const tick = ticks[0];
    expect(tick?.everyMs).toBe(30_000);
    // The lease is about to lapse (as if the call ran this long): one tick extends it by a whole lease.
    const key = `${server.prefix}:model-limits:anthropic/claude:in-flight`;
    const now = await redisNow();
    await redis.zadd(key, "XX", now + 5, "job-a:1");
    await tick?.renew();
    expect(Number(await redis.zscore(key, "job-a:1"))).toBeGreaterThanOrEqual(now + 60_000);
    expect((await limits.take("anthropic/claude", "job-b:1")).kind).toBe("wait");
    await held.release();
    expect(tick?.stopped).toBe(true);
    expect((await limits.take("anthropic/claude", "job-b:2")).kind).toBe("taken");
  });

  it("counts calls started per minute and says how long the window has left", async () => {
    const limits = new ModelLimits({
      redis,
      prefix: server.prefix,
      concurrency: {},
      perMinute: { "google/gemini": 2 },
      leaseMs: 1000,
    });
    expect((await limits.take("google/gemini", "a")).kind).toBe("taken");
    expect((await limits.take("google/gemini", "b")).kind).toBe("taken");
    const third = await limits.take("google/gemini", "c");
    expect(third.kind).toBe("wait");
    if (third.kind === "wait") expect(third.waitMs).toBeGreaterThan(50_000);
  });
});
