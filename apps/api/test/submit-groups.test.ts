import { priceCatalog } from "@reasonq/billing";
import { planJob, specOf } from "@reasonq/jobs";
import { catalog, createAdapters } from "@reasonq/providers";
import { createRedis, JobEventLog, JobQueues, ready } from "@reasonq/queue";
import { createStore, type NewJob, type Store } from "@reasonq/store";
import { freePort, type TestRedis, testRedis } from "@reasonq/testkit";
import type { Redis } from "ioredis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SubmitGroups } from "../src/services/submit-groups.ts";

const planDeps = { catalog, adapters: createAdapters({ simTokensPerSecond: 0 }), prices: priceCatalog };

function row(apiKeyId: string): NewJob {
  const spec = specOf({ model: "sim/reasoner", prompt: "What is 2+2?", reasoning: { effort: "high" } });
  return planJob(spec, { id: apiKeyId, spend_cap_usd: null }, planDeps).row;
}

describe("submit groups", () => {
  let store: Store;
  let redis: TestRedis;
  let keyId: string;

  beforeAll(async () => {
    store = await createStore({ kind: "pglite" });
    redis = await testRedis();
    keyId = (await store.apiKeys.create("groups")).apiKey.id;
  });
  afterAll(async () => {
    await store.close();
    await redis.stop();
  });

  /** Submit groups writing to this store and queueing on `connection`, under the test's prefix. */
  const groupsOn = (connection: Redis) => {
    const queues = new JobQueues({
      connection,
      prefix: redis.prefix,
      families: ["sim"],
      attempts: 3,
      onError: () => {},
    });
    const events = new JobEventLog(connection, redis.prefix, { retentionSeconds: 60 });
    return { queues, events, groups: new SubmitGroups({ store, queues, events }) };
  };

  it("writes submits that arrive together in shared groups, each job queued exactly once", async () => {
    const connection = createRedis(redis.url, "producer", { onError: () => {} });
    await ready(connection);
    const { queues, events, groups } = groupsOn(connection);
    const rows = Array.from({ length: 40 }, () => row(keyId));
    const jobs = await Promise.all(rows.map((r) => groups.submit(r)));
    expect(jobs.map((j) => j.id)).toEqual(rows.map((r) => r.id));
    expect(jobs.every((j) => j.status === "queued")).toBe(true);
    // The planned request is stored with each row of a group, as with a single insert.
    expect(jobs[3]?.prepared_request).toEqual(rows[3]?.prepared_request);
    expect((await store.jobs.get(rows[5]?.id as string))?.prepared_request).toMatchObject({
      body: { model: "reasoner", effort: "high" },
    });
    expect(await queues.queue("sim").count()).toBe(40);
    expect((await events.read(jobs[7]?.id as string, "0")).map((e) => e.event)).toEqual([
      { type: "status", status: "queued", attempt: 0 },
    ]);
    await queues.close();
    connection.disconnect();
  });

  it("refuses a whole group and keeps none of its rows when the queue is unreachable", async () => {
    const connection = createRedis(`redis://127.0.0.1:${await freePort()}`, "producer", {
      retryStrategy: () => null,
      onError: () => {},
    });
    const { groups } = groupsOn(connection);
    const rows = Array.from({ length: 5 }, () => row(keyId));
    const results = await Promise.allSettled(rows.map((r) => groups.submit(r)));
    expect(results.every((r) => r.status === "rejected" && r.reason.type === "service_unavailable")).toBe(true);
    for (const r of rows) expect(await store.jobs.get(r.id)).toBeUndefined();
    connection.disconnect();
  });
});
