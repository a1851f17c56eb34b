import { EventEmitter } from "node:events";
import type { ServerResponse } from "node:http";
import { createRedis, DisconnectedCalls } from "@reasonq/queue";
import { type TestRedis, testRedis } from "@reasonq/testkit";
import type { Redis } from "ioredis";
import { pino } from "pino";
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { AbandonedCalls, type SyncCall } from "./abandoned-calls.ts";
import type { CancelDeps } from "./cancel-job.ts";

const GRACE_MS = 10_000;

/** A response whose client is still connected until `close` is emitted. */
function openResponse(): ServerResponse & EventEmitter {
  return Object.assign(new EventEmitter(), {
    writableEnded: false,
    destroyed: false,
    socket: { destroyed: false },
  }) as unknown as ServerResponse & EventEmitter;
}

describe("AbandonedCalls: cancel an abandoned call's job unless a retry takes it over", () => {
  let redis: TestRedis;
  let connection: Redis;
  let calls: DisconnectedCalls;
  const cancelled: string[] = [];
  const deps = {
    store: {
      jobs: {
        get: async (id: string) => ({ id, status: "running" }),
        cancel: async (id: string) => {
          cancelled.push(id);
          return { kind: "signalled", job: { id } };
        },
      },
    },
    queues: { signalCancel: async () => {} },
    events: { append: async () => {} },
  } as unknown as CancelDeps;
  const abandoned = (cancel = true) =>
    new AbandonedCalls(deps, { cancel, graceMs: GRACE_MS, calls }, pino({ level: "silent" }));

  beforeAll(async () => {
    redis = await testRedis();
    connection = createRedis(redis.url, "consumer", { onError: () => {} });
    calls = new DisconnectedCalls(connection, redis.prefix);
  });
  afterAll(async () => {
    await connection.quit();
    await redis.stop();
  });
  afterEach(() => {
    vi.useRealTimers();
    cancelled.length = 0;
  });

  let n = 0;
  const call = (): SyncCall => {
    n += 1;
    return { jobId: `job_${n}`, apiKeyId: "key_a", requestHash: `hash_${n}`, keyed: false };
  };
  /** Polls on real ticks (vi.waitFor would move the fake clock while it polls). */
  async function until(check: () => boolean | Promise<boolean>): Promise<void> {
    for (let i = 0; i < 10_000; i += 1) {
      if (await check()) return;
      await new Promise((resolve) => setImmediate(resolve));
    }
    throw new Error("the condition never held");
  }
  /** The departure is recorded in Redis and its grace timer set. */
  const timers = (count: number) => until(() => vi.getTimerCount() === count);

  it("cancels the job once the grace period passes without a retry", async () => {
    vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout"] });
    const c = call();
    const response = openResponse();
    abandoned().watch(response, c);
    response.emit("close");
    await timers(1);
    await vi.advanceTimersByTimeAsync(GRACE_MS - 1);
    expect(cancelled).toEqual([]);
    await vi.advanceTimersByTimeAsync(1);
    await until(() => cancelled.length > 0);
    expect(cancelled).toEqual([c.jobId]);
  });

  it("lets a client retry take the job over; a stale timer never cancels it, the retry's own departure does", async () => {
    vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout"] });
    const expire = vi.spyOn(calls, "expire");
    const watcher = abandoned();
    const c = call();
    const first = openResponse();
    watcher.watch(first, c);
    first.emit("close");
    await timers(1);
    expect(await watcher.takeOver(c.apiKeyId, c.requestHash, undefined)).toBeUndefined();
    expect(await watcher.takeOver(c.apiKeyId, c.requestHash, "1")).toBe(c.jobId);
    expect(await watcher.takeOver(c.apiKeyId, c.requestHash, "2")).toBeUndefined();

    await vi.advanceTimersByTimeAsync(GRACE_MS / 2);
    const retry = openResponse();
    watcher.watch(retry, c);
    retry.emit("close");
    await timers(2);
    // The first departure's timer fires while the retry's departure is pending.
    await vi.advanceTimersByTimeAsync(GRACE_MS / 2);
    await until(() => expire.mock.calls.length === 1);
    expect(await expire.mock.results[0]?.value).toBe(false);
    await vi.advanceTimersByTimeAsync(0);
    expect(cancelled).toEqual([]);
    await vi.advanceTimersByTimeAsync(GRACE_MS / 2);
    await until(() => cancelled.length > 0);
    expect(cancelled).toEqual([c.jobId]);
    expire.mockRestore();
  });

  it("does nothing for a finished response or a keyed call", async () => {
    const add = vi.spyOn(calls, "add");
    const finished = openResponse();
    abandoned().watch(finished, call());
    Object.assign(finished, { writableEnded: true });
    finished.emit("close");

    const keyed = openResponse();
    abandoned().watch(keyed, { ...call(), keyed: true });
    expect(keyed.listenerCount("close")).toBe(0);
    const c = call();
    await calls.add(c.jobId, c.apiKeyId, c.requestHash, GRACE_MS);
    expect(add).toHaveBeenCalledTimes(1);
    add.mockRestore();
  });

  it("with REASONQ_CANCEL_ON_DISCONNECT=false, never cancels, but a retry still takes the job over", async () => {
    vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout"] });
    const add = vi.spyOn(calls, "add");
    const off = abandoned(false);
    const response = openResponse();
    const c = call();
    off.watch(response, c);
    response.emit("close");
    await until(() => add.mock.calls.length === 1);
    await add.mock.results[0]?.value;
    expect(vi.getTimerCount()).toBe(0);
    expect(await off.takeOver(c.apiKeyId, c.requestHash, "1")).toBe(c.jobId);
    expect(cancelled).toEqual([]);
    add.mockRestore();
  });
});
