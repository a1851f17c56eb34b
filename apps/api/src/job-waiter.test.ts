import { ChannelSubscriber, doneAnnouncement } from "@reasonq/queue";
import { type JobRow, jobRowToText } from "@reasonq/store";
import { type TestRedis, testRedis } from "@reasonq/testkit";
import { Redis } from "ioredis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { JobWaiter } from "./job-waiter.ts";

describe("job waiter", () => {
  let redis: TestRedis;
  let publisher: Redis;
  let subscriber: ChannelSubscriber;
  let waiter: JobWaiter;
  let channel: string;

  beforeAll(async () => {
    redis = await testRedis();
    channel = `${redis.prefix}:job-done`;
    publisher = new Redis(redis.url);
    subscriber = new ChannelSubscriber(new Redis(redis.url));
    waiter = await JobWaiter.start(subscriber, channel);
  });
  afterAll(async () => {
    waiter.close();
    await subscriber.close();
    publisher.disconnect();
    await redis.stop();
  });

  const row = (id: string) =>
    ({ id, status: "succeeded", completed_at: new Date("2026-12-07T00:00:00.123Z") }) as unknown as JobRow;

  /** Publishes, then waits until this process has seen it (a wait started after it must end at once). */
  async function announce(message: string, jobId: string): Promise<void> {
    await publisher.publish(channel, message);
    await waiter.wait(jobId, 5_000);
  }

  it("hands each waiter the row its announcement carried", async () => {
    const waits = [waiter.wait("job_a", 5_000), waiter.wait("job_a", 5_000)];
    await publisher.publish(channel, doneAnnouncement("job_a", jobRowToText(row("job_a"))));
    const [first, second] = await Promise.all(waits);
    expect(first?.row).toEqual(row("job_a"));
    expect(first?.row).not.toBe(second?.row);
  });

  it("ends without a row when the announcement is the bare id, so the caller reads it", async () => {
    const waiting = waiter.wait("job_b", 5_000);
    await publisher.publish(channel, doneAnnouncement("job_b"));
    expect(await waiting).toEqual({});
  });

  it("ends at once for a job announced before the wait started", async () => {
    await announce(doneAnnouncement("job_c", jobRowToText(row("job_c"))), "job_c");
    expect(await waiter.wait("job_c", 60_000)).toEqual({});
  });

  it("gives nothing on timeout or abort", async () => {
    expect(await waiter.wait("job_d", 10)).toBeUndefined();
    const aborted = new AbortController();
    const waiting = waiter.wait("job_d", 60_000, aborted.signal);
    aborted.abort();
    expect(await waiting).toBeUndefined();
  });
});
