import { createReadStream, mkdirSync, writeFileSync } from "node:fs";
import { basename, dirname, extname, join, resolve } from "node:path";
import { Readable } from "node:stream";
import { setTimeout as delay } from "node:timers/promises";
import type { Batch } from "@reasonq/core";
import {
  type DatasetFormat,
  type DatasetItem,
  datasetFormatOf,
  expandVariants,
  loadDatasetFile,
  suggestScorer,
} from "@reasonq/eval";
import { formatTable } from "../table.ts";
import { type ClientEnv, clientFrom } from "./client-commands.ts";

export interface EvalOptions {
  models: string;
  effort?: string;
  budget?: string;
  repeats?: string;
  scorer?: string;
  tolerance?: string;
  pattern?: string;
  maxCost?: string;
  out?: string;
  minAccuracy?: string;
  name?: string;
  /** `interactive` (default) or `provider-batch`. */
  lane?: string;
}

export interface EvalOutput {
  /** Progress, redrawn in place on a terminal. */
  progress(line: string): void;
  out(line: string): void;
  interactive: boolean;
}

const CONTENT_TYPES: Record<DatasetFormat, string> = { jsonl: "application/x-ndjson", csv: "text/csv" };
const list = (value: string | undefined) =>
  value === undefined
    ? []
    : value
        .split(",")
        .map((s) => s.trim())
        .filter((s) => s.length > 0);

/**
 * The scorer when none is named (`suggestScorer`: choice, numeric or exact). The dataset
 * is read and checked here too, so a broken file is reported before anything is uploaded.
 */
async function inferScorer(path: string, format: DatasetFormat): Promise<{ type: string }> {
  const stream = loadDatasetFile(path, format);
  const items: DatasetItem[] = [];
  for await (const item of stream) items.push(item);
  if (stream.errors.length > 0) {
    const shown = stream.errors
      .slice(0, 10)
      .map((e) => `  line ${e.line}${e.field ? ` ${e.field}` : ""}: ${e.message}`);
    throw new Error(`${path} has problems:\n${shown.join("\n")}`);
  }
  return suggestScorer(items);
}

function scorerFrom(options: EvalOptions): ({ type: string } & Record<string, unknown>) | undefined {
  if (options.scorer === undefined) return undefined;
  const scorer: { type: string } & Record<string, unknown> = { type: options.scorer };
  if (options.tolerance !== undefined) scorer.tolerance = Number(options.tolerance);
  if (options.pattern !== undefined) scorer.pattern = options.pattern;
  return scorer;
}

function laneFrom(value: string | undefined): "interactive" | "provider_batch" {
  if (value === undefined || value === "interactive") return "interactive";
  if (value === "provider-batch" || value === "provider_batch") return "provider_batch";
  throw new Error(`--lane must be interactive or provider-batch, not "${value}"`);
}

const pct = (x: number | null) => (x === null ? "–" : `${(x * 100).toFixed(1)}%`);

export function summaryTable(batch: Batch): string {
  const rows = (batch.variants ?? []).map((v) => [
    v.label,
    String(v.n),
    pct(v.accuracy),
    v.accuracy_ci95 === null ? "–" : `[${pct(v.accuracy_ci95.low)}, ${pct(v.accuracy_ci95.high)}]`,
    v.reasoning_tokens.mean === null ? "–" : Math.round(v.reasoning_tokens.mean).toString(),
    `$${v.total_cost}`,
    v.cost_per_correct === null ? "–" : `$${v.cost_per_correct}`,
    v.latency_ms.p50 === null ? "–" : `${Math.round(v.latency_ms.p50)}`,
  ]);
  return formatTable(
    ["variant", "n", "accuracy", "95% CI", "reasoning tok (mean)", "cost", "cost/correct", "p50 ms"],
    rows,
  );
}

function progressLine(batch: Batch): string {
  const p = batch.progress;
  const width = 30;
  const done = p.total_jobs === 0 ? 1 : p.finished_jobs / p.total_jobs;
  const bar = "█".repeat(Math.round(done * width)).padEnd(width, "░");
  const graded = (batch.variants ?? []).reduce((s, v) => s + v.n, 0);
  const correct = (batch.variants ?? []).reduce((s, v) => s + v.correct, 0);
  const accuracy = graded === 0 ? "–" : pct(correct / graded);
  return `${bar} ${p.finished_jobs}/${p.total_jobs}  accuracy ${accuracy}  spent $${batch.spent_usd}`;
}

/**
 * `reasonq eval <dataset>`: uploads the dataset, runs models × efforts/budgets × repeats
 * as a batch, shows progress, prints the summary, writes the report, and returns the
 * exit code (1 when a variant's accuracy is below `--min-accuracy`).
 */
export async function runEval(
  env: ClientEnv,
  datasetPath: string,
  options: EvalOptions,
  io: EvalOutput,
): Promise<number> {
  const lane = laneFrom(options.lane);
  const client = clientFrom(env);
  const path = resolve(datasetPath);
  const format = datasetFormatOf(path);
  if (format === null) throw new Error(`cannot tell the format of ${path}: name it .jsonl or .csv`);
  const scorer = scorerFrom(options) ?? (await inferScorer(path, format));
  const grid = expandVariants({
    models: list(options.models),
    efforts: list(options.effort) as never,
    budgets: list(options.budget).map(Number),
    repeats: options.repeats === undefined ? 1 : Number(options.repeats),
  });

  const stream = Readable.toWeb(createReadStream(path)) as ReadableStream<Uint8Array>;
  const dataset = await client.uploadDataset(stream, CONTENT_TYPES[format], basename(path));
  io.out(`dataset ${dataset.id}: ${dataset.item_count} items from ${basename(path)}; scorer ${scorer.type}`);
  const created = await client.createBatch({
    name: options.name ?? `${basename(path, extname(path))}: ${list(options.models).join(" vs ")}`,
    dataset_id: dataset.id,
    variants: grid.variants.map((v) => ({
      model: v.model,
      label: v.label,
      ...(v.reasoning === null ? {} : { reasoning: v.reasoning }),
    })),
    scorer,
    repeats: grid.repeats,
    ...(options.maxCost === undefined ? {} : { max_cost_usd: options.maxCost }),
    ...(lane === "provider_batch" ? { lane } : {}),
  });
  io.out(`batch ${created.id}: ${created.progress.total_jobs} jobs (${grid.variants.length} variants)`);

  let batch = created;
  while (batch.status === "running") {
    await delay(io.interactive ? 500 : 2000);
    batch = await client.getBatch(created.id);
    io.progress(progressLine(batch));
  }
  io.out("");
  io.out(
    `batch ${batch.status}${batch.stop_reason === null ? "" : ` (${batch.stop_reason})`}; spent $${batch.spent_usd}`,
  );
  io.out(summaryTable(batch));
  const saving = batch.provider_batch_saving;
  if (saving !== undefined && saving !== null) {
    io.out(
      `lane provider_batch: spent $${saving.spent_usd}; at the interactive price $${saving.interactive_usd}; saved $${saving.saved_usd}`,
    );
  }

  // By default under the data directory (./.reasonq, ignored by git and the linter), never
  // loose in the working tree, where a repository's own checks would pick it up.
  const out = resolve(options.out ?? join(env.dataDir, "reports", `reasonq-report-${batch.id}.html`));
  mkdirSync(dirname(out), { recursive: true });
  writeFileSync(out, await client.batchReport(batch.id));
  io.out(`report: ${out}`);

  if (options.minAccuracy !== undefined) {
    const min = Number(options.minAccuracy);
    const below = (batch.variants ?? []).filter((v) => v.accuracy === null || v.accuracy < min);
    if (below.length > 0) {
      io.out(`below --min-accuracy ${min}: ${below.map((v) => `${v.label} (${pct(v.accuracy)})`).join(", ")}`);
      return 1;
    }
  }
  return 0;
}
