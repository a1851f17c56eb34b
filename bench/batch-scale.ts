/**
 * A 10,000-item × 2-variant batch on `sim`, with the API and a worker as separate real
 * processes on PostgreSQL and Redis. Prints the wall time from submit to completion and
 * each process's peak resident memory (VmHWM), and writes them to bench/results/.
 *
 *   node bench/batch-scale.ts [items] [variants: comma-separated models]
 *
 * Needs the local Redis and PostgreSQL the tests use (TEST_REDIS_URL, TEST_DATABASE_URL).
 */
import { type ChildProcess, spawn } from "node:child_process";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import pg from "pg";

const ITEMS = Number(process.argv[2] ?? 10_000);
const MODELS = (process.argv[3] ?? "sim/reasoner,sim/hasty").split(",");
const DATABASE = process.env.TEST_DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/test";
const REDIS = process.env.TEST_REDIS_URL ?? "redis://127.0.0.1:6379";
const CLI = fileURLToPath(new URL("../apps/cli/src/main.ts", import.meta.url));
const RESULTS = fileURLToPath(new URL("./results/", import.meta.url));

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer();
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

function peakRssMb(pid: number | undefined): number {
  const status = readFileSync(`/proc/${pid}/status`, "utf8");
  const kb = Number(/VmHWM:\s+(\d+)/.exec(status)?.[1] ?? 0);
  return Math.round(kb / 1024);
}

function start(args: string[], env: Record<string, string>): ChildProcess {
  return spawn(process.execPath, [CLI, ...args], {
    env: { ...process.env, ...env },
    stdio: ["ignore", "inherit", "inherit"],
  });
}

const schema = `rq_bench_${Date.now()}`;
const admin = new pg.Client({ connectionString: DATABASE });
await admin.connect();
await admin.query(`create schema ${schema}`);
const url = new URL(DATABASE);
url.searchParams.set("options", `-c search_path=${schema}`);
const key = "rq_bench_key_0123456789abcdef";
const port = await freePort();
const env = {
  DATABASE_URL: url.toString(),
  REDIS_URL: REDIS,
  REASONQ_QUEUE_PREFIX: schema,
  REASONQ_API_KEYS: key,
  REASONQ_SIM_TOKENS_PER_SECOND: "1000000",
  // The per-key request limit (1,200 a minute by default) would answer most submits 429.
  REASONQ_RATE_LIMIT_PER_MINUTE: "0",
  REASONQ_WORKER_CONCURRENCY: "32",
  LOG_LEVEL: "warn",
  PORT: String(port),
};

const dir = join(tmpdir(), schema);
mkdirSync(dir, { recursive: true });
const dataset = join(dir, "arithmetic.jsonl");
writeFileSync(
  dataset,
  Array.from({ length: ITEMS }, (_, i) =>
    JSON.stringify({
      id: `q${i}`,
      prompt: `What is ${i % 97}*${(i % 89) + 3}+${i % 7}?`,
      expected: String((i % 97) * ((i % 89) + 3) + (i % 7)),
    }),
  ).join("\n"),
);

const api = start(["api"], env);
const worker = start(["worker"], env);
const base = `http://127.0.0.1:${port}`;
const headers = { authorization: `Bearer ${key}` };
for (let i = 0; ; i++) {
  const ok = await fetch(`${base}/healthz`).then(
    (r) => r.ok,
    () => false,
  );
  if (ok) break;
  if (i > 300) throw new Error("the API did not start");
  await new Promise((r) => setTimeout(r, 100));
}

const started = performance.now();
const upload = await fetch(`${base}/v1/datasets?name=bench`, {
  method: "POST",
  headers: { ...headers, "content-type": "application/x-ndjson" },
  body: readFileSync(dataset),
});
const { id: datasetId } = (await upload.json()) as { id: string };
const uploadedMs = performance.now() - started;
const created = await fetch(`${base}/v1/batches`, {
  method: "POST",
  headers: { ...headers, "content-type": "application/json" },
  body: JSON.stringify({
    name: "scale",
    dataset_id: datasetId,
    variants: MODELS.map((model) => ({ model })),
    scorer: { type: "numeric" },
  }),
});
const { id: batchId } = (await created.json()) as { id: string };
let batch: {
  status: string;
  progress: { finished_jobs: number; total_jobs: number };
  spent_usd: string;
  variants: Array<{ label: string; accuracy: number }>;
};
for (;;) {
  await new Promise((r) => setTimeout(r, 1000));
  batch = (await (await fetch(`${base}/v1/batches/${batchId}`, { headers })).json()) as typeof batch;
  if (batch.status !== "running") break;
}
const wallMs = performance.now() - started;
const report = await fetch(`${base}/v1/batches/${batchId}/report`, { headers });
const reportBytes = (await report.text()).length;
const figures = {
  date: new Date().toISOString(),
  items: ITEMS,
  variants: MODELS,
  jobs: batch.progress.total_jobs,
  status: batch.status,
  upload_seconds: Math.round(uploadedMs) / 1000,
  wall_seconds: Math.round(wallMs) / 1000,
  jobs_per_second: Math.round((batch.progress.total_jobs / wallMs) * 1000 * 10) / 10,
  api_peak_rss_mb: peakRssMb(api.pid),
  worker_peak_rss_mb: peakRssMb(worker.pid),
  report_bytes: reportBytes,
  spent_usd: batch.spent_usd,
  accuracy: Object.fromEntries(batch.variants.map((v) => [v.label, v.accuracy])),
};
console.log(JSON.stringify(figures, null, 2));
mkdirSync(RESULTS, { recursive: true });
writeFileSync(join(RESULTS, "batch-scale.json"), `${JSON.stringify(figures, null, 2)}\n`);

api.kill("SIGTERM");
worker.kill("SIGTERM");
await Promise.all([api, worker].map((p) => new Promise((r) => p.once("exit", r))));
await admin.query(`drop schema ${schema} cascade`);
await admin.end();
