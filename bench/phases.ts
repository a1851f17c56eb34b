/**
 * The bench's measurements, each a baseline and its reasonq counterpart run back to back.
 * Every process is real and separate; all traffic stays on 127.0.0.1.
 */
import { fileURLToPath } from "node:url";
import { bullmqAddToStart, bullmqDrain } from "./baselines/bullmq.ts";
import {
  connectionsTo,
  cpuSeconds,
  freePort,
  type Proc,
  rssBytes,
  serverCpuSeconds,
  startScript,
  waitHealthy,
} from "./lib/processes.ts";
import {
  authHeaders,
  DoneCounter,
  endToEnd,
  INSTANT_JOB,
  load,
  sequential,
  singleJobLatency,
  type Target,
  warmUp,
} from "./lib/reasonq.ts";
import { openFollowers } from "./lib/sse-clients.ts";
import { type Latency, round } from "./lib/stats.ts";

const FASTIFY_HELLO = fileURLToPath(new URL("./baselines/fastify-hello.ts", import.meta.url));
const SSE_SERVER = fileURLToPath(new URL("./baselines/sse-server.ts", import.meta.url));

export interface Sizes {
  drainJobs: number;
  e2eJobs: number;
  serveJobs: number;
  latencyJobs: number;
  loadSeconds: number;
  chatCalls: number;
  followers: number;
  /** Live jobs the followers are spread over. */
  liveJobs: number;
}

export const FULL: Sizes = {
  drainJobs: 5000,
  e2eJobs: 5000,
  serveJobs: 5000,
  latencyJobs: 300,
  loadSeconds: 10,
  chatCalls: 300,
  followers: 10_000,
  liveJobs: 20,
};

export const QUICK: Sizes = {
  drainJobs: 2000,
  e2eJobs: 1000,
  serveJobs: 500,
  latencyJobs: 100,
  loadSeconds: 4,
  chatCalls: 100,
  followers: 1000,
  liveJobs: 20,
};

/** The worker concurrency the reasonq processes run with (REASONQ_WORKER_CONCURRENCY). */
export const CONCURRENCY = 32;
export const CONNECTIONS = 64;

export async function baselineDrain(redis: string, prefix: string, sizes: Sizes) {
  return bullmqDrain(redis, `${prefix}_raw`, sizes.drainJobs, CONCURRENCY);
}

export async function baselineAddToStart(redis: string, prefix: string, sizes: Sizes): Promise<Latency> {
  return bullmqAddToStart(redis, `${prefix}_raw`, sizes.latencyJobs);
}

export async function baselineFastify(sizes: Sizes, logDir: string) {
  const port = await freePort();
  const proc = startScript("fastify hello", [FASTIFY_HELLO], { PORT: String(port) }, `${logDir}/fastify.log`);
  try {
    await waitHealthy(`http://127.0.0.1:${port}/healthz`, proc);
    return await load(`http://127.0.0.1:${port}/`, { connections: CONNECTIONS, seconds: sizes.loadSeconds });
  } finally {
    await proc.stop();
  }
}

export async function submitOnly(target: Target, sizes: Sizes) {
  return load(`${target.base}/v1/jobs`, {
    connections: CONNECTIONS,
    seconds: sizes.loadSeconds,
    method: "POST",
    body: INSTANT_JOB,
    key: target.key,
  });
}

/** Jobs end to end, with the CPU each reasonq process (`pids`) and each local server spent per job. */
export async function throughput(target: Target, done: DoneCounter, jobs: number, pids: Array<number | undefined>) {
  const servers = ["postgres", "redis-server"];
  const cpuBefore = pids.map(cpuSeconds);
  const serversBefore = servers.map(serverCpuSeconds);
  const result = await endToEnd(target, done, jobs, CONNECTIONS);
  const perJob = (seconds: number) => round((seconds * 1000) / result.jobs, 3);
  return {
    ...result,
    cpu_ms_per_job: pids.map((pid, i) => perJob(cpuSeconds(pid) - (cpuBefore[i] ?? 0))),
    server_cpu_ms_per_job: Object.fromEntries(
      servers.map((name, i) => [name, perJob(serverCpuSeconds(name) - (serversBefore[i] ?? 0))]),
    ),
  };
}

export { DoneCounter, singleJobLatency, warmUp };

/** The OpenAI mock called directly (streaming, as the adapter calls it) vs sync chat completions through reasonq. */
export async function chatOverhead(target: Target, mock: { url: string; key: string }, sizes: Sizes) {
  const messages = [{ role: "user", content: "What is 17*23?" }];
  const direct = await sequential(sizes.chatCalls, () =>
    fetch(`${mock.url}/chat/completions`, {
      method: "POST",
      headers: authHeaders(mock.key),
      body: JSON.stringify({ model: "o4-mini", messages, stream: true, stream_options: { include_usage: true } }),
    }),
  );
  const through = await sequential(sizes.chatCalls, () =>
    fetch(`${target.base}/v1/chat/completions`, {
      method: "POST",
      headers: authHeaders(target.key),
      body: JSON.stringify({ model: "o4-mini", messages }),
    }),
  );
  return {
    direct,
    through_reasonq: through,
    added: { p50_ms: round(through.p50_ms - direct.p50_ms, 3), p99_ms: round(through.p99_ms - direct.p99_ms, 3) },
  };
}

export interface FollowResult {
  followers: number;
  open_seconds: number;
  kb_per_connection: number;
  bytes_received: number;
  dropped: number;
  redis_connections?: number;
}

const SETTLE_MS = 3000;

/** Opens followers against a server process and measures what each costs it. */
async function follow(
  pid: number | undefined,
  port: number,
  paths: string[],
  headers: Record<string, string>,
  redisPort: number,
): Promise<FollowResult> {
  const before = rssBytes(pid);
  const redisBefore = connectionsTo(pid, redisPort);
  const started = performance.now();
  const followers = await openFollowers(port, paths, headers);
  const openSeconds = (performance.now() - started) / 1000;
  await new Promise((r) => setTimeout(r, SETTLE_MS));
  const after = rssBytes(pid);
  const redis = connectionsTo(pid, redisPort) - redisBefore;
  const result = {
    followers: paths.length,
    open_seconds: round(openSeconds, 2),
    kb_per_connection: round((after - before) / 1024 / paths.length, 1),
    bytes_received: followers.bytes(),
    dropped: followers.dropped(),
    redis_connections: redis,
  };
  followers.close();
  return result;
}

export async function baselineSse(sizes: Sizes, intervalMs: number, logDir: string, redisPort: number) {
  const port = await freePort();
  const proc = startScript(
    "sse server",
    [SSE_SERVER],
    { PORT: String(port), SSE_INTERVAL_MS: String(intervalMs) },
    `${logDir}/sse.log`,
  );
  try {
    await waitHealthy(`http://127.0.0.1:${port}/healthz`, proc);
    const paths = Array.from({ length: sizes.followers }, () => "/events");
    return await follow(proc.child.pid, port, paths, {}, redisPort);
  } finally {
    await proc.stop();
  }
}

/**
 * A sim job that streams slowly enough to stay live through the measurement, also on a
 * loaded machine: 2 tokens a second in chunks of 4 is one event every 2 s, the rate the
 * bare server sends at.
 */
export const LIVE_EVENT_INTERVAL_MS = 2000;
export const LIVE_JOB = JSON.stringify({
  model: "sim/reasoner",
  prompt: "[sim:tps=2] What is 123*457+89*12-7?",
  reasoning: { effort: "high" },
});

export async function reasonqSse(target: Target, api: Proc, sizes: Sizes, redisPort: number) {
  const ids: string[] = [];
  for (let i = 0; i < sizes.liveJobs; i++) {
    const response = await fetch(`${target.base}/v1/jobs`, {
      method: "POST",
      headers: authHeaders(target.key),
      body: LIVE_JOB,
    });
    ids.push(((await response.json()) as { id: string }).id);
  }
  try {
    const paths = Array.from({ length: sizes.followers }, (_, i) => `/v1/jobs/${ids[i % ids.length]}/events`);
    const port = Number(new URL(target.base).port);
    const headers = { authorization: `Bearer ${target.key}` };
    const result = await follow(api.child.pid, port, paths, headers, redisPort);
    const statuses = await Promise.all(
      ids.map(async (id) => {
        const r = await fetch(`${target.base}/v1/jobs/${id}`, { headers: authHeaders(target.key) });
        return ((await r.json()) as { status: string }).status;
      }),
    );
    return { ...result, live_jobs: ids.length, still_running: statuses.filter((s) => s === "running").length };
  } finally {
    await Promise.all(
      ids.map((id) =>
        fetch(`${target.base}/v1/jobs/${id}/cancel`, {
          method: "POST",
          headers: { authorization: `Bearer ${target.key}` },
        }),
      ),
    );
  }
}
