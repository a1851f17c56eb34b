import { readFileSync } from "node:fs";
import type { JobSpec, ProviderEvent, ReasonqError, ResolvedReasoning } from "@reasonq/core";
import { type MockServer, startMockServer, startOpenAICompatibleMock, startSse } from "@reasonq/mock-providers";
import OpenAI from "openai";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ModelInfo, ProviderAdapter } from "../adapter.ts";
import { catalog } from "../catalog/resolve-model.ts";
import { ResultAssembler } from "../shared/assemble-result.ts";
import { createOpenAICompatibleAdapter } from "./openai-compatible-adapter.ts";
import { OPENROUTER_PROFILE } from "./openai-compatible-profiles.ts";

const KEY = "sk-or-test-0000";
const CLAUDE = "openrouter/anthropic/claude-sonnet-4.5";
const R1 = "openrouter/deepseek/deepseek-r1";
let mock: MockServer;
let adapter: ProviderAdapter;

beforeAll(async () => {
  mock = await startOpenAICompatibleMock({ dialect: "openrouter", apiKey: KEY });
  adapter = openRouter(mock);
});
afterAll(() => mock.close());

function openRouter(server: MockServer): ProviderAdapter {
  return createOpenAICompatibleAdapter(
    { apiKey: KEY, baseUrl: `${server.url}/api/v1` },
    { profile: OPENROUTER_PROFILE, idleTimeoutMs: 2_000 },
  );
}

const model = (id: string): ModelInfo => catalog.resolve(id).model;

function spec(prompt: string, reasoning: Partial<ResolvedReasoning> = {}, extra: Partial<JobSpec> = {}): JobSpec {
  return {
    model: CLAUDE,
    messages: [{ role: "user", content: prompt }],
    reasoning: { include: true, enabled: true, ...reasoning },
    sampling: {},
    metadata: {},
    ...extra,
  };
}

function assemble(id: string, events: ProviderEvent[], include = true) {
  const assembler = new ResultAssembler(model(id), { include });
  for (const event of events) assembler.push(event);
  return assembler.result();
}

async function run(id: string, job: JobSpec, using = adapter) {
  const prepared = using.prepare(job, model(id));
  const events: ProviderEvent[] = [];
  for await (const event of using.stream(prepared, { signal: new AbortController().signal })) events.push(event);
  return { prepared, events, result: assemble(id, events, job.reasoning.include), sent: mock.requests.at(-1) };
}

async function failure(id: string, job: JobSpec): Promise<ReasonqError> {
  try {
    for await (const _ of adapter.stream(adapter.prepare(job, model(id)), { signal: new AbortController().signal })) {
      // drain
    }
  } catch (error) {
    return adapter.classifyError(error);
  }
  throw new Error("the stream did not fail");
}

const fixture = (name: string) => readFileSync(new URL(`./__fixtures__/${name}`, import.meta.url), "utf8");

describe("openrouter profile: request", () => {
  it.each([
    [{}, { enabled: true }],
    [{ effort: "high" }, { effort: "high" }],
    [{ effort: "minimal" }, { effort: "minimal" }],
    [{ budget_tokens: 4_096 }, { max_tokens: 4_096 }],
    [
      { effort: "low", include: false },
      { effort: "low", exclude: true },
    ],
    [{ enabled: false }, { effort: "none" }],
  ] as Array<[Partial<ResolvedReasoning>, Record<string, unknown>]>)("%o → reasoning %o", (reasoning, sent) => {
    const prepared = adapter.prepare(spec("x", reasoning), model(CLAUDE));
    expect(prepared.resolvedParams).toEqual({ max_tokens: 16_000, reasoning: sent });
    expect(prepared.warnings).toEqual([]);
  });

  it("adapts max to xhigh, and refuses to turn off a model that always reasons", () => {
    const prepared = adapter.prepare(spec("x", { effort: "max" }), model(CLAUDE));
    expect(prepared.body).toMatchObject({ reasoning: { effort: "xhigh" } });
    expect(prepared.warnings).toEqual([expect.objectContaining({ type: "adapted", field: "reasoning.effort" })]);
    expect(() => adapter.prepare(spec("x", { enabled: false }), model(R1))).toThrow(
      expect.objectContaining({ type: "unsupported_parameter", field: "reasoning.enabled" }),
    );
  });
});

describe("openrouter profile: streaming against the mock", () => {
  it("reads reasoning, keeps reasoning_details as a signed thinking block, and the cost in raw usage", async () => {
    const { result, sent, events } = await run(CLAUDE, spec("What is 8*8?", { effort: "low" }));
    expect(sent?.path).toBe("/api/v1/chat/completions");
    expect(sent?.body).toMatchObject({ reasoning: { effort: "low" }, stream_options: { include_usage: true } });
    expect(result.output.reasoning).toMatch(/^Let me think about/);
    expect(result.output).toMatchObject({ answer: "The answer is 64.", reasoning_kind: "summary" });
    expect(result.output.thinking_blocks).toEqual([
      {
        type: "thinking",
        thinking: result.output.reasoning,
        signature: expect.stringMatching(/^EqoBCkgIARAB/),
        provider: "openrouter",
        detail: {
          type: "reasoning.text",
          text: result.output.reasoning,
          signature: expect.any(String),
          format: "anthropic-claude-v1",
          index: 0,
        },
      },
    ]);
    expect(result.usage).toMatchObject({ output_tokens: 12, reasoning_tokens: 8, answer_tokens: 4 });
    expect(result.reported?.raw).toMatchObject({ cost: expect.any(Number), is_byok: false });
    // usage and blocks come after every delta, finish last
    expect(events.at(-1)).toEqual({ type: "finish", reason: "stop", raw: "stop" });
  });

  it("counts cache writes and reads inside the input", async () => {
    const system = { role: "system" as const, content: "Answer in one short sentence please." };
    const first = await run(CLAUDE, spec("", {}, { messages: [system, { role: "user", content: "What is 1+2?" }] }));
    const second = await run(CLAUDE, spec("", {}, { messages: [system, { role: "user", content: "What is 2+3?" }] }));
    expect(first.result.usage).toMatchObject({ input_tokens: 17, cache_write_tokens: 10, cached_input_tokens: 0 });
    expect(second.result.usage).toMatchObject({ input_tokens: 17, cache_write_tokens: 0, cached_input_tokens: 10 });
  });

  it("excludes the text but bills the reasoning when include is false", async () => {
    const { result } = await run(R1, spec("What is 8*8?", { include: false }));
    expect(result.output).toMatchObject({ reasoning: "", reasoning_kind: "hidden", thinking_blocks: [] });
    expect(result.usage?.reasoning_tokens).toBe(16);
  });

  it("classifies OpenRouter's errors, numeric codes and in-stream errors included", async () => {
    const limited = await failure(CLAUDE, spec("x [mock:status=429,retry_after=4]"));
    expect(limited).toMatchObject({ type: "provider_rate_limited", providerStatus: 429 });
    expect(limited.retryAfterMs).toBeGreaterThanOrEqual(4_000);
    expect(await failure(CLAUDE, spec("x [mock:status=402]"))).toMatchObject({
      type: "provider_quota_exhausted",
      message: expect.stringContaining("Insufficient credits"),
    });
    expect((await failure(CLAUDE, spec("x [mock:status=502]"))).type).toBe("provider_server_error");
    expect((await failure(CLAUDE, spec("x [mock:status=503]"))).type).toBe("provider_overloaded");
    expect((await failure(CLAUDE, spec("What is 1+1? [mock:overload_mid_stream]"))).type).toBe("provider_overloaded");
    expect((await failure(CLAUDE, spec("What is 1+1? [mock:cut_mid_stream]"))).type).toBe("provider_stream_dropped");
  });

  it("maps a non-streaming response, blocks and all, to what the stream gives", async () => {
    const streamed = await run(CLAUDE, spec("What is 7*7?", { budget_tokens: 2_048 }));
    const client = new OpenAI({ apiKey: KEY, baseURL: `${mock.url}/api/v1`, maxRetries: 0 });
    const body = await client.chat.completions.create({ ...streamed.prepared.body, stream: false } as never);
    const mapped = assemble(CLAUDE, adapter.mapResponse?.(body, model(CLAUDE)) ?? []);
    expect(mapped.output).toEqual({
      ...streamed.result.output,
      provider_response_id: mapped.output.provider_response_id,
    });
    expect(mapped.usage).toEqual(streamed.result.usage);
  });

  it("throws the classified error of an HTTP 200 body that is only {error}", async () => {
    const client = new OpenAI({ apiKey: KEY, baseURL: `${mock.url}/api/v1`, maxRetries: 0 });
    const body = await client.chat.completions.create({
      model: "anthropic/claude-sonnet-4.5",
      messages: [{ role: "user", content: "x [mock:overload_mid_stream]" }],
    });
    expect(() => adapter.mapResponse?.(body, model(CLAUDE))).toThrow(
      expect.objectContaining({ type: "provider_overloaded" }),
    );
  });
});

describe("openrouter profile: recorded shapes", () => {
  it("assembles the stream fixture and the JSON fixture to the same output", async () => {
    const lines = fixture("openrouter-reasoning.chunks.txt")
      .split("\n")
      .filter((l) => l.trim() !== "");
    const server = await startMockServer(async (_request, response) => {
      const sse = startSse(response);
      await sse.raw(": OPENROUTER PROCESSING\n\n");
      for (const line of lines) await sse.event(line);
      await sse.event("[DONE]");
      sse.end();
    });
    try {
      const streamed = await run(CLAUDE, spec("x"), openRouter(server));
      const json = assemble(
        CLAUDE,
        adapter.mapResponse?.(JSON.parse(fixture("openrouter-reasoning.json")), model(CLAUDE)) ?? [],
      );
      expect(streamed.result.output).toEqual(json.output);
      expect(json.output.thinking_blocks).toEqual([
        expect.objectContaining({ type: "thinking", signature: "EqoBCkgIARAB...", thinking: json.output.reasoning }),
      ]);
      expect(json.usage).toEqual({
        input_tokens: 14,
        cached_input_tokens: 0,
        cache_write_tokens: 0,
        output_tokens: 96,
        reasoning_tokens: 88,
        answer_tokens: 8,
        reasoning_tokens_source: "provider",
      });
      expect(streamed.result.usage).toEqual(json.usage);
    } finally {
      await server.close();
    }
  });
});
