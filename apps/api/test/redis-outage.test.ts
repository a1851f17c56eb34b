import { randomBytes } from "node:crypto";
import type { Job } from "@reasonq/core";
import { type RedisServerProcess, startRedisServer, testDatabases, waitFor } from "@reasonq/testkit";
import { pino } from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { auth, type Harness, startHarness } from "./harness.ts";

/**
 * SPEC §8: Redis restarting refuses new work cleanly and loses nothing. The test stops a
 * throwaway redis-server of its own (never the shared one): submits get 503 with
 * Retry-After, connection errors reach the JSON log, and the API recovers by itself.
 */
describe("Redis stopped and restarted", () => {
  let server: RedisServerProcess;
  let h: Harness;
  const lines: string[] = [];
  const pglite = testDatabases()[0];

  beforeAll(async () => {
    server = await startRedisServer();
    const logger = pino({ level: "info" }, { write: (line: string) => void lines.push(line) });
    const redis = { url: server.url, prefix: `rqt-${randomBytes(4).toString("hex")}`, stop: () => server.stop() };
    h = await startHarness(pglite?.options ?? { kind: "pglite" }, { redis, logger });
    await h.startWorker();
  });
  afterAll(async () => {
    await h.close();
  });

  const submit = () =>
    h.app.inject({
      method: "POST",
      url: "/v1/jobs",
      headers: auth(h.keys.a),
      payload: { model: "sim/hasty", prompt: "What is 2+2?" },
    });

  it("answers 503 with Retry-After while down and recovers when it is back", async () => {
    const before = await submit();
    expect(before.statusCode).toBe(202);
    await server.stop();

    const refused = await submit();
    expect(refused.statusCode).toBe(503);
    expect(refused.headers["retry-after"]).toMatch(/^\d+$/);
    expect(refused.json()).toMatchObject({ error: { type: "service_unavailable" } });
    expect((await h.app.inject({ method: "GET", url: "/readyz" })).statusCode).toBe(503);
    await waitFor(() => lines.some((l) => l.includes("redis connection error")), { what: "a logged redis error" });
    for (const line of lines) expect(() => JSON.parse(line)).not.toThrow();

    server = await startRedisServer(server.port);
    const accepted = await waitFor(
      async () => {
        const answer = await submit();
        return answer.statusCode === 202 ? answer.json<Job>() : undefined;
      },
      { what: "submits accepted again", intervalMs: 200 },
    );
    const done = await h.app.inject({ method: "GET", url: `/v1/jobs/${accepted.id}?wait=30`, headers: auth(h.keys.a) });
    expect(done.json<Job>().status).toBe("succeeded");
    const first = await h.app.inject({
      method: "GET",
      url: `/v1/jobs/${before.json<Job>().id}`,
      headers: auth(h.keys.a),
    });
    expect(["succeeded", "queued"]).toContain(first.json<Job>().status);
  });
});
