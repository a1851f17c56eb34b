import { beforeAll, describe, expect, it } from "vitest";
import { auth, useHarness } from "./harness.ts";

/** SPEC §8: per-key request limits, counted in Redis, answered with 429 and Retry-After. */
describe("per-key request limits", () => {
  const perKey: Record<string, number> = {};
  const h = useHarness({ kind: "pglite" }, { rateLimit: { perMinute: 5, perKey } });
  beforeAll(async () => {
    const b = await h.store.apiKeys.authenticate(h.keys.b);
    if (b === null) throw new Error("key b unknown");
    perKey[b.id] = 2;
  });

  const models = (key: string) => h.app.inject({ method: "GET", url: "/v1/models", headers: auth(key) });

  it("answers 429 with Retry-After past a key's limit, each key counted on its own", async () => {
    for (let i = 0; i < 5; i++) expect((await models(h.keys.a)).statusCode).toBe(200);
    const limited = await models(h.keys.a);
    expect(limited.statusCode).toBe(429);
    expect(Number(limited.headers["retry-after"])).toBeGreaterThan(0);
    // /v1/models is an OpenAI route: OpenAI's error shape, reasonq's type as the code.
    expect(limited.json()).toMatchObject({ error: { type: "rate_limit_error", code: "rate_limited" } });

    expect((await models(h.keys.b)).statusCode).toBe(200);
    expect((await models(h.keys.b)).statusCode).toBe(200);
    expect((await models(h.keys.b)).statusCode).toBe(429);
    expect((await h.app.inject({ method: "GET", url: "/healthz" })).statusCode).toBe(200);
  });
});
