import autocannon from "autocannon";
import { Redis } from "ioredis";
import { type Latency, latency, round } from "./stats.ts";

export interface Target {
  base: string;
  key: string;
}

const json = (key: string) => ({ authorization: `Bearer ${key}`, "content-type": "application/json" });

/** An instant sim job (the bench runs the sim at a million tokens a second). */
export const INSTANT_JOB = JSON.stringify({ model: "sim/reasoner", prompt: "What is 17*23?" });

/** Counts the job-done announcements of one deployment (its queue prefix). */
export class DoneCounter {
  readonly #redis: Redis;
  #count = 0;
  #waiters: Array<{ n: number; resolve: () => void }> = [];

  private constructor(redis: Redis) {
    this.#redis = redis;
    redis.on("message", () => {
      this.#count++;
      this.#waiters = this.#waiters.filter((w) => {
        if (this.#count < w.n) return true;
        w.resolve();
        return false;
      });
    });
  }

  static async start(url: string, prefix: string): Promise<DoneCounter> {
    const redis = new Redis(url);
    await redis.subscribe(`${prefix}:job-done`);
    return new DoneCounter(redis);
  }

  get count(): number {
    return this.#count;
  }

  /** Resolves once `n` jobs have been announced in all. */
  async until(n: number, timeoutMs: number): Promise<void> {
    if (this.#count >= n) return;
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`only ${this.#count} of ${n} jobs finished in ${timeoutMs} ms`)),
        timeoutMs,
      );
      this.#waiters.push({
        n,
        resolve: () => {
          clearTimeout(timer);
          resolve();
        },
      });
    });
  }

  close(): void {
    this.#redis.disconnect();
  }
}

export interface LoadResult {
  requests_per_second: number;
  p50_ms: number;
  p99_ms: number;
  ok: number;
  errors: number;
}

/** autocannon against one URL: for `seconds`, or `amount` requests. */
export async function load(
  url: string,
  options: {
    connections: number;
    seconds?: number;
    amount?: number;
    method?: "GET" | "POST";
    body?: string;
    key?: string;
  },
): Promise<LoadResult> {
  const result = await autocannon({
    url,
    connections: options.connections,
    ...(options.amount === undefined ? { duration: options.seconds ?? 5 } : { amount: options.amount }),
    method: options.method ?? "GET",
    ...(options.body === undefined ? {} : { body: options.body }),
    headers: options.key === undefined ? {} : json(options.key),
  });
  return {
    requests_per_second: round(result.requests.average, 1),
    p50_ms: result.latency.p50,
    p99_ms: result.latency.p99,
    ok: result["2xx"],
    errors: result.non2xx + result.errors + result.timeouts,
  };
}

/** Submits `count` instant jobs over HTTP and times them until the last one is done. */
export async function endToEnd(
  target: Target,
  done: DoneCounter,
  count: number,
  connections: number,
): Promise<{ jobs: number; seconds: number; jobs_per_second: number; submit: LoadResult }> {
  const before = done.count;
  const started = performance.now();
  const submit = await load(`${target.base}/v1/jobs`, {
    connections,
    amount: count,
    method: "POST",
    body: INSTANT_JOB,
    key: target.key,
  });
  // autocannon may count a request cut at its stop as an error; every accepted job must end.
  await done.until(before + submit.ok, 600_000);
  const seconds = (performance.now() - started) / 1000;
  return { jobs: submit.ok, seconds: round(seconds, 3), jobs_per_second: round(submit.ok / seconds, 1), submit };
}

interface JobView {
  id: string;
  status: string;
  started_at: string | null;
  completed_at: string | null;
}

/**
 * One job at a time: submit, then a long-polling GET. Returns submit → started_at and
 * completed_at → the GET's answer read (both on this machine's clock, millisecond stamps).
 */
export async function singleJobLatency(
  target: Target,
  count: number,
): Promise<{ submit_to_start: Latency; completed_to_read: Latency }> {
  const toStart: number[] = [];
  const toRead: number[] = [];
  for (let i = 0; i < count; i++) {
    const t0 = Date.now();
    const submitted = await fetch(`${target.base}/v1/jobs`, {
      method: "POST",
      headers: json(target.key),
      body: INSTANT_JOB,
    });
    const { id } = (await submitted.json()) as JobView;
    const polled = await fetch(`${target.base}/v1/jobs/${id}?wait=10`, { headers: json(target.key) });
    const job = (await polled.json()) as JobView;
    const t1 = Date.now();
    if (job.status !== "succeeded" || job.started_at === null || job.completed_at === null) {
      throw new Error(`job ${id} ended ${job.status}`);
    }
    toStart.push(Date.parse(job.started_at) - t0);
    toRead.push(t1 - Date.parse(job.completed_at));
  }
  return { submit_to_start: latency(toStart), completed_to_read: latency(toRead) };
}

/** Waits until a job runs through (the worker may still be starting), up to two minutes. */
export async function warmUp(target: Target): Promise<void> {
  const submitted = await fetch(`${target.base}/v1/jobs`, {
    method: "POST",
    headers: json(target.key),
    body: INSTANT_JOB,
  });
  const { id } = (await submitted.json()) as JobView;
  for (let i = 0; i < 4; i++) {
    const polled = await fetch(`${target.base}/v1/jobs/${id}?wait=30`, { headers: json(target.key) });
    if (((await polled.json()) as JobView).status === "succeeded") return;
  }
  throw new Error(`the warm-up job ${id} did not finish in two minutes`);
}

/** Sequential requests, each timed from send to the last byte of the body. */
export async function sequential(count: number, call: () => Promise<Response>): Promise<Latency> {
  const samples: number[] = [];
  for (let i = 0; i < count; i++) {
    const t0 = performance.now();
    const response = await call();
    await response.text();
    if (!response.ok) throw new Error(`a call answered ${response.status}`);
    samples.push(performance.now() - t0);
  }
  return latency(samples);
}

export { json as authHeaders };
