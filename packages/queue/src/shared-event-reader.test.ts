import { type TestRedis, testRedis } from "@reasonq/testkit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { JobEventLog } from "./event-log.ts";
import { createRedis, ready } from "./redis.ts";
import { SharedEventReader } from "./shared-event-reader.ts";

describe("shared event reader", () => {
  let redis: TestRedis;
  beforeAll(async () => {
    redis = await testRedis();
  });
  afterAll(async () => {
    await redis.stop();
  });

  it("serves many followers of several jobs through one blocking connection, each from its own cursor", async () => {
    const producer = createRedis(redis.url, "producer", { onError: () => {} });
    await ready(producer);
    const log = new JobEventLog(producer, redis.prefix, { retentionSeconds: 60 });
    const readerConnection = createRedis(redis.url, "consumer", { onError: () => {} });
    const reader = new SharedEventReader(log, readerConnection, producer);
    const signal = new AbortController().signal;
    const delta = (text: string) => ({ type: "answer.delta" as const, attempt: 1, text });

    await log.append("a", [delta("a1")]);
    const [first] = await log.read("a", "0");
    // Followers wait before anything new exists: one from the start, one after a1, one on another job.
    const fromStart = reader.read("a", "0", 5000, signal);
    const afterFirst = reader.read("a", first?.id as string, 5000, signal);
    const other = reader.read("b", "0", 5000, signal);
    expect((await fromStart).map((e) => e.event)).toEqual([delta("a1")]);
    await log.append("a", [delta("a2")]);
    await log.append("b", [delta("b1")]);
    expect((await afterFirst).map((e) => e.event)).toEqual([delta("a2")]);
    expect((await other).map((e) => e.event)).toEqual([delta("b1")]);

    const followers = Array.from({ length: 50 }, (_, i) => reader.read(`job${i % 5}`, "0", 5000, signal));
    for (let j = 0; j < 5; j++) await log.append(`job${j}`, [delta(`x${j}`)]);
    const got = await Promise.all(followers);
    got.forEach((events, i) => {
      expect(events.map((e) => e.event)).toEqual([delta(`x${i % 5}`)]);
    });

    reader.close();
    producer.disconnect();
  });

  it("answers an empty list when nothing comes within the wait, or when the follower leaves", async () => {
    const producer = createRedis(redis.url, "producer", { onError: () => {} });
    await ready(producer);
    const log = new JobEventLog(producer, redis.prefix, { retentionSeconds: 60 });
    const reader = new SharedEventReader(log, createRedis(redis.url, "consumer", { onError: () => {} }), producer);
    expect(await reader.read("quiet", "0", 50, new AbortController().signal)).toEqual([]);
    const leaving = new AbortController();
    const pending = reader.read("quiet", "0", 60_000, leaving.signal);
    leaving.abort();
    expect(await pending).toEqual([]);
    reader.close();
    producer.disconnect();
  });
});
