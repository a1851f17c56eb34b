import { readFileSync } from "node:fs";
import type { JobSpec, ProviderEvent, ReasonqError, ResolvedReasoning } from "@reasonq/core";
import { type MockServer, startDeepSeekMock, startMockServer, startSse } from "@reasonq/mock-providers";
import OpenAI from "openai";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ModelInfo, PreparedRequest, ProviderAdapter } from "../adapter.ts";
import { catalog } from "../catalog/resolve-model.ts";
import { ResultAssembler } from "../shared/assemble-result.ts";
import { createDeepSeekAdapter } from "./deepseek-adapter.ts";

const KEY = "sk-deepseek-test-0000";
let mock: MockServer;
let adapter: ProviderAdapter;

beforeAll(async () => {
  mock = await startDeepSeekMock({ apiKey: KEY });
  adapter = createDeepSeekAdapter({ apiKey: KEY, baseUrl: mock.url }, { idleTimeoutMs: 2_000 });
});
afterAll(() => mock.close());

const flash = (): ModelInfo => catalog.resolve("deepseek/deepseek-flash").model;

function spec(prompt: string, reasoning: Partial<ResolvedReasoning> = {}, extra: Partial<JobSpec> = {}): JobSpec {
  return {
    model: "deepseek/deepseek-flash",
    messages: [{ role: "user", content: prompt }],
    reasoning: { include: true, enabled: true, ...reasoning },
    sampling: {},
    metadata: {},
    ...extra,
  };
}

async function collect(
  request: PreparedRequest,
  using = adapter,
  signal = new AbortController().signal,
): Promise<ProviderEvent[]> {
  const events: ProviderEvent[] = [];
  for await (const event of using.stream(request, { signal })) events.push(event);
  return events;
}

function assemble(events: ProviderEvent[], include = true, model = flash()) {
  const assembler = new ResultAssembler(model, { include });
  for (const event of events) assembler.push(event);
  return assembler.result();
}

async function run(job: JobSpec) {
  const prepared = adapter.prepare(job, flash());
  const events = await collect(prepared);
  return { prepared, events, result: assemble(events, job.reasoning.include), sent: mock.requests.at(-1) };
}

async function failure(
  job: JobSpec | PreparedRequest,
  using = adapter,
): Promise<{ error: ReasonqError; events: ProviderEvent[] }> {
  const request = "body" in job ? job : using.prepare(job, flash());
  const events: ProviderEvent[] = [];
  try {
    for await (const event of using.stream(request, { signal: new AbortController().signal })) events.push(event);
  } catch (error) {
    return { error: using.classifyError(error), events };
  }
  throw new Error("the stream did not fail");
}

/** Serves recorded chunks (one JSON per line) as DeepSeek would, keep-alive comment first. */
function replay(lines: string[]): Promise<MockServer> {
  return startMockServer(async (_request, response) => {
    const sse = startSse(response);
    await sse.raw(": keep-alive\n\n");
    for (const line of lines) await sse.event(line);
    await sse.event("[DONE]");
    sse.end();
  });
}

const fixture = (name: string) => readFileSync(new URL(`./__fixtures__/${name}`, import.meta.url), "utf8");
const fixtureLines = (name: string) =>
  fixture(name)
    .split("\n")
    .filter((l) => l.trim() !== "");

describe("deepseek catalog", () => {
  it("resolves the retired deepseek-reasoner and deepseek-r1 to the current thinking model, with a warning", () => {
    for (const name of ["deepseek-r1", "deepseek-reasoner", "deepseek/deepseek-reasoner"]) {
      const { model, warnings } = catalog.resolve(name);
      expect(model.id).toBe("deepseek/deepseek-flash");
      expect(warnings).toEqual([
        expect.objectContaining({ type: "deprecated", field: "model", message: expect.stringContaining("2026-07-24") }),
      ]);
    }
    expect(catalog.resolve("deepseek-v4-pro").model.id).toBe("deepseek/deepseek-v4-pro");
  });
});

describe("deepseek adapter: streaming against the mock", () => {
  it("streams reasoning then the answer, with usage in reasonq's convention", async () => {
    const { prepared, events, result, sent } = await run(spec("What is 17*23?"));
    expect(prepared.resolvedParams).toEqual({
      max_tokens: 32_768,
      thinking: { type: "enabled" },
      reasoning_effort: "high",
    });
    expect(sent?.headers.authorization).toBe(`Bearer ${KEY}`);
    expect(sent?.path).toBe("/chat/completions");
    expect(sent?.body).toMatchObject({
      model: "deepseek-flash",
      stream: true,
      stream_options: { include_usage: true },
      thinking: { type: "enabled" },
      reasoning_effort: "high",
      messages: [{ role: "user", content: "What is 17*23?" }],
    });
    const firstText = events.findIndex((e) => e.type === "text-delta");
    expect(events.findLastIndex((e) => e.type === "reasoning-delta")).toBeLessThan(firstText);
    expect(events.at(-1)).toEqual({ type: "finish", reason: "stop", raw: "stop" });
    expect(result.output).toMatchObject({
      answer: "The answer is 391.",
      reasoning: expect.stringMatching(/^Let me think about "What is 17\*23\?"/),
      reasoning_kind: "full",
      finish_reason: "stop",
      provider_response_id: expect.stringMatching(/^0000/),
    });
    // The mock counts words: 32 reasoning tokens at effort high, 4 answer tokens.
    expect(result.usage).toEqual({
      input_tokens: 7,
      cached_input_tokens: 0,
      cache_write_tokens: 0,
      output_tokens: 36,
      reasoning_tokens: 32,
      answer_tokens: 4,
      reasoning_tokens_source: "provider",
    });
    expect(result.reported?.raw).toMatchObject({ prompt_cache_hit_tokens: 0, prompt_cache_miss_tokens: 7 });
  });

  it("maps effort and budget onto low | high | max and says what it adapted", async () => {
    const cases: Array<[Partial<ResolvedReasoning>, string, number, boolean]> = [
      [{ effort: "low" }, "low", 8, false],
      [{ effort: "medium" }, "high", 32, true],
      [{ effort: "max" }, "max", 64, false],
      [{ budget_tokens: 2_000 }, "low", 8, true],
      [{ budget_tokens: 30_000 }, "high", 32, true],
    ];
    for (const [reasoning, effort, tokens, warned] of cases) {
      const { prepared, result, sent } = await run(spec("What is 2+2?", reasoning));
      expect(sent?.body).toMatchObject({ reasoning_effort: effort, thinking: { type: "enabled" } });
      expect(result.usage?.reasoning_tokens).toBe(tokens);
      expect(prepared.warnings.length > 0).toBe(warned);
    }
  });

  it("turns thinking off, and then warns about nothing", async () => {
    const { prepared, result, sent } = await run(
      spec("What is 2+2?", { enabled: false }, { sampling: { temperature: 0.2 } }),
    );
    expect(sent?.body).toMatchObject({ thinking: { type: "disabled" }, temperature: 0.2 });
    expect(sent?.body).not.toHaveProperty("reasoning_effort");
    expect(prepared.warnings).toEqual([]);
    expect(result.output).toMatchObject({ answer: "The answer is 4.", reasoning: "", reasoning_kind: "none" });
    expect(result.usage).toMatchObject({ reasoning_tokens: 0, answer_tokens: 4 });
  });

  it("sends temperature in thinking mode with a warning, and refuses what DeepSeek has no field for", () => {
    const warned = adapter.prepare(spec("x", {}, { sampling: { temperature: 0.3 } }), flash());
    expect(warned.body).toMatchObject({ temperature: 0.3 });
    expect(warned.warnings).toEqual([expect.objectContaining({ type: "unsupported", field: "temperature" })]);
    expect(() => adapter.prepare(spec("x", {}, { sampling: { seed: 1 } }), flash())).toThrow(
      expect.objectContaining({ type: "unsupported_parameter", field: "seed" }),
    );
    expect(() => adapter.prepare(spec("x", {}, { max_output_tokens: 500_000 }), flash())).toThrow(
      expect.objectContaining({ type: "invalid_request", field: "max_output_tokens" }),
    );
  });

  it("refuses to prepare without a key, naming the variable", () => {
    const keyless = createDeepSeekAdapter({ baseUrl: mock.url });
    expect(() => keyless.prepare(spec("x"), flash())).toThrow(
      expect.objectContaining({
        type: "invalid_request",
        field: "model",
        message: "DEEPSEEK_API_KEY is not set, so reasonq cannot call DeepSeek",
      }),
    );
  });

  it("keeps the reasoning count but not the text when include is false", async () => {
    const { result } = await run(spec("What is 3*3?", { include: false }));
    expect(result.output).toMatchObject({ reasoning: "", reasoning_kind: "hidden", answer: "The answer is 9." });
    expect(result.usage?.reasoning_tokens).toBe(32);
  });

  it("counts prompt-cache hits as cached input, inside the input total", async () => {
    const system = { role: "system" as const, content: "You are a careful assistant who double checks arithmetic." };
    const first = await run(spec("", {}, { messages: [system, { role: "user", content: "What is 5+6?" }] }));
    const second = await run(spec("", {}, { messages: [system, { role: "user", content: "What is 7+8?" }] }));
    // The mock caches every message but the last: 9 words + 4 template tokens of system prompt.
    expect(first.result.usage?.cached_input_tokens).toBe(0);
    expect(second.result.usage).toMatchObject({ input_tokens: 20, cached_input_tokens: 13 });
    expect(second.result.reported?.raw).toMatchObject({ prompt_cache_hit_tokens: 13, prompt_cache_miss_tokens: 7 });
  });

  it("finishes as length with an empty answer when reasoning eats the budget", async () => {
    const capped = await run(spec("What is 17*23?", {}, { max_output_tokens: 10 }));
    expect(capped.result.output).toMatchObject({ finish_reason: "length", answer: "" });
    expect(capped.result.usage).toMatchObject({ output_tokens: 10, reasoning_tokens: 10, answer_tokens: 0 });
    const marked = await run(spec("What is 1+1? [mock:finish=length]"));
    expect(marked.result.output).toMatchObject({
      finish_reason: "length",
      provider_finish_reason: "length",
      answer: "",
    });
  });
});

describe("deepseek adapter: errors", () => {
  it("classifies a 429 with its retry-after", async () => {
    const { error } = await failure(spec("x [mock:status=429,retry_after=3]"));
    expect(error).toMatchObject({ type: "provider_rate_limited", providerStatus: 429 });
    expect(error.retryAfterMs).toBeGreaterThanOrEqual(3_000);
    expect(error.message).toContain("Rate Limit Reached");
  });

  it.each([
    [503, "provider_overloaded", "Server Overloaded"],
    [500, "provider_server_error", "Server Error"],
    [402, "provider_quota_exhausted", "Insufficient Balance"],
    [422, "provider_invalid_request", "Invalid Parameters"],
    [400, "provider_invalid_request", "Invalid Format"],
    [401, "provider_auth", "Authentication Fails"],
  ])("classifies HTTP %i as %s with DeepSeek's message", async (status, type, text) => {
    const { error } = await failure(spec(`x [mock:status=${status}]`));
    expect(error).toMatchObject({ type, providerStatus: status });
    expect(error.message).toContain(text);
  });

  it("passes DeepSeek's 400 for a tool-call turn sent without its reasoning_content", async () => {
    const request = adapter.prepare(spec("next"), flash());
    const messages = [
      { role: "user", content: "look it up" },
      {
        role: "assistant",
        content: "",
        tool_calls: [{ id: "c1", type: "function", function: { name: "f", arguments: "{}" } }],
      },
      { role: "tool", tool_call_id: "c1", content: "42" },
      { role: "user", content: "next" },
    ];
    const { error } = await failure({ ...request, body: { ...request.body, messages } });
    expect(error).toMatchObject({ type: "provider_invalid_request", providerStatus: 400 });
    expect(error.message).toContain("The reasoning_content in the thinking mode must be passed back to the API.");
  });

  it("classifies an overload inside the stream, after reasoning had started", async () => {
    const { error, events } = await failure(spec("What is 2+2? [mock:overload_mid_stream]"));
    expect(error.type).toBe("provider_overloaded");
    expect(events.some((e) => e.type === "reasoning-delta")).toBe(true);
  });

  it("classifies a connection cut mid-stream as dropped", async () => {
    const { error, events } = await failure(spec("What is 2+2? [mock:cut_mid_stream]"));
    expect(error.type).toBe("provider_stream_dropped");
    expect(events.some((e) => e.type === "finish")).toBe(false);
  });

  it("fails a silent stream as dropped after the idle timeout", async () => {
    const impatient = createDeepSeekAdapter({ apiKey: KEY, baseUrl: mock.url }, { idleTimeoutMs: 100 });
    const { error } = await failure(spec("What is 2+2? [mock:trickle_ms=5000]"), impatient);
    expect(error.type).toBe("provider_stream_dropped");
  });

  it("stops when the caller aborts mid-stream", async () => {
    const controller = new AbortController();
    const request = adapter.prepare(spec("What is 2+2? [mock:trickle_ms=10]"), flash());
    const events: ProviderEvent[] = [];
    let caught: unknown;
    try {
      for await (const event of adapter.stream(request, { signal: controller.signal })) {
        events.push(event);
        if (event.type === "reasoning-delta") controller.abort();
      }
    } catch (error) {
      caught = error;
    }
    expect(adapter.classifyError(caught).type).toBe("job_cancelled");
    expect(events.filter((e) => e.type === "reasoning-delta")).toHaveLength(1);
    expect(events.some((e) => e.type === "finish")).toBe(false);
  });

  it("fails the attempt as overloaded when DeepSeek cuts it for lack of resources, after passing on usage", async () => {
    const lines = fixtureLines("deepseek-reasoning.chunks.txt").map((l) =>
      l.replace('"finish_reason":"stop"', '"finish_reason":"insufficient_system_resource"'),
    );
    const server = await replay(lines);
    try {
      const using = createDeepSeekAdapter({ apiKey: KEY, baseUrl: server.url });
      const { error, events } = await failure(spec("x"), using);
      expect(error.type).toBe("provider_overloaded");
      expect(events.some((e) => e.type === "usage")).toBe(true);
    } finally {
      await server.close();
    }
  });
});

describe("deepseek adapter: recorded shapes and mapResponse", () => {
  it("streams the recorded fixture through the SDK", async () => {
    const server = await replay(fixtureLines("deepseek-reasoning.chunks.txt"));
    try {
      const using = createDeepSeekAdapter({ apiKey: KEY, baseUrl: server.url });
      const result = assemble(await collect(using.prepare(spec("x"), flash()), using));
      expect(result.output).toMatchObject({
        reasoning: "We need to count r in strawberry...",
        answer: "There are **3** r's.",
        provider_response_id: "b1e23612-29d5-4f66-b185-fb61fdde0ac9",
      });
      expect(result.usage).toMatchObject({
        input_tokens: 97,
        output_tokens: 106,
        reasoning_tokens: 88,
        answer_tokens: 18,
      });
      const json = assemble(adapter.mapResponse?.(JSON.parse(fixture("deepseek-reasoning.json")), flash()) ?? []);
      expect(json.output).toEqual(result.output);
      expect(json.usage).toEqual(result.usage);
    } finally {
      await server.close();
    }
  });

  it("keeps the answer of a recorded length stop", async () => {
    const server = await replay(fixtureLines("deepseek-length-usage.chunks.txt"));
    try {
      const using = createDeepSeekAdapter({ apiKey: KEY, baseUrl: server.url });
      const result = assemble(await collect(using.prepare(spec("x"), flash()), using));
      expect(result.output).toMatchObject({ finish_reason: "length", answer: "sanitized" });
      expect(result.usage).toMatchObject({ output_tokens: 4, reasoning_tokens: 4, answer_tokens: 0 });
    } finally {
      await server.close();
    }
  });

  it("maps a non-streaming response (blank-line preamble and all) to what the stream gives", async () => {
    const job = spec("What is 12*12?", { effort: "low" });
    const streamed = await run(job);
    const client = new OpenAI({ apiKey: KEY, baseURL: mock.url, maxRetries: 0 });
    const body = await client.chat.completions.create({ ...streamed.prepared.body, stream: false } as never);
    const mapped = assemble(adapter.mapResponse?.(body, flash()) ?? []);
    expect(mapped.output).toEqual({
      ...streamed.result.output,
      provider_response_id: mapped.output.provider_response_id,
    });
    expect(mapped.usage).toEqual(streamed.result.usage);
    expect(mapped.output.answer).toBe("The answer is 144.");
  });

  it("throws the classified error of an error body", () => {
    expect(() =>
      adapter.mapResponse?.({ error: { message: "Server Overloaded", type: "server_error" } }, flash()),
    ).toThrow(expect.objectContaining({ type: "provider_overloaded" }));
  });
});
