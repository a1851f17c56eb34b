import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { freePort, type TestRedis, testRedis } from "@reasonq/testkit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runCli, startCli } from "./processes.ts";

describe("reasonq keys (real processes, embedded database)", () => {
  let redis: TestRedis;
  let dir: string;
  beforeAll(async () => {
    redis = await testRedis();
    dir = mkdtempSync(join(tmpdir(), "rq-keys-"));
  });
  afterAll(async () => {
    await redis.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it("creates a capped key that serve accepts, and refuses to touch the database while serve holds it", async () => {
    const env = { REASONQ_DATA_DIR: dir };
    const created = await runCli(["keys", "create", "--name", "ci", "--spend-cap", "2.50"], env);
    expect(created.code, created.output).toBe(0);
    const key = created.output.match(/rq_\S+/)?.[0] as string;
    const id = created.output.match(/key_\S+/)?.[0] as string;
    const listed = await runCli(["keys", "list"], env);
    expect(listed.output).toContain(id);
    expect(listed.output).toContain("$2.5");

    const port = await freePort();
    const serve = startCli(["serve"], {
      ...env,
      REDIS_URL: redis.url,
      REASONQ_QUEUE_PREFIX: redis.prefix,
      PORT: String(port),
      REASONQ_API_KEYS: "",
    });
    await serve.waitFor(/listening on/);
    const res = await fetch(`http://127.0.0.1:${port}/v1/jobs`, { headers: { authorization: `Bearer ${key}` } });
    expect(res.status).toBe(200);
    const busy = await runCli(["keys", "list"], env);
    expect(busy.code).not.toBe(0);
    expect(busy.output).toContain("serve is running");
    serve.child.kill("SIGTERM");
    expect((await serve.exited).code).toBe(0);

    const revoked = await runCli(["keys", "revoke", id], env);
    expect(revoked.output).toContain(`revoked ${id}`);
  });
});
