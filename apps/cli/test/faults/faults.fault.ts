import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Job } from "@reasonq/core";
import {
  dropSchema,
  freePort,
  type RedisServerProcess,
  startRedisServer,
  startTcpProxy,
  type TcpProxy,
  TEST_DATABASE_URL,
  uniqueSchema,
  waitFor,
} from "@reasonq/testkit";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Proc, startCli } from "../processes.ts";

/**
 * SPEC §8 under faults, on real processes: one API and two workers (`reasonq api`,
 * `reasonq worker`), a throwaway redis-server with AOF (stopped and restarted mid-run), and
 * the shared PostgreSQL reached through a proxy this suite cuts (the shared servers are
 * never touched). Workers are SIGKILLed at random moments and restarted; some jobs are
 * cancelled. Afterwards every accepted job must be terminal with one stored result, every
 * attempt in the ledger, none billed twice. The default lock settings are used, so the
 * handover times printed are the product's.
 */
const JOBS = Number(process.env.FAULT_JOBS ?? 500);
const KEY = "rq_fault_suite_key_0123456789abcdef";
/** Issue 14: a killed worker's jobs resume elsewhere within 15 s (p99). */
const HANDOVER_TARGET_MS = 15_000;

describe("fault suite (real processes)", () => {
  let redis: RedisServerProcess;
  let proxy: TcpProxy;
  let schema: string;
  let redisDir: string;
  let base: string;
  let env: Record<string, string>;
  let api: Proc;
  const workers: Proc[] = [];
  const procs: Proc[] = [];
  const killedByUs = new Set<Proc>();
  const kills: number[] = [];
  let unexpectedExits = 0;
  let db: pg.Client;

  const headers = { authorization: `Bearer ${KEY}`, "content-type": "application/json" };
  const submit = (prompt: string, model = "sim/reasoner") =>
    fetch(`${base}/v1/jobs`, { method: "POST", headers, body: JSON.stringify({ model, prompt }) });
  const read = async (id: string) => (await (await fetch(`${base}/v1/jobs/${id}`, { headers })).json()) as Job;

  function startWorker(): Proc {
    const worker = startCli(["worker"], env);
    procs.push(worker);
    workers.push(worker);
    void worker.exited.then(({ signal, code }) => {
      if (killedByUs.has(worker) || signal === "SIGTERM" || code === 0) return;
      unexpectedExits++;
      console.log(`faults: a worker exited by itself (${code ?? signal}):\n${worker.output().slice(-3000)}`);
    });
    return worker;
  }

  function kill(worker: Proc, signal: NodeJS.Signals): void {
    killedByUs.add(worker);
    workers.splice(workers.indexOf(worker), 1);
    worker.child.kill(signal);
    kills.push(Date.now());
  }

  beforeAll(async () => {
    redisDir = mkdtempSync(join(tmpdir(), "rq-faults-redis-"));
    redis = await startRedisServer(undefined, { dir: redisDir, appendonly: true });
    const target = new URL(TEST_DATABASE_URL);
    proxy = await startTcpProxy(Number(target.port || 5432), target.hostname);
    schema = uniqueSchema();
    db = new pg.Client({ connectionString: TEST_DATABASE_URL });
    await db.connect();
    await db.query(`create schema ${schema}`);
    const url = new URL(TEST_DATABASE_URL);
    url.host = `127.0.0.1:${proxy.port}`;
    url.searchParams.set("options", `-c search_path=${schema}`);
    const port = await freePort();
    base = `http://127.0.0.1:${port}`;
    env = {
      DATABASE_URL: url.toString(),
      REDIS_URL: redis.url,
      REASONQ_QUEUE_PREFIX: "faults",
      REASONQ_API_KEYS: KEY,
      REASONQ_SIM_TOKENS_PER_SECOND: "400",
      LOG_LEVEL: "info",
      // The suite submits 500 jobs at once; request limits are tested on their own.
      REASONQ_RATE_LIMIT_PER_MINUTE: "0",
      PORT: String(port),
    };
    api = startCli(["api"], env);
    procs.push(api);
    await api.waitFor(/listening on/);
    await Promise.all([startWorker(), startWorker()].map((w) => w.waitFor(/worker started/)));
  });

  afterAll(async () => {
    proxy?.restore();
    for (const proc of procs) {
      killedByUs.add(proc);
      if (proc.child.exitCode === null && proc.child.signalCode === null) proc.child.kill("SIGKILL");
    }
    await Promise.all(procs.map((p) => p.exited));
    await db?.end();
    await dropSchema(schema);
    await redis?.stop();
    await proxy?.close();
    rmSync(redisDir, { recursive: true, force: true });
  });

  it(`loses none of ${JOBS} jobs through SIGKILLs, a Redis restart and a database outage`, async () => {
    const started = Date.now();
    let faults = 0;
    const ids: string[] = [];
    for (let i = 0; i < JOBS; i += 50) {
      const batch = await Promise.all(
        Array.from({ length: Math.min(50, JOBS - i) }, (_, k) =>
          submit(`What is ${i + k}*3? [sim:tps=${40 + ((i + k) % 7) * 10}]`),
        ),
      );
      for (const answer of batch) {
        expect(answer.status).toBe(202);
        ids.push(((await answer.json()) as Job).id);
      }
    }

    // Cancels under load: some still queued, some running.
    const cancelled = ids.filter((_, i) => i % 25 === 0);
    const cancels = await Promise.all(
      cancelled.map((id) =>
        fetch(`${base}/v1/jobs/${id}/cancel`, { method: "POST", headers: { authorization: headers.authorization } }),
      ),
    );
    for (const answer of cancels) expect(answer.status, await answer.text()).toBeLessThan(300);

    const terminal = async () => {
      const { rows } = await db.query<{ n: string }>(
        `select count(*) as n from ${schema}.jobs where status in ('queued', 'running', 'retrying')`,
      );
      return Number(rows[0]?.n ?? 0);
    };
    const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));
    const random = (lo: number, hi: number) => lo + Math.random() * (hi - lo);

    // Redis stopped mid-run: new submissions refused with 503 and Retry-After, then recovery.
    await pause(2000);
    await redis.stop();
    faults++;
    const whileRedisDown = await submit("What is 1+1?");
    expect(whileRedisDown.status).toBe(503);
    expect(whileRedisDown.headers.get("retry-after")).toMatch(/^\d+$/);
    await pause(3000);
    redis = await startRedisServer(redis.port, { dir: redisDir, appendonly: true });
    await waitFor(async () => (await fetch(`${base}/readyz`)).status === 200, {
      what: "ready after Redis",
      timeoutMs: 60_000,
    });

    // PostgreSQL unreachable ~10 s: the API answers 503, workers hold what they finish.
    proxy.cut();
    faults++;
    const whileDbDown = await submit("What is 2+2?");
    expect(whileDbDown.status).toBe(503);
    expect(whileDbDown.headers.get("retry-after")).toMatch(/^\d+$/);
    expect((await fetch(`${base}/readyz`)).status).toBe(503);
    await pause(10_000);
    proxy.restore();

    // SIGKILLs at random moments, each worker replaced at once.
    for (let k = 0; k < 6; k++) {
      await pause(random(1500, 4000));
      const victim = workers[Math.floor(Math.random() * workers.length)];
      if (victim === undefined) continue;
      kill(victim, "SIGKILL");
      faults++;
      startWorker();
    }

    await waitFor(async () => (await terminal()) === 0, {
      what: "every job terminal",
      timeoutMs: 240_000,
      intervalMs: 500,
    });

    const { rows: jobs } = await db.query<{ id: string; status: string; attempts: number; output: unknown }>(
      `select id, status, attempts, output from ${schema}.jobs where id = any($1)`,
      [ids],
    );
    const { rows: attempts } = await db.query<{ job_id: string; attempt: number; outcome: string; started_at: Date }>(
      `select job_id, attempt, outcome, started_at from ${schema}.job_attempts where job_id = any($1) order by started_at`,
      [ids],
    );
    const lost =
      ids.length - jobs.filter((j) => ["succeeded", "failed", "cancelled", "incomplete"].includes(j.status)).length;
    const byJob = new Map<string, typeof attempts>();
    for (const a of attempts) byJob.set(a.job_id, [...(byJob.get(a.job_id) ?? []), a]);
    const duplicates = [...byJob.values()].filter(
      (list) => list.filter((a) => a.outcome === "succeeded").length > 1,
    ).length;
    const unledgered = jobs.filter((j) => j.attempts !== (byJob.get(j.id)?.length ?? 0)).length;
    const billedTwice = attempts.length - new Set(attempts.map((a) => `${a.job_id}/${a.attempt}`)).size;

    // Handover: from a kill to the next attempt of a job whose attempt was lost to it.
    const handovers: number[] = [];
    for (const list of byJob.values()) {
      list.forEach((a, i) => {
        const next = list[i + 1];
        if (a.outcome !== "lost" || next === undefined) return;
        const kill = kills.filter((t) => t >= a.started_at.getTime() && t <= next.started_at.getTime()).at(-1);
        if (kill !== undefined) handovers.push(next.started_at.getTime() - kill);
      });
    }
    handovers.sort((a, b) => a - b);
    const pct = (p: number) => handovers[Math.min(handovers.length - 1, Math.floor((p / 100) * handovers.length))] ?? 0;
    const counts = {
      jobs_submitted: ids.length,
      faults_injected: faults,
      jobs_lost: lost,
      duplicate_results: duplicates,
      attempts_not_in_ledger: unledgered,
      attempts_billed_twice: billedTwice,
      cancelled: jobs.filter((j) => j.status === "cancelled").length,
      succeeded: jobs.filter((j) => j.status === "succeeded").length,
      handovers: handovers.length,
      handover_p50_ms: pct(50),
      handover_p99_ms: pct(99),
      unexpected_exits: unexpectedExits,
      wall_s: Math.round((Date.now() - started) / 1000),
    };
    console.log(`faults: ${JSON.stringify(counts)}`);

    expect(lost).toBe(0);
    expect(duplicates).toBe(0);
    expect(unledgered).toBe(0);
    expect(billedTwice).toBe(0);
    expect(unexpectedExits).toBe(0);
    expect(api.child.exitCode).toBeNull();
    // Lock 10 s (at most since its last renewal) + stall check every 2 s bound the handover to
    // 12 s plus a free slot on the other worker; measured p99 on a loaded 2-core machine: 6–9 s.
    if (handovers.length > 0) expect(pct(99)).toBeLessThanOrEqual(HANDOVER_TARGET_MS);
    for (const id of cancelled) expect(["cancelled", "succeeded"]).toContain((await read(id)).status);
  });

  it("does not take a stream that outlives the lock from its live worker", async () => {
    // About 20 s of streaming, twice the default 10 s lock.
    const answer = await submit("What is 17*23? [sim:tps=6]");
    expect(answer.status).toBe(202);
    const { id } = (await answer.json()) as Job;
    const done = await waitFor(
      async () => {
        const job = await read(id);
        return ["succeeded", "failed", "cancelled"].includes(job.status) ? job : undefined;
      },
      { what: "the long stream done", timeoutMs: 120_000, intervalMs: 500 },
    );
    expect(done.status).toBe("succeeded");
    expect(done.attempts).toBe(1);
    const took = Date.parse(done.completed_at ?? "") - Date.parse(done.started_at ?? "");
    console.log(`faults: long stream ran ${Math.round(took / 1000)} s on one worker, attempts = ${done.attempts}`);
    expect(took).toBeGreaterThan(10_000);
  });

  it("on SIGTERM a worker finishes or hands back its jobs within the grace period", async () => {
    const answers = await Promise.all(Array.from({ length: 10 }, (_, i) => submit(`What is ${i}+5? [sim:tps=100]`)));
    const ids = await Promise.all(answers.map(async (a) => ((await a.json()) as Job).id));
    await waitFor(async () => (await read(ids[0] as string)).status !== "queued", { what: "jobs running" });
    const victim = workers[0];
    if (victim === undefined) throw new Error("no worker");
    const sent = Date.now();
    kill(victim, "SIGTERM");
    const exit = await victim.exited;
    const graceMs = Date.now() - sent;
    console.log(`faults: SIGTERM exit code ${exit.code} after ${graceMs} ms`);
    expect(exit.code).toBe(0);
    expect(graceMs).toBeLessThan(30_000);
    for (const id of ids) {
      const job = await waitFor(
        async () => {
          const j = await read(id);
          return ["succeeded", "failed", "cancelled"].includes(j.status) ? j : undefined;
        },
        { what: `job ${id} done`, timeoutMs: 60_000, intervalMs: 250 },
      );
      expect(job.status).toBe("succeeded");
    }
  });
});
