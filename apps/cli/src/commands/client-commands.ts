import type { Job, JobRequest, ReasoningEffort } from "@reasonq/core";
import { ReasonqClient } from "../client.ts";
import { readCredentials } from "../credentials.ts";

export interface ClientEnv {
  REASONQ_URL?: string | undefined;
  REASONQ_API_KEY?: string | undefined;
  dataDir: string;
}

/** REASONQ_URL / REASONQ_API_KEY, else what `reasonq serve` saved in the data directory. */
export function clientFrom(env: ClientEnv): ReasonqClient {
  const saved = readCredentials(env.dataDir);
  const url = env.REASONQ_URL ?? saved?.url ?? "http://127.0.0.1:8787";
  const apiKey = env.REASONQ_API_KEY ?? saved?.api_key;
  if (apiKey === undefined) {
    throw new Error(
      "no API key: set REASONQ_API_KEY, or run `pnpm reasonq serve` here once (it saves one in the data directory)",
    );
  }
  return new ReasonqClient({ url, apiKey });
}

export interface SubmitOptions {
  model: string;
  effort?: string;
  budget?: string;
  maxOutputTokens?: string;
  system?: string;
  wait?: string;
  json?: boolean;
}

function parseCount(value: string, flag: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0) throw new Error(`${flag} must be a whole number`);
  return n;
}

export function buildRequest(prompt: string, options: SubmitOptions): JobRequest {
  const request: JobRequest = { model: options.model, prompt };
  // The server checks the effort (a 400 naming reasoning.effort): client commands load no schemas.
  if (options.effort !== undefined) request.reasoning = { effort: options.effort as ReasoningEffort };
  if (options.budget !== undefined) request.reasoning = { budget_tokens: parseCount(options.budget, "--budget") };
  if (options.maxOutputTokens !== undefined) {
    request.max_output_tokens = parseCount(options.maxOutputTokens, "--max-output-tokens");
  }
  if (options.system !== undefined) request.system = options.system;
  return request;
}

/** A finished job as a person reads it; `--json` gives the API's shape instead. */
export function formatJob(job: Job): string {
  const lines = [`${job.id}  ${job.status}  ${job.model}`];
  if (job.output !== null) {
    if (job.output.reasoning !== "") lines.push("", "── reasoning ──", job.output.reasoning);
    lines.push("", "── answer ──", job.output.answer === "" ? "(empty)" : job.output.answer);
  }
  if (job.usage !== null) {
    const u = job.usage;
    lines.push(
      "",
      `tokens: input ${u.input_tokens}, output ${u.output_tokens} (reasoning ${u.reasoning_tokens}, answer ${u.answer_tokens})`,
    );
  }
  if (job.cost !== null) lines.push(`cost: $${job.cost.total} (${job.cost.price_source})`);
  if (job.error !== null) lines.push(`error: ${job.error.type}: ${job.error.message}`);
  for (const warning of job.warnings) lines.push(`warning: ${warning.message}`);
  return lines.join("\n");
}

export async function submit(env: ClientEnv, prompt: string, options: SubmitOptions, out: (s: string) => void) {
  const client = clientFrom(env);
  let job = await client.submit(buildRequest(prompt, options));
  if (options.wait !== undefined) job = await waitForJob(client, job.id, parseCount(options.wait, "--wait"));
  out(options.json ? JSON.stringify(job, null, 2) : formatJob(job));
}

export async function get(
  env: ClientEnv,
  id: string,
  options: { wait?: string; json?: boolean },
  out: (s: string) => void,
) {
  const client = clientFrom(env);
  const job =
    options.wait === undefined
      ? await client.get(id)
      : await waitForJob(client, id, parseCount(options.wait, "--wait"));
  out(options.json ? JSON.stringify(job, null, 2) : formatJob(job));
}

const TERMINAL = new Set(["succeeded", "incomplete", "failed", "cancelled"]);

/** Long-polls in steps of at most 60 s (the server's bound) until the job ends or time is up. */
async function waitForJob(client: ReasonqClient, id: string, seconds: number): Promise<Job> {
  const deadline = Date.now() + seconds * 1000;
  for (;;) {
    const left = Math.ceil((deadline - Date.now()) / 1000);
    const job = await client.get(id, Math.max(0, Math.min(60, left)));
    if (TERMINAL.has(job.status) || Date.now() >= deadline) return job;
  }
}
