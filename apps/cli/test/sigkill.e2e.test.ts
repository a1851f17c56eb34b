import type { Job } from "@reasonq/core";
import { dropSchema, freePort, TEST_DATABASE_URL, type TestRedis, testRedis, uniqueSchema } from "@reasonq/testkit";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Proc, startCli } from "./processes.ts";

/**
 * SPEC §8: a job accepted with 202 is never lost. The API and a worker run as separate
 * processes on PostgreSQL; the worker is killed with SIGKILL mid-stream; a second worker
 * takes the job over once the dead one's lock expires, and the job still succeeds.
 */
describe("a worker killed mid-job (real processes, PostgreSQL)", () => {
  let redis: TestRedis;
  let schema: string;
  const procs: Proc[] = [];

  beforeAll(async () => {
    redis = await testRedis();
    schema = uniqueSchema();
    const client = new pg.Client({ connectionString: TEST_DATABASE_URL });
    await client.connect();
    await client.query(`create schema ${schema}`);
    await client.end();
  });
  afterAll(async () => {
    for (const proc of procs) if (proc.child.exitCode === null) proc.child.kill("SIGKILL");
    await Promise.all(procs.map((p) => p.exited));
    await dropSchema(schema);
    await redis.stop();
  });

  it("hands the job to another worker, which finishes it", async () => {
    const port = await freePort();
    const key = "rq_test_sigkill_key_0123456789";
    const url = new URL(TEST_DATABASE_URL);
    url.searchParams.set("options", `-c search_path=${schema}`);
    const env = {
      DATABASE_URL: url.toString(),
      REDIS_URL: redis.url,
      REASONQ_QUEUE_PREFIX: redis.prefix,
      REASONQ_API_KEYS: key,
      REASONQ_LOCK_DURATION_MS: "2000",
      PORT: String(port),
    };
    const api = startCli(["api"], env);
    procs.push(api);
    await api.waitFor(/listening on/);
    const first = startCli(["worker"], env);
    procs.push(first);

    const headers = { authorization: `Bearer ${key}`, "content-type": "application/json" };
    const base = `http://127.0.0.1:${port}`;
    const created = await fetch(`${base}/v1/jobs`, {
      method: "POST",
      headers,
      body: JSON.stringify({
        model: "sim/reasoner",
        prompt: "What is 17*23? [sim:tps=60]",
        reasoning: { effort: "high" },
      }),
    });
    expect(created.status).toBe(202);
    const { id } = (await created.json()) as Job;

    const read = async (query = "") =>
      (await (await fetch(`${base}/v1/jobs/${id}${query}`, { headers })).json()) as Job;
    for (let streaming = false; !streaming; ) {
      const job = await read("?wait=1");
      streaming = job.status === "running" && job.first_token_at !== null;
      expect(["queued", "running"]).toContain(job.status);
    }
    first.child.kill("SIGKILL");
    await first.exited;

    const second = startCli(["worker"], env);
    procs.push(second);
    let job = await read("?wait=60");
    while (job.status === "queued" || job.status === "running") job = await read("?wait=60");

    expect(job.status).toBe("succeeded");
    expect(job.output?.answer).toContain("391");
    const detailed = await read("?include=attempts");
    expect(detailed.attempts).toBe(2);
    expect(detailed.attempt_list?.map((a) => a.outcome)).toEqual(["lost", "succeeded"]);

    second.child.kill("SIGTERM");
    api.child.kill("SIGTERM");
    expect((await second.exited).code).toBe(0);
    expect((await api.exited).code).toBe(0);
  });
});
