import type { JobSpec, ProviderEvent, ReasonqError, ResolvedReasoning } from "@reasonq/core";
import { type MockServer, startOpenAIMock } from "@reasonq/mock-providers";
import OpenAI from "openai";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ModelInfo, PreparedRequest, ProviderAdapter } from "../adapter.ts";
import { ResultAssembler } from "../shared/assemble-result.ts";
import { createOpenAIAdapter } from "./openai-adapter.ts";
import { OPENAI_MODELS } from "./openai-models.ts";

const KEY = "sk-test-openai-0000";
let mock: MockServer;
let adapter: ProviderAdapter;

beforeAll(async () => {
  mock = await startOpenAIMock({ apiKey: KEY, reasoningDelayMs: 0 });
  adapter = createOpenAIAdapter({ apiKey: KEY, baseUrl: `${mock.url}/v1` }, { idleTimeoutMs: 2_000 });
});
afterAll(() => mock.close());

function model(name: string): ModelInfo {
  const found = OPENAI_MODELS.find((m) => m.model === name);
  if (found === undefined) throw new Error(`no model ${name}`);
  return found;
}

function spec(prompt: string, reasoning: Partial<ResolvedReasoning> = {}, extra: Partial<JobSpec> = {}): JobSpec {
  return {
    model: "openai/x",
    messages: [{ role: "user", content: prompt }],
    reasoning: { include: true, enabled: true, ...reasoning },
    sampling: {},
    metadata: {},
    ...extra,
  };
}

async function collect(request: PreparedRequest, signal = new AbortController().signal): Promise<ProviderEvent[]> {
  const events: ProviderEvent[] = [];
  for await (const event of adapter.stream(request, { signal })) events.push(event);
  return events;
}

function assemble(m: ModelInfo, events: ProviderEvent[], include = true) {
  const assembler = new ResultAssembler(m, { include });
  for (const event of events) assembler.push(event);
  return assembler.result();
}

/** Prepares, streams and assembles one job; returns what the mock received too. */
async function run(name: string, job: JobSpec) {
  const m = model(name);
  const prepared = adapter.prepare(job, m);
  const events = await collect(prepared);
  const sent = mock.requests.at(-1);
  return { prepared, events, result: assemble(m, events, job.reasoning.include), sent };
}

/** The classified error of a job that fails, and how many requests reached the mock. */
async function failure(name: string, job: JobSpec): Promise<{ error: ReasonqError; calls: number }> {
  const before = mock.requests.length;
  try {
    await collect(adapter.prepare(job, model(name)));
  } catch (thrown) {
    return { error: adapter.classifyError(thrown), calls: mock.requests.length - before };
  }
  throw new Error("the job did not fail");
}

describe("openai adapter — reasoning, answer and usage", () => {
  it("uses the Responses API for summaries: reasoning + answer = output, cache inside input", async () => {
    const { result, sent, prepared } = await run("o4-mini", spec("What is 17*23?", { effort: "high" }));
    expect(sent?.path).toBe("/v1/responses");
    expect(sent?.headers.authorization).toBe(`Bearer ${KEY}`);
    expect(sent?.body).toMatchObject({
      model: "o4-mini",
      reasoning: { effort: "high", summary: "auto" },
      max_output_tokens: 32_768,
      store: false,
      include: ["reasoning.encrypted_content"],
      stream: true,
    });
    expect(prepared.resolvedParams).toEqual({
      max_output_tokens: 32_768,
      reasoning: { effort: "high", summary: "auto" },
      store: false,
      include: ["reasoning.encrypted_content"],
    });
    expect(result.output.answer).toBe("The answer is 391.");
    expect(result.output.reasoning_kind).toBe("summary");
    expect(result.output.reasoning.split("\n\n**")).toHaveLength(3);
    expect(result.output.provider_response_id).toMatch(/^resp_/);
    const usage = result.usage;
    if (usage === null) throw new Error("no usage");
    expect(usage.reasoning_tokens).toBeGreaterThan(4000);
    expect(usage.reasoning_tokens + usage.answer_tokens).toBe(usage.output_tokens);
    expect(usage.reasoning_tokens_source).toBe("provider");
    expect(result.output.provider_metadata.raw_usage).toMatchObject({ output_tokens_details: expect.any(Object) });
  });

  it("uses Chat Completions where only a count comes back: hidden reasoning, include_usage asked", async () => {
    const { result, sent } = await run("o3-mini", spec("What is 2+3?", { effort: "low" }));
    expect(sent?.path).toBe("/v1/chat/completions");
    expect(sent?.body).toMatchObject({
      reasoning_effort: "low",
      max_completion_tokens: 32_768,
      stream_options: { include_usage: true },
    });
    expect(sent?.body).not.toHaveProperty("max_tokens");
    expect(result.output).toMatchObject({ answer: "The answer is 5.", reasoning: "", reasoning_kind: "hidden" });
    expect(result.usage?.reasoning_tokens).toBeGreaterThan(300);
    expect((result.usage?.reasoning_tokens ?? 0) + (result.usage?.answer_tokens ?? 0)).toBe(
      result.usage?.output_tokens,
    );
  });

  it("goes to Chat Completions when include is false", async () => {
    const { result, sent } = await run("o3", spec("What is 9-4?", { include: false }));
    expect(sent?.path).toBe("/v1/chat/completions");
    expect(sent?.body).toMatchObject({ reasoning_effort: "medium" });
    expect(result.output.reasoning_kind).toBe("hidden");
  });

  it("sends the nearest effort the model accepts, and a budget as an effort, with warnings", async () => {
    const max = await run("o4-mini", spec("What is 1+1?", { effort: "max" }));
    expect(max.sent?.body).toMatchObject({ reasoning: { effort: "high" } });
    expect(max.prepared.warnings).toEqual([expect.objectContaining({ field: "reasoning.effort" })]);
    const budget = await run("gpt-5", spec("What is 1+1?", { budget_tokens: 10_000 }));
    expect(budget.sent?.body).toMatchObject({ reasoning: { effort: "medium", summary: "auto" } });
    expect(budget.prepared.warnings).toEqual([expect.objectContaining({ field: "reasoning.budget_tokens" })]);
  });

  it("turns reasoning off with effort none on gpt-5.2", async () => {
    const { result, sent } = await run("gpt-5.2", spec("What is 3*3?", { enabled: false }));
    expect(sent?.body).toMatchObject({ reasoning_effort: "none" });
    expect(result.output).toMatchObject({ answer: "The answer is 9.", reasoning_kind: "none" });
    expect(result.usage?.reasoning_tokens).toBe(0);
  });

  it("counts cached prompt tokens inside the input", async () => {
    const prompt = `${"Some long shared context. ".repeat(200)} What is 5+5?`;
    await run("o3-mini", spec(prompt));
    const { result } = await run("o3-mini", spec(prompt));
    const usage = result.usage;
    expect(usage?.cached_input_tokens).toBeGreaterThanOrEqual(1024);
    expect(usage?.cached_input_tokens).toBeLessThanOrEqual(usage?.input_tokens ?? 0);
  });

  it("refuses before calling what the model cannot honour", async () => {
    const before = mock.requests.length;
    expect(() => adapter.prepare(spec("hi", {}, { sampling: { temperature: 0 } }), model("o3"))).toThrow(
      expect.objectContaining({ type: "unsupported_parameter", field: "temperature" }),
    );
    expect(() => adapter.prepare(spec("hi", { enabled: false }), model("o4-mini"))).toThrow(
      expect.objectContaining({ type: "unsupported_parameter", field: "reasoning.enabled" }),
    );
    expect(mock.requests.length).toBe(before);
  });

  it("refuses to prepare without a key", () => {
    const keyless = createOpenAIAdapter({ baseUrl: `${mock.url}/v1` });
    expect(() => keyless.prepare(spec("hi"), model("o3"))).toThrow(
      expect.objectContaining({
        type: "invalid_request",
        field: "model",
        message: "OPENAI_API_KEY is not set, so reasonq cannot call OpenAI",
      }),
    );
  });
});

describe("openai adapter — finish reasons", () => {
  it.each(["o3", "o3-mini"])(
    "reports length with an empty answer when reasoning eats the budget (%s)",
    async (name) => {
      const { result } = await run(name, spec("Prove Fermat [mock:finish=length]"));
      expect(result.output).toMatchObject({ answer: "", finish_reason: "length" });
      expect(result.usage?.reasoning_tokens).toBe(result.usage?.output_tokens);
    },
  );

  it("reports length when max_output_tokens is below the reasoning", async () => {
    const { result, sent } = await run("o3-mini", spec("What is 4+4?", { effort: "low" }, { max_output_tokens: 100 }));
    expect(sent?.body).toMatchObject({ max_completion_tokens: 100 });
    expect(result.output).toMatchObject({ answer: "", finish_reason: "length", provider_finish_reason: "length" });
    expect(result.usage?.output_tokens).toBe(100);
  });

  it("reports content_filter on both APIs", async () => {
    for (const name of ["o3", "o1"]) {
      const { result } = await run(name, spec("Something [mock:finish=content_filter]"));
      expect(result.output.finish_reason).toBe("content_filter");
    }
  });
});

describe("openai adapter — faults", () => {
  it("429 with retry-after → provider_rate_limited waiting at least that long, one call only", async () => {
    const { error, calls } = await failure("o3", spec("hi [mock:status=429,retry_after=2]"));
    expect(error).toMatchObject({ type: "provider_rate_limited", providerStatus: 429, retry: "rate_limit" });
    expect(error.retryAfterMs).toBeGreaterThanOrEqual(2000);
    expect(error.message).toContain("Rate limit reached for o3");
    expect(calls).toBe(1);
  });

  it("429 without retry-after waits for x-ratelimit-reset-tokens", async () => {
    const { error } = await failure("o3-mini", spec("hi [mock:status=429]"));
    expect(error.retryAfterMs).toBe(1574);
  });

  it.each([
    [529, "provider_overloaded"],
    [503, "provider_overloaded"],
    [500, "provider_server_error"],
    [401, "provider_auth"],
    [404, "provider_not_found"],
  ] as const)("HTTP %i → %s without SDK retries", async (status, type) => {
    const { error, calls } = await failure("o4-mini", spec(`hi [mock:status=${status}]`));
    expect(error.type).toBe(type);
    expect(calls).toBe(1);
  });

  it("400 carries OpenAI's own message", async () => {
    const { error } = await failure("o3", spec("hi [mock:status=400]"));
    expect(error.type).toBe("provider_invalid_request");
    expect(error.message).toBe(
      "openai returned 400: Invalid prompt: the request was rejected by the mock ([mock:status=400]).",
    );
  });

  it.each(["o3", "o3-mini"])("an overload inside the 200 stream → provider_overloaded (%s)", async (name) => {
    const { error } = await failure(name, spec("Tell me a long story about primes [mock:overload_mid_stream]"));
    expect(error).toMatchObject({ type: "provider_overloaded", providerStatus: undefined });
    expect(error.message).toContain("server_is_overloaded");
  });

  it.each(["o3", "o3-mini"])("a connection cut mid-stream → provider_stream_dropped (%s)", async (name) => {
    const { error } = await failure(name, spec("Tell me a long story about primes [mock:cut_mid_stream]"));
    expect(error.type).toBe("provider_stream_dropped");
  });

  it("a silent stream is dropped after the idle timeout", async () => {
    const impatient = createOpenAIAdapter({ apiKey: KEY, baseUrl: `${mock.url}/v1` }, { idleTimeoutMs: 50 });
    const prepared = impatient.prepare(spec("What is 1+2? [mock:trickle_ms=400]"), model("o3-mini"));
    const error = await (async () => {
      try {
        for await (const _ of impatient.stream(prepared, { signal: new AbortController().signal })) {
          // drain
        }
      } catch (thrown) {
        return impatient.classifyError(thrown);
      }
      throw new Error("did not time out");
    })();
    expect(error.type).toBe("provider_stream_dropped");
  });

  it.each(["o3", "o3-mini"])("an abort mid-stream stops the call (%s)", async (name) => {
    const controller = new AbortController();
    const prepared = adapter.prepare(spec("Tell me a long story about primes [mock:trickle_ms=15]"), model(name));
    const seen: ProviderEvent[] = [];
    const error = await (async () => {
      try {
        for await (const event of adapter.stream(prepared, { signal: controller.signal })) {
          seen.push(event);
          if (event.type === "text-delta" || event.type === "reasoning-delta") controller.abort("cancel");
        }
      } catch (thrown) {
        return adapter.classifyError(thrown);
      }
      throw new Error("the aborted stream finished");
    })();
    expect(error.type).toBe("job_cancelled");
    expect(seen.some((e) => e.type === "finish")).toBe(false);
  });
});

it("an already-aborted signal makes no call", async () => {
  const before = mock.requests.length;
  const prepared = adapter.prepare(spec("What is 1+1?"), model("o3"));
  const error = await collect(prepared, AbortSignal.abort("cancel")).then(
    () => {
      throw new Error("did not abort");
    },
    (thrown: unknown) => adapter.classifyError(thrown),
  );
  expect(error.type).toBe("job_cancelled");
  expect(mock.requests.length).toBe(before);
});

describe("openai adapter — mapResponse ≡ stream", () => {
  const client = () => new OpenAI({ apiKey: KEY, baseURL: `${mock.url}/v1`, maxRetries: 0 });

  it.each([
    ["o4-mini", { effort: "medium" }],
    ["o3-mini", { effort: "high" }],
  ] as const)("a non-streaming %s body maps to the same output and usage", async (name, reasoning) => {
    const m = model(name);
    const job = spec("What is 12*12?", reasoning);
    const prepared = adapter.prepare(job, m);
    const streamed = assemble(m, await collect(prepared));
    const { stream: _stream, stream_options: _options, ...rest } = prepared.body;
    const body =
      "input" in rest
        ? await client().responses.create({ ...(rest as unknown as OpenAI.Responses.ResponseCreateParamsNonStreaming) })
        : await client().chat.completions.create({
            ...(rest as unknown as OpenAI.Chat.ChatCompletionCreateParamsNonStreaming),
          });
    const mapped = assemble(m, adapter.mapResponse?.(JSON.parse(JSON.stringify(body)), m) ?? []);
    // Two calls: the response and reasoning item ids differ, nothing else may.
    const withoutId = (r: typeof streamed) => ({
      ...r,
      output: {
        ...r.output,
        provider_response_id: null,
        thinking_blocks: r.output.thinking_blocks.map((b) => ({ ...b, id: null })),
      },
    });
    expect(withoutId(mapped)).toEqual(withoutId(streamed));
    expect(mapped.output.answer).toBe("The answer is 144.");
  });
});
