import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Job } from "@reasonq/core";
import { type MockServer, startOpenAICompatibleMock } from "@reasonq/mock-providers";
import { freePort, type TestRedis, testRedis } from "@reasonq/testkit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runCli, startCli } from "./processes.ts";

/** A user adds an OpenAI-compatible provider and a price in reasonq.config.yaml, without code. */
describe("reasonq.config.yaml (real process)", () => {
  let redis: TestRedis;
  let mock: MockServer;
  let dir: string;
  beforeAll(async () => {
    redis = await testRedis();
    mock = await startOpenAICompatibleMock({ dialect: "xai", apiKey: "acme-key" });
    dir = mkdtempSync(join(tmpdir(), "rq-config-"));
  });
  afterAll(async () => {
    await mock.close();
    await redis.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it("runs jobs on a custom provider, priced by the override", async () => {
    const config = join(dir, "reasonq.config.yaml");
    writeFileSync(
      config,
      [
        "providers:",
        "  - name: acme",
        `    base_url: ${mock.url}/v1`,
        "    api_key_env: ACME_API_KEY",
        "    reasoning_request: { type: reasoning_effort, efforts: [low, high] }",
        "    usage_convention: excludes_reasoning",
        "    models:",
        "      - id: grok-3-mini",
        "        aliases: [acme-mini]",
        "prices:",
        "  - model: acme/grok-3-mini",
        '    effective_from: "2026-01-01"',
        '    prices: { input: "2", cached_input: "0.5", cache_write: "2", output: "10" }',
        "    source: our negotiated acme rate",
        "limits:",
        "  models:",
        '    "sim/echo": { tpm: 100 }',
        "",
      ].join("\n"),
    );
    const port = await freePort();
    const env = {
      REDIS_URL: redis.url,
      REASONQ_QUEUE_PREFIX: redis.prefix,
      REASONQ_DATA_DIR: join(dir, "data"),
      REASONQ_CONFIG: config,
      ACME_API_KEY: "acme-key",
      PORT: String(port),
    };
    const serve = startCli(["serve"], env);
    await serve.waitFor(/listening on/);
    const submitted = await runCli(
      ["submit", "What is 2+5?", "-m", "acme-mini", "--effort", "high", "--wait", "30", "--json"],
      {
        REASONQ_DATA_DIR: env.REASONQ_DATA_DIR,
      },
    );
    expect(submitted.code, submitted.output).toBe(0);
    const job = JSON.parse(submitted.output) as Job;
    expect(job.status).toBe("succeeded");
    expect(job.model).toBe("acme/grok-3-mini");
    expect(job.provider).toBe("acme");
    expect(job.output?.reasoning.length).toBeGreaterThan(0);
    expect(job.cost?.price_source).toContain("our negotiated acme rate");
    expect(job.cost?.unit_prices_per_million.output).toBe("10");

    const { api_key } = JSON.parse(readFileSync(join(env.REASONQ_DATA_DIR, "credentials"), "utf8")) as {
      api_key: string;
    };
    const models = await fetch(`http://127.0.0.1:${port}/v1/models`, {
      headers: { authorization: `Bearer ${api_key}` },
    });
    const ids = ((await models.json()) as { data: Array<{ id: string }> }).data.map((m) => m.id);
    expect(ids).toContain("acme/grok-3-mini");

    // The file's limits reach the worker: a call bigger than sim/echo's minute fails at once.
    const limited = await runCli(["submit", "Repeat after me: hello", "-m", "sim/echo", "--wait", "30", "--json"], {
      REASONQ_DATA_DIR: env.REASONQ_DATA_DIR,
    });
    expect(limited.output).toContain("token_limit_exceeded");
    serve.child.kill("SIGTERM");
    expect((await serve.exited).code).toBe(0);
  });

  it("reports a bad config file clearly, naming the entry and field", async () => {
    const config = join(dir, "bad.config.yaml");
    writeFileSync(config, "prices:\n  - model: nope\n    prices: {}\nlimits:\n  models:\n    o3: { rpm: 0 }\n");
    const result = await runCli(["serve"], {
      REDIS_URL: redis.url,
      REASONQ_DATA_DIR: join(dir, "bad"),
      REASONQ_CONFIG: config,
      PORT: String(await freePort()),
    });
    expect(result.code).not.toBe(0);
    expect(result.output).toContain("prices.0.model");
    expect(result.output).toContain("prices.0.effective_from");
    expect(result.output).toContain("limits.models.o3");
  });
});
