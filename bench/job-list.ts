/**
 * The job list at scale: 100,000 jobs of one key (plus 20,000 of another) in PostgreSQL,
 * then pages of 50 read through the store, newest first, at the start, at depth by cursor,
 * and with each filter the console offers. Prints each page's median time and the query
 * plan of a deep page, and writes them to bench/results/job-list.json.
 *
 *   node bench/job-list.ts [jobs]
 *
 * Needs the PostgreSQL the tests use (TEST_DATABASE_URL); works in a schema of its own.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { createStore } from "@reasonq/store";
import pg from "pg";

const JOBS = Number(process.argv[2] ?? 100_000);
const DATABASE = process.env.TEST_DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/test";
const RESULTS = fileURLToPath(new URL("./results/", import.meta.url));
const SCHEMA = `bench_job_list_${process.pid}`;
const RUNS = 15;

const store = await createStore({ kind: "postgres", url: DATABASE, schema: SCHEMA });
const client = new pg.Client({ connectionString: DATABASE, options: `-c search_path=${SCHEMA}` });
await client.connect();
try {
  const key = (await store.apiKeys.create("bench")).apiKey.id;
  const other = (await store.apiKeys.create("other")).apiKey.id;
  const started = performance.now();
  // Sortable ids as the service makes them: a prefix and a zero-padded counter keep the order of creation.
  const fill = async (apiKeyId: string, n: number, prefix: string) =>
    client.query(
      `insert into jobs (id, api_key_id, status, model, provider, spec, metadata, warnings, batch_id)
       select $2 || lpad(i::text, 9, '0'), $1,
              (array['succeeded','succeeded','succeeded','failed','incomplete','cancelled'])[1 + i % 6],
              (array['sim/reasoner','sim/hasty','anthropic/claude-sonnet-4-6'])[1 + i % 3],
              case when i % 3 = 2 then 'anthropic' else 'sim' end,
              '{}'::jsonb, jsonb_build_object('ticket', 'T-' || (i % 1000)), '[]'::jsonb,
              case when i % 10 = 0 then 'bat_bench' else null end
       from generate_series(1, $3) as i`,
      [apiKeyId, prefix, n],
    );
  await fill(key, JOBS, "job_A");
  await fill(other, Math.round(JOBS / 5), "job_B");
  await client.query("analyze jobs");
  const fillMs = Math.round(performance.now() - started);

  const deepCursor = `job_A${String(Math.round(JOBS / 2)).padStart(9, "0")}`;
  const cases = {
    "first page": {},
    "page at depth (cursor at the middle)": { after: deepCursor },
    "status=failed": { status: "failed" as const },
    "model=sim/hasty, at depth": { model: "sim/hasty", after: deepCursor },
    batch_id: { batchId: "bat_bench" },
    "metadata ticket:T-7": { metadata: { ticket: "T-7" } },
  };
  const figures: Array<{ page: string; median_ms: number; rows: number }> = [];
  for (const [name, filter] of Object.entries(cases)) {
    const times: number[] = [];
    let rows = 0;
    for (let i = 0; i < RUNS; i++) {
      const t = performance.now();
      rows = (await store.jobs.list({ apiKeyId: key, limit: 50, ...filter })).rows.length;
      times.push(performance.now() - t);
    }
    times.sort((a, b) => a - b);
    figures.push({ page: name, median_ms: Number((times[Math.floor(RUNS / 2)] as number).toFixed(2)), rows });
  }
  const plan = await client.query(
    "explain (analyze, buffers, costs off) select * from jobs where api_key_id = $1 and id < $2 order by id desc limit 51",
    [key, deepCursor],
  );
  const planText = plan.rows.map((row: Record<string, string>) => row["QUERY PLAN"]).join("\n");

  console.log(`job list over ${JOBS} jobs of one key (filled in ${fillMs} ms); pages of 50, median of ${RUNS}`);
  for (const f of figures) console.log(`${f.page.padEnd(40)} ${String(f.median_ms).padStart(8)} ms  ${f.rows} rows`);
  console.log(`\nplan of the page at depth:\n${planText}`);
  mkdirSync(RESULTS, { recursive: true });
  writeFileSync(
    join(RESULTS, "job-list.json"),
    `${JSON.stringify({ benchmark: "job-list", jobs: JOBS, measured_at: new Date().toISOString(), figures, plan: planText }, null, 2)}\n`,
  );
} finally {
  await client.query(`drop schema if exists ${SCHEMA} cascade`);
  await client.end();
  await store.close();
}
