import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { money } from "@reasonq/billing";
import { freePort, type TestRedis, testRedis } from "@reasonq/testkit";
import { afterAll, describe, expect, it } from "vitest";
import { type RunningMocks, startAllMocks } from "../src/commands/mock-providers.ts";
import { type Proc, runCli, startCli } from "./processes.ts";

const EXAMPLES = fileURLToPath(new URL("../../../examples/", import.meta.url));
const MODELS = "o4-mini,claude-sonnet-4-6,gemini-2.5-flash";

/** One `reasonq serve` against fresh mock providers, so both lanes see the same prompts for the first time. */
async function server() {
  const redis = await testRedis();
  const mocks = await startAllMocks(0);
  const dir = mkdtempSync(join(tmpdir(), "rq-lane-"));
  const env = { ...mocks.env, REDIS_URL: redis.url, REASONQ_QUEUE_PREFIX: redis.prefix, REASONQ_DATA_DIR: dir };
  const serve = startCli(["serve"], {
    ...env,
    PORT: String(await freePort()),
    REASONQ_PROVIDER_BATCH_WINDOW_MS: "1500",
    REASONQ_PROVIDER_BATCH_POLL_MS: "50",
    REASONQ_PROVIDER_BATCH_MAX_POLL_MS: "400",
  });
  // Generous: on a loaded machine `serve` takes a while to come up.
  await serve.waitFor(/listening on/, 240_000);
  return { redis, mocks, dir, serve, env };
}

interface Server {
  redis: TestRedis;
  mocks: RunningMocks;
  dir: string;
  serve: Proc;
  env: Record<string, string>;
}

async function stop(s: Server) {
  s.serve.child.kill("SIGTERM");
  await s.serve.exited;
  await s.mocks.close();
  await s.redis.stop();
  rmSync(s.dir, { recursive: true, force: true });
}

/** The summary table's rows: label → [accuracy, cost]. */
function table(output: string): Map<string, { accuracy: string; cost: string }> {
  const rows = new Map<string, { accuracy: string; cost: string }>();
  for (const model of MODELS.split(",")) {
    const line = output.split("\n").find((l) => l.startsWith(model)) ?? "";
    rows.set(model, {
      accuracy: line.match(/(\d+\.\d)%/)?.[1] ?? "?",
      cost: line.match(/\$(\d+(?:\.\d+)?)/)?.[1] ?? "?",
    });
  }
  return rows;
}

/** The done-when: the same accuracy table as the interactive lane, at exactly half the cost. */
describe("reasonq eval --lane provider-batch (real processes, mock providers)", () => {
  const servers: Server[] = [];
  afterAll(async () => {
    for (const s of servers) await stop(s);
  });

  it("gives the interactive lane's accuracy table at exactly half its cost", async () => {
    const runs: Array<{ code: number | null; output: string }> = [];
    for (const lane of ["interactive", "provider-batch"]) {
      // Fresh mock providers per lane: neither run sees the other's prompts (no prompt caching between them).
      const s = await server();
      servers.push(s);
      runs.push(
        await runCli(
          [
            "eval",
            join(EXAMPLES, "arithmetic.jsonl"),
            "--models",
            MODELS,
            "--lane",
            lane,
            "--out",
            join(s.dir, "report.html"),
          ],
          s.env,
        ),
      );
    }
    const [interactive, batch] = runs as [
      { code: number | null; output: string },
      { code: number | null; output: string },
    ];
    expect(interactive.code, interactive.output).toBe(0);
    expect(batch.code, batch.output).toBe(0);
    expect(batch.output).toContain("batch completed");
    const a = table(interactive.output);
    const b = table(batch.output);
    for (const model of MODELS.split(",")) {
      expect(b.get(model)?.accuracy, model).toBe(a.get(model)?.accuracy);
      expect(
        money(b.get(model)?.cost ?? "NaN")
          .times(2)
          .toString(),
        model,
      ).toBe(money(a.get(model)?.cost ?? "NaN").toString());
    }
    const spent = (output: string) => money(output.match(/batch completed; spent \$(\d+(?:\.\d+)?)/)?.[1] ?? "NaN");
    expect(spent(batch.output).times(2).equals(spent(interactive.output))).toBe(true);
    const saving = batch.output.match(
      /lane provider_batch: spent \$([\d.]+); at the interactive price \$([\d.]+); saved \$([\d.]+)/,
    );
    expect(saving, batch.output).not.toBeNull();
    expect(money(saving?.[2] ?? "NaN").equals(spent(interactive.output))).toBe(true);
    expect(interactive.output).not.toContain("lane provider_batch");
  }, 900_000);
});
