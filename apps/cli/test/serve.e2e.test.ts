import { mkdtempSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Job } from "@reasonq/core";
import { freePort, type TestRedis, testRedis } from "@reasonq/testkit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { portOpen, runCli, startCli } from "./processes.ts";

describe("reasonq serve (embedded default, real process)", () => {
  let redis: TestRedis;
  let dir: string;
  beforeAll(async () => {
    redis = await testRedis();
    dir = mkdtempSync(join(tmpdir(), "rq-serve-"));
  });
  afterAll(async () => {
    await redis.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it("answers a submitted job with 391, prints a key once, and stops cleanly on SIGTERM", async () => {
    const port = await freePort();
    const env = { REDIS_URL: redis.url, REASONQ_QUEUE_PREFIX: redis.prefix, REASONQ_DATA_DIR: dir, PORT: String(port) };
    const serve = startCli(["serve"], env);
    await serve.waitFor(/listening on (http:\/\/\S+)/);
    const keyLine = await serve.waitFor(/shown once[^\n]*\n\s+(rq_\S+)/);
    const key = keyLine[1] as string;

    const credentials = JSON.parse(readFileSync(join(dir, "credentials"), "utf8"));
    expect(credentials.api_key).toBe(key);
    expect(statSync(join(dir, "credentials")).mode & 0o777).toBe(0o600);

    const base = `http://127.0.0.1:${port}`;
    expect(serve.output()).toContain(`Web console: ${base}/`);
    expect(await (await fetch(`${base}/`)).text()).toContain('<script type="module" src="console.js">');
    const created = await fetch(`${base}/v1/jobs`, {
      method: "POST",
      headers: { authorization: `Bearer ${key}`, "content-type": "application/json" },
      body: JSON.stringify({ model: "sim/reasoner", prompt: "What is 17*23?" }),
    });
    expect(created.status).toBe(202);
    const { id } = (await created.json()) as Job;
    const done = (await (
      await fetch(`${base}/v1/jobs/${id}?wait=30`, { headers: { authorization: `Bearer ${key}` } })
    ).json()) as Job;
    expect(done.status).toBe("succeeded");
    expect(done.output?.answer).toContain("391");

    const submitted = await runCli(["submit", "What is 12*12?", "--wait", "30"], { REASONQ_DATA_DIR: dir });
    expect(submitted.code).toBe(0);
    expect(submitted.output).toContain("succeeded");
    expect(submitted.output).toContain("144");

    const slow = await fetch(`${base}/v1/jobs`, {
      method: "POST",
      headers: { authorization: `Bearer ${key}`, "content-type": "application/json" },
      body: JSON.stringify({ model: "sim/reasoner", prompt: "What is 19*21? [sim:tps=400]" }),
    });
    const watched = await runCli(["watch", ((await slow.json()) as Job).id], { REASONQ_DATA_DIR: dir });
    expect(watched.code).toBe(0);
    const reasoningAt = watched.output.indexOf("── reasoning ──");
    const answerAt = watched.output.indexOf("── answer ──");
    expect(reasoningAt).toBeGreaterThan(-1);
    expect(answerAt).toBeGreaterThan(reasoningAt);
    expect(watched.output.slice(answerAt)).toContain("399");
    expect(watched.output).toMatch(/cost: \$0\.\d+/);

    const shown = await runCli(["get", id, "--json"], { REASONQ_DATA_DIR: dir });
    expect(JSON.parse(shown.output).id).toBe(id);

    const models = await runCli(["models"], { REASONQ_DATA_DIR: dir });
    expect(models.code).toBe(0);
    expect(models.output).toMatch(/^sim\/reasoner\s+effort \| budget_tokens, full, can disable\s+\$\d/m);
    expect(models.output).toMatch(/^deepseek\/deepseek-v4-pro\s+.*\$\d+(\.\d+)?\s+\$/m);

    serve.child.kill("SIGTERM");
    expect((await serve.exited).code).toBe(0);

    const again = startCli(["serve"], env);
    await again.waitFor(/listening on/);
    expect(again.output()).not.toContain("shown once");
    again.child.kill("SIGTERM");
    expect((await again.exited).code).toBe(0);
  });

  it("starts its own redis-server when nothing answers at REDIS_URL, and stops it on exit", async () => {
    const redisPort = await freePort();
    const ownDir = mkdtempSync(join(tmpdir(), "rq-serve-own-"));
    const serve = startCli(["serve"], {
      REDIS_URL: `redis://127.0.0.1:${redisPort}`,
      REASONQ_DATA_DIR: ownDir,
      PORT: String(await freePort()),
    });
    await serve.waitFor(/listening on/);
    serve.child.kill("SIGTERM");
    expect((await serve.exited).code).toBe(0);
    expect(await portOpen(redisPort)).toBe(false);
    rmSync(ownDir, { recursive: true, force: true });
  });

  it("says how to get Redis when none answers and none can be started", async () => {
    const result = await runCli(["serve"], {
      PATH: "/nonexistent",
      REDIS_URL: `redis://127.0.0.1:${await freePort()}`,
      REASONQ_DATA_DIR: mkdtempSync(join(tmpdir(), "rq-serve-none-")),
      PORT: String(await freePort()),
    });
    expect(result.code).not.toBe(0);
    expect(result.output).toContain("redis-server");
    expect(result.output).toContain("REDIS_URL");
  });

  it("reports every bad environment value at once", async () => {
    const result = await runCli(["serve"], { PORT: "eighty", REDIS_URL: "http://x", LOG_LEVEL: "loud" });
    expect(result.code).not.toBe(0);
    expect(result.output).toContain("PORT");
    expect(result.output).toContain("REDIS_URL");
    expect(result.output).toContain("LOG_LEVEL");
  });
});
