import type { Latency } from "./lib/stats.ts";

export interface Row {
  measure: string;
  baseline: string;
  reasonq: string;
  /** reasonq against its baseline, when the measure has one. */
  ratio: string;
  target: string;
  /** Undefined when the run did not produce the figure. */
  met: boolean | undefined;
}

interface Throughput {
  jobs_per_second: number;
}
interface Load {
  requests_per_second: number;
  p50_ms: number;
  p99_ms: number;
}
interface Follow {
  followers: number;
  open_seconds: number;
  kb_per_connection: number;
  redis_connections?: number;
  dropped: number;
}

const pct = (value: number) => `${(value * 100).toFixed(1)}%`;
const ms = (l: Pick<Latency, "p50_ms" | "p99_ms">) => `p50 ${l.p50_ms} ms, p99 ${l.p99_ms} ms`;

function throughputRow(measure: string, base?: Throughput, ours?: Throughput, target = 0.25): Row {
  const ratio = base && ours ? ours.jobs_per_second / base.jobs_per_second : undefined;
  return {
    measure,
    baseline: base ? `raw BullMQ no-op drain ${base.jobs_per_second} jobs/s` : "—",
    reasonq: ours ? `${ours.jobs_per_second} jobs/s` : "—",
    ratio: ratio === undefined ? "—" : pct(ratio),
    target: `≥ ${pct(target)}`,
    met: ratio === undefined ? undefined : ratio >= target,
  };
}

function latencyRow(measure: string, baseline: string, ours: Latency | undefined, ratio = "—"): Row {
  return {
    measure,
    baseline,
    reasonq: ours ? ms(ours) : "—",
    ratio,
    target: "p50 ≤ 2 ms, p99 ≤ 10 ms",
    met: ours === undefined ? undefined : ours.p50_ms <= 2 && ours.p99_ms <= 10,
  };
}

/** The table's rows from the run's figures, each with its target and whether it was met. */
export function verdicts(f: Record<string, unknown>): Row[] {
  const drain = f.bullmq_drain as Throughput | undefined;
  const hello = f.fastify_hello as Load | undefined;
  const submit = f.submit_only as Load | undefined;
  const addToStart = f.bullmq_add_to_start as Latency | undefined;
  const single = f.pg_single_job as { submit_to_start: Latency; completed_to_read: Latency } | undefined;
  const chat = f.chat as { direct: Latency; added: Pick<Latency, "p50_ms" | "p99_ms"> } | undefined;
  const bare = f.sse_bare as Follow | undefined;
  const ours = f.sse_reasonq as Follow | undefined;
  const submitRatio = hello && submit ? submit.requests_per_second / hello.requests_per_second : undefined;
  return [
    throughputRow(
      "end to end, instant sim, api + worker on PostgreSQL",
      drain,
      f.pg_end_to_end as Throughput | undefined,
    ),
    throughputRow("same, `reasonq serve` (PGlite)", drain, f.serve_end_to_end as Throughput | undefined, 0.08),
    {
      measure: "`POST /v1/jobs` alone, 64 connections",
      baseline: hello ? `bare Fastify hello ${hello.requests_per_second} req/s` : "—",
      reasonq: submit ? `${submit.requests_per_second} req/s, p50 ${submit.p50_ms} ms` : "—",
      ratio: submitRatio === undefined ? "—" : pct(submitRatio),
      target: "≥ 25%",
      met: submitRatio === undefined ? undefined : submitRatio >= 0.25,
    },
    latencyRow(
      "submit → `started_at`, one job at a time",
      addToStart ? `BullMQ add→start p50 ${addToStart.p50_ms} ms` : "—",
      single?.submit_to_start,
      addToStart && single ? `${(single.submit_to_start.p50_ms / addToStart.p50_ms).toFixed(0)}×` : "—",
    ),
    latencyRow("`completed_at` → readable by a long-polling GET", "—", single?.completed_to_read),
    {
      ...latencyRow(
        "sync `/v1/chat/completions` added over calling the provider directly",
        chat ? `mock called directly ${ms(chat.direct)}` : "—",
        chat ? { n: 0, ...chat.added } : undefined,
      ),
    },
    {
      measure: `${ours?.followers ?? bare?.followers ?? "—"} SSE followers of live jobs`,
      baseline: bare ? `bare node:http SSE, same event rate: ${bare.kb_per_connection} KB/conn` : "—",
      reasonq: ours
        ? `${ours.kb_per_connection} KB/conn, ${ours.redis_connections} Redis connections, ${ours.open_seconds} s to open, ${ours.dropped} dropped`
        : "—",
      ratio: bare && ours ? `${(ours.kb_per_connection / bare.kb_per_connection).toFixed(1)}×` : "—",
      target: "≤ 50 KB/conn, no connection per follower",
      met:
        ours === undefined
          ? undefined
          : ours.kb_per_connection <= 50 && (ours.redis_connections ?? 0) < 10 && ours.dropped === 0,
    },
  ];
}

export function table(rows: readonly Row[]): string {
  const lines = ["| measure | baseline (same run) | reasonq | ratio | target | met |", "|---|---|---|---|---|---|"];
  for (const r of rows) {
    const met = r.met === undefined ? "—" : r.met ? "yes" : "**no**";
    lines.push(`| ${r.measure} | ${r.baseline} | ${r.reasonq} | ${r.ratio} | ${r.target} | ${met} |`);
  }
  return lines.join("\n");
}
