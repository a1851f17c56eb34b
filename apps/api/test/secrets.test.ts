import { type Job, SecretRedactor } from "@reasonq/core";
import { type MockServer, startOpenAIMock } from "@reasonq/mock-providers";
import { postgresOptions } from "@reasonq/testkit";
import { Redis } from "ioredis";
import { pino } from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { auth, type Harness, startHarness } from "./harness.ts";

/**
 * SPEC §8: provider keys never appear in a job, a log line, an error, the queue or the
 * OpenAPI document. The provider key has no well-known prefix (pattern redaction cannot
 * find it) and the provider echoes a masked fragment of it in its 401; after a run, every
 * place the key could reach is searched for the key and for its fragments.
 */
const PROVIDER_KEY = "Qx7vTplm3Zr9-KeyWithoutPrefix-wQzK";
const FRAGMENTS = [PROVIDER_KEY, "Qx7vTplm", "KeyWithoutPrefix", "wQzK"];

describe("secrets stay out of everything a run leaves behind", () => {
  let h: Harness;
  let mock: MockServer;
  const lines: string[] = [];
  const secrets = new SecretRedactor([PROVIDER_KEY]);

  beforeAll(async () => {
    mock = await startOpenAIMock({ apiKey: "the-key-the-provider-expects-0000", reasoningDelayMs: 0 });
    const logger = pino(
      { level: "debug", hooks: { streamWrite: (line: string) => secrets.redact(line) } },
      { write: (line: string) => void lines.push(line) },
    );
    h = await startHarness(postgresOptions(), {
      connections: { openai: { apiKey: PROVIDER_KEY, baseUrl: `${mock.url}/v1` } },
      logger,
      secrets,
      env: { REASONQ_PROVIDER_BATCH_WINDOW_MS: "50" },
    });
    await h.startWorker();
  });
  afterAll(async () => {
    await h.close();
    await mock.close();
  });

  function expectClean(where: string, text: string) {
    for (const fragment of FRAGMENTS) expect(text.includes(fragment), `${fragment} in ${where}`).toBe(false);
  }

  it("job errors, attempts, rows, events, queue entries, chat error bodies, logs and OpenAPI hold no part of the key", async () => {
    const created = await h.app.inject({
      method: "POST",
      url: "/v1/jobs",
      headers: auth(h.keys.a),
      payload: { model: "o4-mini", prompt: "Explain 2+2" },
    });
    expect(created.statusCode).toBe(202);
    const { id } = created.json<Job>();
    const job = await h.app.inject({
      method: "GET",
      url: `/v1/jobs/${id}?wait=30&include=attempts`,
      headers: auth(h.keys.a),
    });
    const failed = job.json<Job>();
    expect(failed.status).toBe("failed");
    expect(failed.error?.type).toBe("provider_auth");
    expect(failed.error?.message).toContain("[redacted]");
    expectClean("the job", job.body);

    // The provider_batch lane meets the same 401 when it creates the provider batch.
    const laned = await h.app.inject({
      method: "POST",
      url: "/v1/jobs",
      headers: auth(h.keys.a),
      payload: { model: "o4-mini", prompt: "Explain 3+3", lane: "provider_batch" },
    });
    expect(laned.statusCode).toBe(202);
    const lanedJob = await h.app.inject({
      method: "GET",
      url: `/v1/jobs/${laned.json<Job>().id}?wait=30&include=attempts`,
      headers: auth(h.keys.a),
    });
    expect(lanedJob.json<Job>().status).toBe("failed");
    expect(lanedJob.json<Job>().error?.message).toContain("[redacted]");
    expectClean("the provider_batch job", lanedJob.body);

    const chat = await h.app.inject({
      method: "POST",
      url: "/v1/chat/completions",
      headers: auth(h.keys.a),
      payload: { model: "o4-mini", messages: [{ role: "user", content: "hi" }] },
    });
    expect(chat.statusCode).toBeGreaterThanOrEqual(400);
    expectClean("the chat error body", chat.body);
    const events = await h.app.inject({ method: "GET", url: `/v1/jobs/${id}/events`, headers: auth(h.keys.a) });
    expectClean("the events", events.body);

    const dump = JSON.stringify([
      await h.store.db.selectFrom("jobs").selectAll().execute(),
      await h.store.db.selectFrom("job_attempts").selectAll().execute(),
      await h.store.db.selectFrom("provider_batches").selectAll().execute(),
    ]);
    expect(dump).toContain(id);
    expectClean("the database", dump);

    const client = new Redis(h.redis.url);
    try {
      const keys = await client.keys(`${h.redis.prefix}:*`);
      expect(keys.length).toBeGreaterThan(0);
      for (const key of keys) {
        const type = await client.type(key);
        const value =
          type === "hash"
            ? await client.hgetall(key)
            : type === "stream"
              ? await client.xrange(key, "-", "+")
              : type === "list"
                ? await client.lrange(key, 0, -1)
                : type === "zset"
                  ? await client.zrange(key, "0", "-1")
                  : type === "set"
                    ? await client.smembers(key)
                    : type === "string"
                      ? await client.get(key)
                      : null;
        expectClean(`redis ${key}`, JSON.stringify(value));
      }
    } finally {
      client.disconnect();
    }

    const openapi = await h.app.inject({ method: "GET", url: "/openapi.json" });
    expectClean("the OpenAPI document", openapi.body);
    expect(lines.some((l) => l.includes("attempt failed"))).toBe(true);
    expectClean("the logs", lines.join("\n"));
  });
});
