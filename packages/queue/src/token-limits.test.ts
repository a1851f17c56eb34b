import { type TestRedis, testRedis } from "@reasonq/testkit";
import type { Redis } from "ioredis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createRedis, ready } from "./redis.ts";
import { type TokenGrant, TokenLimits } from "./token-limits.ts";

describe("tokens per minute in Redis", () => {
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

  const used = async (scope: string) => Number(await redis.hget(`${server.prefix}:token-limits:${scope}`, "used"));
  const reserved = (grant: TokenGrant) => {
    if (grant.kind !== "reserved") throw new Error(`not reserved: ${JSON.stringify(grant)}`);
    return grant.reservation;
  };

  it("reserves in the provider's and the model's minute, and a call's end replaces its estimate by its usage", async () => {
    const limits = new TokenLimits({
      redis,
      prefix: server.prefix,
      perProvider: { openai: 10_000 },
      perModel: { "openai/o3": 5_000 },
    });
    const a = reserved(await limits.reserve("openai", "openai/o3", 3_000));
    expect([await used("provider:openai"), await used("model:openai/o3")]).toEqual([3_000, 3_000]);
    // The model's minute has 2,000 left: a 2,500-token call waits. It would fit once the
    // running call's reservation is corrected, so it asks again within a second.
    const refused = await limits.reserve("openai", "openai/o3", 2_500);
    expect(refused.kind === "wait" && refused.waitMs <= 1000).toBe(true);
    // A refusal reserves nothing anywhere; another model of the family still fits.
    expect(await used("provider:openai")).toBe(3_000);
    const other = reserved(await limits.reserve("openai", "openai/o4-mini", 6_000));
    expect(await used("provider:openai")).toBe(9_000);
    // The first call used 800 tokens, not 3,000: the room comes back, and the waiting call fits.
    await a.settle(800);
    await a.settle(800);
    expect([await used("provider:openai"), await used("model:openai/o3")]).toEqual([6_800, 800]);
    expect(await redis.hget(`${server.prefix}:token-limits:model:openai/o3`, "held")).toBe("0");
    // A call that does not fit beside what was used, running calls or not, waits for the window's end.
    const tooBig = await limits.reserve("openai", "openai/o3", 4_500);
    expect(tooBig.kind === "wait" && tooBig.waitMs > 50_000 && tooBig.waitMs <= 60_000).toBe(true);
    reserved(await limits.reserve("openai", "openai/o3", 2_500));
    // A call that used more than it reserved counts what it used.
    await other.settle(6_100);
    expect(await used("provider:openai")).toBe(9_400);
  });

  it("refuses a call bigger than a whole minute at once, and leaves unbounded calls alone", async () => {
    const limits = new TokenLimits({
      redis,
      prefix: server.prefix,
      perProvider: {},
      perModel: { "google/gemini": 1_000 },
    });
    expect(await limits.reserve("google", "google/gemini", 1_001)).toEqual({
      kind: "too_large",
      scope: "google/gemini",
      limit: 1_000,
    });
    expect(limits.bounds("google", "google/flash")).toBe(false);
    expect((await limits.reserve("google", "google/flash", 10_000_000)).kind).toBe("reserved");
    expect(await redis.exists(`${server.prefix}:token-limits:model:google/flash`)).toBe(0);
  });

  it("corrects only the minute a call reserved in: a later minute gets only the tokens beyond the reservation", async () => {
    const limits = new TokenLimits({ redis, prefix: server.prefix, perProvider: { xai: 1_000 }, perModel: {} });
    const key = `${server.prefix}:token-limits:provider:xai`;
    const short = reserved(await limits.reserve("xai", "xai/grok", 600));
    const long = reserved(await limits.reserve("xai", "xai/grok", 300));
    // The minute ends while both calls run.
    await redis.del(key);
    reserved(await limits.reserve("xai", "xai/grok", 100));
    await short.settle(200);
    expect(await used("provider:xai")).toBe(100);
    await long.settle(450);
    expect(await used("provider:xai")).toBe(250);
  });

  it("never lets concurrent reservations from many clients pass the limit together", async () => {
    const clients = await Promise.all(
      Array.from({ length: 4 }, async () => {
        const client = createRedis(server.url, "producer", { onError: () => {} });
        await ready(client, 5000);
        return client;
      }),
    );
    try {
      const grants = await Promise.all(
        Array.from({ length: 40 }, (_, i) =>
          new TokenLimits({
            redis: clients[i % clients.length] as Redis,
            prefix: server.prefix,
            perProvider: {},
            perModel: { "anthropic/opus": 1_000 },
          }).reserve("anthropic", "anthropic/opus", 70),
        ),
      );
      expect(grants.filter((g) => g.kind === "reserved")).toHaveLength(14);
      expect(await used("model:anthropic/opus")).toBe(980);
    } finally {
      await Promise.all(clients.map((c) => c.quit()));
    }
  });
});
