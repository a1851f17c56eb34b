import { readFileSync } from "node:fs";
import { request as httpRequest } from "node:http";
import { Readable } from "node:stream";
import { computeCost, priceCatalog, priceFor } from "@reasonq/billing";
import type { Job } from "@reasonq/core";
import { catalog, createAdapters, ResultAssembler } from "@reasonq/providers";
import { testDatabases } from "@reasonq/testkit";
import { Decimal } from "decimal.js";
import { pino } from "pino";
import { describe, expect, it } from "vitest";
import { importLog, MAX_LOG_LINE_BYTES, readLines } from "../src/routes/v1/logs.ts";
import { auth, useHarness } from "./harness.ts";

const FIXTURES = new URL("../../../packages/providers/src/", import.meta.url);
const fixture = (path: string): Record<string, unknown> => JSON.parse(readFileSync(new URL(path, FIXTURES), "utf8"));

/** The adapters a worker uses, to compute what a run job gets from the same provider response. */
const adapters = createAdapters({ simTokensPerSecond: 1000 });

/** A DeepSeek off-peak hour (peak is Beijing weekdays 9–12, 14–18); a Friday. */
const STARTED_AT = "2026-11-20T03:00:00.000Z";
const COMPLETED_AT = "2026-11-20T03:00:42.000Z";

/** Output, usage and cost a run job stores for this response: the adapter's mapping, the assembler, the catalog. */
function asRunJob(family: string, modelName: string, response: unknown, at = STARTED_AT) {
  const model = catalog.resolve(modelName).model;
  const mapResponse = adapters.get(family).mapResponse;
  if (mapResponse === undefined) throw new Error(`${family} has no mapResponse`);
  const assembler = new ResultAssembler(model, { include: true });
  for (const event of mapResponse(structuredClone(response), model)) assembler.push(event);
  const result = assembler.result();
  const usage = result.usage;
  if (usage === null) throw new Error("no usage");
  const cost = computeCost(usage, priceFor(model.id, new Date(at), usage, priceCatalog));
  return { model: model.id, output: result.output, usage, cost };
}

const ANTHROPIC_THINKING: Record<string, unknown> & { content: unknown[] } = {
  ...(fixture("anthropic/__fixtures__/anthropic-thinking.json") as { content: unknown[] }),
  model: "claude-sonnet-4-6",
};
const ANTHROPIC_LENGTH = fixture("anthropic/__fixtures__/anthropic-length.json");
const GEMINI = fixture("google/__fixtures__/google-reasoning.json");
const OPENAI_CHAT = fixture("openai/__fixtures__/openai-chat-o4-mini.json");
const OPENAI_RESPONSES = fixture("openai/__fixtures__/openai-responses-gpt-5.2.json");
const DEEPSEEK = fixture("deepseek/__fixtures__/deepseek-reasoning.json");

const PROMPT = "Are there infinitely many primes p ≡ 3 (mod 4)?";

const FORMATS = [
  {
    name: "Anthropic Messages: thinking + redacted thinking + signature, provider thinking count",
    format: "anthropic",
    family: "anthropic",
    model: "claude-sonnet-4-6",
    request: {
      model: "claude-sonnet-4-6",
      max_tokens: 16000,
      thinking: { type: "enabled", budget_tokens: 10000 },
      messages: [{ role: "user", content: PROMPT }],
    },
    response: ANTHROPIC_THINKING,
  },
  {
    name: "Anthropic Messages: cut at max_tokens, no thinking count (estimated), incomplete",
    format: "anthropic",
    family: "anthropic",
    model: "claude-sonnet-4-6",
    request: { model: "claude-sonnet-4-6", max_tokens: 2048, messages: [{ role: "user", content: PROMPT }] },
    response: ANTHROPIC_LENGTH,
  },
  {
    name: "Gemini: thought parts, thoughtsTokenCount, thought signature",
    format: "gemini",
    family: "google",
    model: "gemini-2.5-flash",
    request: {
      contents: [{ role: "user", parts: [{ text: "How many r's in strawberry?" }] }],
      generationConfig: { thinkingConfig: { includeThoughts: true, thinkingBudget: 2048 } },
    },
    response: GEMINI,
  },
  {
    name: "OpenAI o-series Chat Completions: hidden reasoning, dated snapshot name",
    format: "openai-chat",
    family: "openai",
    model: "o4-mini",
    request: { model: "o4-mini", reasoning_effort: "high", messages: [{ role: "user", content: PROMPT }] },
    response: OPENAI_CHAT,
  },
  {
    name: "OpenAI Responses: reasoning summary",
    format: "openai-responses",
    family: "openai",
    model: "gpt-5.2",
    request: { model: "gpt-5.2", reasoning: { effort: "high", summary: "auto" }, input: PROMPT },
    response: OPENAI_RESPONSES,
  },
  {
    name: "DeepSeek: reasoning_content",
    format: "deepseek",
    family: "deepseek",
    model: "deepseek-v4-flash",
    request: { model: "deepseek-v4-flash", messages: [{ role: "user", content: "How many r's in strawberry?" }] },
    response: DEEPSEEK,
  },
] as const;

/** The gateway shape (LiteLLM's, and reasonq's own /v1/chat/completions): reasoning and blocks on the message. */
const GATEWAY_BLOCKS = [
  { type: "thinking", thinking: "Suppose finitely many; form 4P−1.", signature: "EqQBCkgIARAB-gateway-sig" },
  { type: "redacted_thinking", data: "EmwKAhgBEgy3-gateway-redacted" },
];
const GATEWAY = {
  id: "chatcmpl-gateway-1",
  object: "chat.completion",
  created: 1763600000,
  model: "anthropic/claude-sonnet-4-6",
  choices: [
    {
      index: 0,
      message: {
        role: "assistant",
        content: "Yes: 4P−1 has a prime factor ≡ 3 (mod 4) outside the list.",
        reasoning_content: "Suppose finitely many; form 4P−1.",
        thinking_blocks: GATEWAY_BLOCKS,
      },
      finish_reason: "stop",
    },
  ],
  usage: {
    prompt_tokens: 60,
    completion_tokens: 900,
    total_tokens: 960,
    prompt_tokens_details: { cached_tokens: 20 },
    completion_tokens_details: { reasoning_tokens: 700 },
  },
};

interface LogAnswer {
  object: "log";
  job: Job;
  created: boolean;
  format: string;
}

describe.each(testDatabases())("POST /v1/logs on $name", ({ options }) => {
  const h = useHarness(options);

  function log(body: unknown, key = h.keys.a) {
    return h.app.inject({ method: "POST", url: "/v1/logs", headers: auth(key), payload: body as object });
  }

  async function read(id: string): Promise<Job> {
    const answer = await h.app.inject({
      method: "GET",
      url: `/v1/jobs/${id}?include=attempts`,
      headers: auth(h.keys.a),
    });
    expect(answer.statusCode).toBe(200);
    return answer.json<Job>();
  }

  it.each(FORMATS)("$name: stored as a run job would store it", async (c) => {
    const answer = await log({
      request: c.request,
      response: c.response,
      started_at: STARTED_AT,
      completed_at: COMPLETED_AT,
      metadata: { team: "search" },
    });
    expect(answer.statusCode, answer.body).toBe(201);
    const body = answer.json<LogAnswer>();
    expect(body).toMatchObject({ object: "log", created: true, format: c.format });
    expect(answer.headers.location).toBe(`/v1/jobs/${body.job.id}`);

    const job = await read(body.job.id);
    const expected = asRunJob(c.family, c.model, c.response);
    expect(job.source).toBe("logged");
    expect(job.model).toBe(expected.model);
    expect(job.provider).toBe(expected.model.split("/")[0]);
    expect(job.output).toEqual(expected.output);
    expect(job.usage).toEqual(expected.usage);
    expect(job.cost).toEqual(expected.cost);
    expect(job.status).toBe(expected.output.finish_reason === "length" ? "incomplete" : "succeeded");
    expect(job.attempts).toBe(1);
    expect(job.started_at).toBe(STARTED_AT);
    expect(job.completed_at).toBe(COMPLETED_AT);
    expect(job.metadata).toEqual({ team: "search" });
    expect(job.resolved_params).toEqual(c.request);
    expect(job.warnings).toEqual([]);
    expect(job.attempt_list).toEqual([
      {
        attempt: 1,
        started_at: STARTED_AT,
        ended_at: COMPLETED_AT,
        outcome: job.status,
        error: null,
        usage: expected.usage,
        cost_total: expected.cost.total,
      },
    ]);
  });

  it("keeps Claude's thinking, redacted thinking and signature verbatim, with the provider's thinking count", async () => {
    const answer = await log({ request: {}, response: { ...ANTHROPIC_THINKING, id: "msg_verbatim" } });
    const job = answer.json<LogAnswer>().job;
    // Verbatim, each tagged with the provider it goes back to.
    expect(job.output?.thinking_blocks).toEqual(
      ANTHROPIC_THINKING.content.slice(0, 2).map((block) => ({ ...(block as object), provider: "anthropic" })),
    );
    expect(job.output?.reasoning_kind).toBe("summary");
    expect(job.usage).toMatchObject({ reasoning_tokens: 1840, reasoning_tokens_source: "provider" });
    const estimated = await log({ request: {}, response: { ...ANTHROPIC_LENGTH, id: "msg_estimated" } });
    expect(estimated.json<LogAnswer>().job.usage?.reasoning_tokens_source).toBe("estimated");
    expect(estimated.json<LogAnswer>().job.incomplete_reason).toBe("max_output_tokens");
  });

  it("stores the conversation shape: the last assistant message is the response, with its blocks and cost", async () => {
    const assistant = GATEWAY.choices[0]?.message;
    const call = { id: "toolu_log1", type: "function", function: { name: "lookup", arguments: '{"q":"primes"}' } };
    const answer = await log({
      model: "anthropic/claude-sonnet-4-6",
      id: "chatcmpl-conversation-1",
      messages: [
        { role: "user", content: "Are there infinitely many primes p ≡ 3 (mod 4)?" },
        { ...assistant, content: null, tool_calls: [call] },
      ],
      usage: GATEWAY.usage,
      started_at: STARTED_AT,
    });
    expect(answer.statusCode, answer.body).toBe(201);
    const { job, format } = answer.json<LogAnswer>();
    expect(format).toBe("gateway");
    expect(job.output).toMatchObject({
      reasoning: assistant?.reasoning_content,
      thinking_blocks: GATEWAY_BLOCKS,
      tool_calls: [call],
      finish_reason: "tool_calls",
      provider_response_id: "chatcmpl-conversation-1",
    });
    expect(job.usage).toMatchObject({ input_tokens: 60, output_tokens: 900, reasoning_tokens: 700 });
    expect(job.cost?.total).toBeDefined();
    const unfinished = await log({ model: "anthropic/claude-sonnet-4-6", messages: [{ role: "user", content: "hi" }] });
    expect(unfinished.statusCode).toBe(400);
    expect(unfinished.json()).toMatchObject({ error: { field: "messages" } });
  });

  it("reads the gateway shape: reasoning_content as the reasoning, thinking_blocks verbatim, OpenAI usage", async () => {
    const answer = await log({
      request: { model: "anthropic/claude-sonnet-4-6" },
      response: GATEWAY,
      started_at: STARTED_AT,
    });
    expect(answer.statusCode, answer.body).toBe(201);
    const { job, format } = answer.json<LogAnswer>();
    expect(format).toBe("gateway");
    expect(job.model).toBe("anthropic/claude-sonnet-4-6");
    expect(job.output).toMatchObject({
      answer: GATEWAY.choices[0]?.message.content,
      reasoning: GATEWAY.choices[0]?.message.reasoning_content,
      reasoning_kind: "summary",
      thinking_blocks: GATEWAY_BLOCKS,
      finish_reason: "stop",
      provider_finish_reason: "stop",
      provider_response_id: "chatcmpl-gateway-1",
      provider_metadata: { raw_usage: GATEWAY.usage },
    });
    const usage = {
      input_tokens: 60,
      cached_input_tokens: 20,
      cache_write_tokens: 0,
      output_tokens: 900,
      reasoning_tokens: 700,
      answer_tokens: 200,
      reasoning_tokens_source: "provider" as const,
    };
    expect(job.usage).toEqual(usage);
    const at = new Date(STARTED_AT);
    expect(job.cost).toEqual(computeCost(usage, priceFor("anthropic/claude-sonnet-4-6", at, usage, priceCatalog)));

    // reasoning_content on a chat completion of a model whose own API never sends it: a gateway too.
    const { thinking_blocks: _blocks, ...message } = GATEWAY.choices[0]?.message ?? { reasoning_content: "" };
    const bare = { ...GATEWAY, id: "chatcmpl-gateway-2", choices: [{ ...GATEWAY.choices[0], message }] };
    const second = await log({ request: {}, response: bare });
    expect(second.json<LogAnswer>().format).toBe("gateway");
    expect(second.json<LogAnswer>().job.output?.reasoning).toBe(message.reasoning_content);
  });

  it("maps an OpenAI-compatible vendor's chat completion with that vendor's own profile", async () => {
    const response = fixture("openai-compatible/__fixtures__/openrouter-reasoning.json");
    const answer = await log({ request: {}, response, provider: "openrouter" });
    expect(answer.statusCode, answer.body).toBe(201);
    const { job, format } = answer.json<LogAnswer>();
    expect(format).toBe("openai-chat");
    expect(job.model).toBe("openrouter/anthropic/claude-sonnet-4.5");
    const expected = asRunJob("openrouter", "openrouter/anthropic/claude-sonnet-4.5", response, job.started_at ?? "");
    expect(job.output).toEqual(expected.output);
    expect(job.usage).toEqual(expected.usage);
  });

  it("lists logged jobs with source logged beside run jobs, and counts them in /v1/usage", async () => {
    const list = await h.app.inject({ method: "GET", url: "/v1/jobs?limit=100", headers: auth(h.keys.a) });
    const jobs = list.json<{ data: Job[] }>().data;
    const logged = jobs.filter((j) => j.source === "logged" && j.started_at === STARTED_AT);
    expect(logged.length).toBeGreaterThanOrEqual(FORMATS.length);
    const other = await h.app.inject({ method: "GET", url: "/v1/jobs?limit=100", headers: auth(h.keys.b) });
    expect(other.json<{ data: Job[] }>().data).toEqual([]);

    const usage = await h.app.inject({
      method: "GET",
      url: "/v1/usage?from=2026-11-20T02:00:00Z&to=2026-11-20T04:00:00Z&group_by=model",
      headers: auth(h.keys.a),
    });
    expect(usage.statusCode, usage.body).toBe(200);
    const report = usage.json<{
      total: { jobs: number; attempts: number; output_tokens: number; reasoning_tokens: number; cost: string };
    }>();
    expect(report.total.jobs).toBe(logged.length);
    expect(report.total.attempts).toBe(logged.length);
    expect(report.total.output_tokens).toBe(logged.reduce((s, j) => s + (j.usage?.output_tokens ?? 0), 0));
    expect(report.total.reasoning_tokens).toBe(logged.reduce((s, j) => s + (j.usage?.reasoning_tokens ?? 0), 0));
    const cost = logged.reduce((s, j) => s.plus(j.cost?.total ?? 0), new Decimal(0));
    expect(new Decimal(report.total.cost).equals(cost)).toBe(true);
  });

  it("stores a provider response once: the same id again answers 200 with the first job", async () => {
    const body = { request: {}, response: { ...DEEPSEEK, id: "ds-idempotent-1" }, started_at: STARTED_AT };
    const first = await log(body);
    expect(first.statusCode).toBe(201);
    const again = await log({ ...body, metadata: { retry: "yes" } });
    expect(again.statusCode).toBe(200);
    expect(again.json<LogAnswer>()).toMatchObject({ created: false, job: { id: first.json<LogAnswer>().job.id } });
    // Another key logging the same response is another ledger.
    const other = await log(body, h.keys.b);
    expect(other.statusCode).toBe(201);
    expect(other.json<LogAnswer>().job.id).not.toBe(first.json<LogAnswer>().job.id);
  });

  it.each([
    {
      why: "a model the catalog does not know",
      body: { request: {}, response: { ...DEEPSEEK, model: "mystery-1" } },
      field: "response.model",
      type: "unknown_model",
    },
    { why: "no response", body: { request: {} }, field: "response", type: "invalid_request" },
    {
      why: "an unknown field",
      body: { request: {}, response: DEEPSEEK, extra: 1 },
      field: "extra",
      type: "invalid_request",
    },
    {
      why: "a format that does not fit",
      body: { request: {}, response: DEEPSEEK, format: "gemini" },
      field: "format",
      type: "invalid_request",
    },
    {
      why: "an unrecognised response",
      body: { request: {}, response: { hello: "world" } },
      field: "response",
      type: "invalid_request",
    },
    {
      why: "a provider the model is not",
      body: { request: {}, response: DEEPSEEK, provider: "openai" },
      field: "provider",
      type: "invalid_request",
    },
    {
      why: "a chat completion without a finish",
      body: {
        request: {},
        response: { ...DEEPSEEK, choices: [{ index: 0, message: { role: "assistant", content: "x" } }] },
      },
      field: "response",
      type: "invalid_request",
    },
    {
      why: "started after it completed",
      body: { request: {}, response: DEEPSEEK, started_at: COMPLETED_AT, completed_at: STARTED_AT },
      field: "started_at",
      type: "invalid_request",
    },
    {
      why: "a malformed thinking block",
      body: {
        request: {},
        response: {
          ...GATEWAY,
          choices: [
            { index: 0, finish_reason: "stop", message: { content: "x", thinking_blocks: [{ type: "thinking" }] } },
          ],
        },
      },
      field: "response.choices.0.message.thinking_blocks.0.thinking",
      type: "invalid_request",
    },
  ])("refuses $why with a 400 naming $field", async ({ body, field, type }) => {
    const answer = await log(body);
    expect(answer.statusCode, answer.body).toBe(400);
    expect(answer.json().error).toMatchObject({ type, field });
  });

  it("imports 10,000 JSONL lines: every good line stored, every bad one reported by number; again, nothing new", async () => {
    const total = 10_000;
    const broken = new Map<number, { field?: string; type: string }>([
      [17, { type: "invalid_request" }], // not JSON
      [2_500, { type: "invalid_request", field: "response" }], // no response
      [5_001, { type: "unknown_model", field: "response.model" }], // unknown model
      [7_777, { type: "invalid_request", field: "format" }], // format that does not fit
      [9_999, { type: "invalid_request" }], // truncated JSON
    ]);
    const upload = async () => {
      const answer = await h.app.inject({
        method: "POST",
        url: "/v1/logs",
        headers: { ...auth(h.keys.a), "content-type": "application/x-ndjson" },
        payload: Readable.from(bulkLines(total, broken)),
      });
      expect(answer.statusCode).toBe(200);
      expect(answer.headers["content-type"]).toContain("application/x-ndjson");
      return answer.body
        .trim()
        .split("\n")
        .map((line) => JSON.parse(line) as Record<string, unknown>);
    };

    const first = await upload();
    expect(first).toHaveLength(total + 1);
    expect(first.at(-1)).toEqual({
      object: "summary",
      lines: total,
      stored: total - broken.size,
      duplicates: 0,
      errors: broken.size,
    });
    const results = first.slice(0, total);
    expect(results.map((r) => r.line)).toEqual(Array.from({ length: total }, (_, i) => i + 1));
    for (const result of results) {
      const bad = broken.get(result.line as number);
      if (bad === undefined) {
        expect(result).toMatchObject({ created: true, job_id: expect.stringMatching(/^job_/) });
      } else {
        expect(result.error, `line ${result.line}`).toMatchObject(bad);
      }
    }
    const sample = await read(results[41]?.job_id as string);
    expect(sample).toMatchObject({ source: "logged", status: "succeeded", attempts: 1 });

    const second = await upload();
    expect(second.at(-1)).toEqual({
      object: "summary",
      lines: total,
      stored: 0,
      duplicates: total - broken.size,
      errors: broken.size,
    });
    expect(second.slice(0, total).map((r) => r.job_id)).toEqual(results.map((r) => r.job_id));
  });

  it("keeps the lines read before an upload breaks off, then says where it stopped", async () => {
    const good = [...bulkLines(2, new Map(), "broken-off")];
    async function* source() {
      yield { line: 1, text: good[0]?.trim() ?? "" };
      yield { line: 2, text: "  " };
      yield { line: 3, text: "{oops" };
      yield { line: 4, text: null };
      yield { line: 5, text: good[1]?.trim() ?? "" };
      throw Object.assign(new Error("connection reset"), { code: "ECONNRESET" });
    }
    const deps = { store: h.store, catalog, adapters, prices: priceCatalog };
    const apiKeyId = (await h.store.apiKeys.authenticate(h.keys.a))?.id ?? "";
    const out: unknown[] = [];
    for await (const result of importLog(deps, apiKeyId, source(), pino({ level: "silent" }))) {
      out.push(result);
    }
    expect(out).toEqual([
      { line: 1, job_id: expect.stringMatching(/^job_/), created: true },
      { line: 3, error: { type: "invalid_request", message: expect.stringContaining("not valid JSON") } },
      { line: 4, error: { type: "payload_too_large", message: expect.any(String) } },
      { line: 5, job_id: expect.stringMatching(/^job_/), created: true },
      { object: "error", error: { type: "internal_error", message: "internal error" }, after_line: 5 },
      { object: "summary", lines: 4, stored: 2, duplicates: 0, errors: 2 },
    ]);
  });

  it("answers each chunk while the upload is still going (the body is never buffered whole)", async () => {
    const url = new URL("/v1/logs", await h.listen());
    const lines = [...bulkLines(400, new Map(), "stream")];
    const upload = httpRequest(url, {
      method: "POST",
      headers: { ...auth(h.keys.a), "content-type": "application/x-ndjson" },
    });
    const received: string[] = [];
    let firstChunkSeen: () => void = () => {};
    const firstChunk = new Promise<void>((resolve) => {
      firstChunkSeen = resolve;
    });
    const ended = new Promise<void>((resolve, reject) => {
      upload.on("response", (response) => {
        let buffer = "";
        response.setEncoding("utf8");
        response.on("data", (text: string) => {
          buffer += text;
          const parts = buffer.split("\n");
          buffer = parts.pop() ?? "";
          received.push(...parts);
          if (received.length >= 200) firstChunkSeen();
        });
        response.on("end", resolve);
        response.on("error", reject);
      });
      upload.on("error", reject);
    });
    // The first 200 lines make one chunk: its results must come back before the upload ends.
    upload.write(lines.slice(0, 200).join(""));
    await firstChunk;
    expect(upload.writableEnded).toBe(false);
    expect(received.slice(0, 200).map((l) => JSON.parse(l).line)).toEqual(Array.from({ length: 200 }, (_, i) => i + 1));
    upload.end(lines.slice(200).join(""));
    await ended;
    expect(JSON.parse(received.at(-1) ?? "{}")).toMatchObject({ object: "summary", lines: 400, stored: 400 });
  });
});

describe("readLines", () => {
  async function collect(pieces: Array<string | Buffer>, maxBytes = 1_000_000) {
    const out: Array<{ line: number; text: string | null }> = [];
    for await (const line of readLines(Readable.from(pieces), maxBytes)) out.push(line);
    return out;
  }

  it("numbers lines across chunk boundaries, strips CR, keeps a last line without a newline", async () => {
    expect(await collect(['{"a":', "1}\r\n\n", Buffer.from("x\ny"), "z"])).toEqual([
      { line: 1, text: '{"a":1}' },
      { line: 2, text: "" },
      { line: 3, text: "x" },
      { line: 4, text: "yz" },
    ]);
  });

  it("drops an over-long line as it streams and goes on with the next", async () => {
    const half = "x".repeat(MAX_LOG_LINE_BYTES / 2 + 1);
    expect(await collect([half, half, "\nok\n"], 64 * 1024 * 1024)).toEqual([
      { line: 1, text: null },
      { line: 2, text: "ok" },
    ]);
  });

  it("fails past the upload bound", async () => {
    await expect(collect(["12345\n", "67890\n"], 8)).rejects.toMatchObject({ type: "payload_too_large" });
  });
});

/** One exchange per line, cycling through the formats; `broken` line numbers (1-based) are spoiled. */
function* bulkLines(total: number, broken: ReadonlyMap<number, unknown>, tag = "bulk"): Generator<string> {
  const bodies = [
    { response: ANTHROPIC_THINKING, id: "msg" },
    { response: GEMINI, id: "gem", idField: "responseId" },
    { response: OPENAI_CHAT, id: "chatcmpl" },
    { response: OPENAI_RESPONSES, id: "resp" },
    { response: DEEPSEEK, id: "ds" },
    { response: GATEWAY, id: "gw" },
  ];
  for (let line = 1; line <= total; line++) {
    const base = bodies[line % bodies.length] as (typeof bodies)[number];
    const response = { ...base.response, [base.idField ?? "id"]: `${base.id}-${tag}-${line}` };
    let entry: Record<string, unknown> = {
      request: { note: `line ${line}` },
      response,
      started_at: STARTED_AT,
      metadata: { line: String(line) },
    };
    let text: string;
    if (broken.has(line)) {
      if (line === 17) text = "{not json";
      else if (line === 2_500) {
        const { response: _r, ...rest } = entry;
        text = JSON.stringify(rest);
      } else if (line === 5_001) {
        entry = { ...entry, response: { ...DEEPSEEK, id: "ds-unknown", model: "mystery-9" } };
        text = JSON.stringify(entry);
      } else if (line === 7_777) text = JSON.stringify({ ...entry, response: DEEPSEEK, format: "anthropic" });
      else text = JSON.stringify(entry).slice(0, 40);
    } else {
      text = JSON.stringify(entry);
    }
    yield `${text}\n`;
  }
}
