import type { Job } from "@reasonq/core";
import { dropSchema, startTcpProxy, type TcpProxy, TEST_DATABASE_URL, uniqueSchema, waitFor } from "@reasonq/testkit";
import { pino } from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { auth, type Harness, startHarness } from "./harness.ts";

/**
 * SPEC §8: the database briefly unreachable loses nothing. PostgreSQL is reached through a
 * proxy this test cuts (never the shared server itself): the API answers 503 with
 * Retry-After instead of hanging or exiting, and a worker that finished a call while the
 * database was away holds the result and writes it when the database is back.
 */
describe("PostgreSQL unreachable", () => {
  let proxy: TcpProxy;
  let h: Harness;
  const lines: string[] = [];
  const schema = uniqueSchema();

  beforeAll(async () => {
    const target = new URL(TEST_DATABASE_URL);
    proxy = await startTcpProxy(Number(target.port || 5432), target.hostname);
    const url = new URL(TEST_DATABASE_URL);
    url.host = `127.0.0.1:${proxy.port}`;
    const logger = pino({ level: "info" }, { write: (line: string) => void lines.push(line) });
    h = await startHarness(
      { kind: "postgres", url: url.toString(), schema, queryTimeoutMs: 2_000, connectTimeoutMs: 1_000 },
      { logger },
    );
    await h.startWorker();
  });
  afterAll(async () => {
    proxy.restore();
    await h.close();
    await proxy.close();
    await dropSchema(schema);
  });

  const submit = () =>
    h.app.inject({
      method: "POST",
      url: "/v1/jobs",
      headers: auth(h.keys.a),
      payload: { model: "sim/reasoner", prompt: "What is 17*23? [sim:tps=400]" },
    });
  const read = async (id: string, wait = 0) =>
    (await h.app.inject({ method: "GET", url: `/v1/jobs/${id}?wait=${wait}`, headers: auth(h.keys.a) })).json<Job>();

  it("answers 503 with Retry-After while cut, and the worker writes its held result afterwards", async () => {
    const created = await submit();
    expect(created.statusCode).toBe(202);
    const { id } = created.json<Job>();
    await waitFor(async () => (await read(id)).first_token_at !== null, { what: "the job streaming" });

    proxy.cut();
    const refused = await submit();
    expect(refused.statusCode).toBe(503);
    expect(refused.headers["retry-after"]).toMatch(/^\d+$/);
    expect(refused.json()).toMatchObject({ error: { type: "service_unavailable" } });
    const ready = await h.app.inject({ method: "GET", url: "/readyz" });
    expect(ready.statusCode).toBe(503);
    expect(ready.headers["retry-after"]).toBeDefined();

    await waitFor(() => lines.some((l) => l.includes("holding the result")), { what: "the worker holding its result" });
    proxy.restore();
    await waitFor(async () => (await read(id)).status === "succeeded", { what: "the held result written" });
    const done = await read(id);
    expect(done.attempts).toBe(1);
    expect(done.output?.answer).toContain("391");
    expect((await submit()).statusCode).toBe(202);
  });

  it("answers within the timeouts while the database is frozen", async () => {
    proxy.freeze();
    try {
      const started = Date.now();
      const [ready, refused] = await Promise.all([h.app.inject({ method: "GET", url: "/readyz" }), submit()]);
      expect(ready.statusCode).toBe(503);
      expect(refused.statusCode).toBe(503);
      expect(Date.now() - started).toBeLessThan(10_000);
    } finally {
      proxy.restore();
    }
    await waitFor(async () => (await h.app.inject({ method: "GET", url: "/readyz" })).statusCode === 200, {
      what: "ready again",
    });
  });
});
