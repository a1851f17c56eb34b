import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { freePort, type TestRedis, testRedis } from "@reasonq/testkit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Proc, runCli, startCli } from "./processes.ts";

const EXAMPLES = fileURLToPath(new URL("../../../examples/", import.meta.url));

/** The README's example evaluation, from the shipped dataset, against a real server. */
describe("reasonq eval (real processes)", () => {
  let redis: TestRedis;
  let dir: string;
  let serve: Proc;
  beforeAll(async () => {
    redis = await testRedis();
    dir = mkdtempSync(join(tmpdir(), "rq-eval-"));
    serve = startCli(["serve"], {
      REDIS_URL: redis.url,
      REASONQ_QUEUE_PREFIX: redis.prefix,
      REASONQ_DATA_DIR: dir,
      REASONQ_SIM_TOKENS_PER_SECOND: "4000",
      PORT: String(await freePort()),
    });
    await serve.waitFor(/listening on/);
  });
  afterAll(async () => {
    serve.child.kill("SIGTERM");
    await serve.exited;
    await redis.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it("tells a true story: sim/reasoner at high effort beats sim/hasty, and costs more", async () => {
    const out = join(dir, "report.html");
    const result = await runCli(
      [
        "eval",
        join(EXAMPLES, "arithmetic.jsonl"),
        "--models",
        "sim/reasoner,sim/hasty",
        "--effort",
        "low,high",
        "--out",
        out,
      ],
      { REASONQ_DATA_DIR: dir },
    );
    expect(result.code, result.output).toBe(0);
    expect(result.output).toContain("batch completed");
    const line = (label: string) => result.output.split("\n").find((l) => l.startsWith(label)) ?? "";
    const accuracy = (l: string) => Number(l.match(/(\d+\.\d)%/)?.[1]);
    const cost = (l: string) => Number(l.match(/\$(\d+\.\d+)/)?.[1]);
    const reasonerHigh = line("sim/reasoner · effort=high");
    const hastyHigh = line("sim/hasty · effort=high");
    expect(accuracy(reasonerHigh)).toBeGreaterThan(accuracy(hastyHigh));
    expect(cost(reasonerHigh)).toBeGreaterThan(cost(hastyHigh));
    expect(reasonerHigh).toMatch(/\[\d+\.\d%, \d+\.\d%\]/);
    expect(existsSync(out)).toBe(true);
    expect(readFileSync(out, "utf8")).toContain("sim/reasoner · effort=high");
  });

  it("exits non-zero when a variant is below --min-accuracy", async () => {
    const result = await runCli(
      ["eval", join(EXAMPLES, "multiple-choice.jsonl"), "--models", "sim/hasty", "--min-accuracy", "0.99"],
      { REASONQ_DATA_DIR: dir },
    );
    expect(result.code).toBe(1);
    expect(result.output).toContain("scorer choice");
    expect(result.output).toContain("below --min-accuracy 0.99");
    // Without --out the report goes under the data directory, never into the working tree.
    const report = result.output.match(/report: (.+\.html)/)?.[1] ?? "";
    expect(report).toMatch(new RegExp(`^${dir}/reports/reasonq-report-bat_\\w+\\.html$`));
    expect(existsSync(report)).toBe(true);
  });
});
