/**
 * How fast the `reasonq` command starts: wall time (median of N runs) and peak memory of
 * `reasonq --help` and `reasonq get <id>`, through the installed entry (apps/cli/bin/reasonq.js,
 * which turns on Node's compile cache) and straight from the TypeScript source (no cache).
 * `get` asks a local stub that answers like the API, so only the client is measured.
 * Prints a table and writes bench/results/cli-start.json.
 *
 *   node bench/cli-start.ts [runs]
 */
import { spawn } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
import { createServer } from "node:http";
import { cpus, loadavg } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const RUNS = Number(process.argv[2] ?? 15);
const ENTRIES = {
  "bin/reasonq.js": fileURLToPath(new URL("../apps/cli/bin/reasonq.js", import.meta.url)),
  "src/main.ts": fileURLToPath(new URL("../apps/cli/src/main.ts", import.meta.url)),
};
const RESULTS = fileURLToPath(new URL("./results/", import.meta.url));
// Reports the child's peak resident memory and CPU time on exit, on stderr's last line. CPU
// time barely moves when other processes compete for the cores; wall time does.
const REPORT_USAGE = `data:text/javascript,process.on("exit",()=>{const u=process.resourceUsage();process.stderr.write("\\nusage "+u.maxRSS+" "+(u.userCPUTime+u.systemCPUTime)+"\\n")})`;

const job = {
  id: "job_01KBENCH00000000000000000",
  object: "job",
  status: "succeeded",
  model: "sim/reasoner",
  provider: "sim",
  source: "api",
  created_at: new Date().toISOString(),
  started_at: null,
  first_token_at: null,
  completed_at: null,
  attempts: 1,
  resolved_params: null,
  batch_id: null,
  metadata: {},
  output: { answer: "The answer is 391.", reasoning: "17*23 = 391", reasoning_kind: "full", thinking_blocks: [] },
  usage: { input_tokens: 12, output_tokens: 20, reasoning_tokens: 8, answer_tokens: 12 },
  cost: { total: "0.0000123", price_source: "bench" },
  incomplete_reason: null,
  warnings: [],
  error: null,
};

const server = createServer((request, response) => {
  response.setHeader("content-type", "application/json");
  response.end(JSON.stringify(request.url?.startsWith("/v1/jobs/") ? job : { error: { type: "not_found" } }));
});
await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
const { port } = server.address() as { port: number };

interface Sample {
  ms: number;
  cpuMs: number;
  rssMb: number;
}

function run(entry: string, args: string[], cache: boolean): Promise<Sample> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(process.execPath, ["--import", REPORT_USAGE, entry, ...args], {
      env: {
        PATH: process.env.PATH ?? "",
        REASONQ_URL: `http://127.0.0.1:${port}`,
        REASONQ_API_KEY: "rq_bench",
        ...(cache ? {} : { NODE_DISABLE_COMPILE_CACHE: "1" }),
      },
      stdio: ["ignore", "ignore", "pipe"],
    });
    let stderr = "";
    child.stderr.on("data", (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    child.on("error", reject);
    child.on("exit", (code) => {
      const ms = performance.now() - started;
      if (code !== 0) return reject(new Error(`${entry} ${args.join(" ")} exited ${code}: ${stderr}`));
      const [, kb, cpuUs] = /usage (\d+) (\d+)/.exec(stderr) ?? [];
      resolve({ ms, cpuMs: Number(cpuUs) / 1000, rssMb: Math.round(Number(kb) / 1024) });
    });
  });
}

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] as number;
};

const figures: Array<{
  command: string;
  entry: string;
  median_ms: number;
  min_ms: number;
  median_cpu_ms: number;
  peak_rss_mb: number;
}> = [];
for (const [command, args] of [
  ["--help", ["--help"]],
  ["get", ["get", job.id]],
] as const) {
  for (const [entry, path] of Object.entries(ENTRIES)) {
    const cache = entry === "bin/reasonq.js";
    await run(path, [...args], cache); // warms the OS file cache (and the compile cache for the bin entry)
    const samples: Sample[] = [];
    for (let i = 0; i < RUNS; i++) samples.push(await run(path, [...args], cache));
    figures.push({
      command: `reasonq ${command}`,
      entry,
      median_ms: Math.round(median(samples.map((s) => s.ms))),
      min_ms: Math.round(Math.min(...samples.map((s) => s.ms))),
      median_cpu_ms: Math.round(median(samples.map((s) => s.cpuMs))),
      peak_rss_mb: median(samples.map((s) => s.rssMb)),
    });
  }
}
server.close();

const result = {
  benchmark: "cli-start",
  runs: RUNS,
  node: process.version,
  cpus: cpus().length,
  load_average_1m: Number(loadavg()[0]?.toFixed(2)),
  measured_at: new Date().toISOString(),
  figures,
};
console.log(`reasonq start time, median of ${RUNS} runs (node ${process.version}, load ${result.load_average_1m})`);
for (const f of figures) {
  console.log(
    `${f.command.padEnd(16)} ${f.entry.padEnd(16)} median ${String(f.median_ms).padStart(5)} ms  min ${String(f.min_ms).padStart(5)} ms  CPU ${String(f.median_cpu_ms).padStart(5)} ms  peak RSS ${f.peak_rss_mb} MB`,
  );
}
mkdirSync(RESULTS, { recursive: true });
writeFileSync(join(RESULTS, "cli-start.json"), `${JSON.stringify(result, null, 2)}\n`);
console.log(`wrote ${join(RESULTS, "cli-start.json")}`);
