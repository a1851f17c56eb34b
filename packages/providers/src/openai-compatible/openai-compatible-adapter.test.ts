import type { JobSpec, ProviderEvent, ReasonqError, ResolvedReasoning } from "@reasonq/core";
import { type MockServer, startOpenAICompatibleMock } from "@reasonq/mock-providers";
import OpenAI from "openai";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ModelInfo, ProviderAdapter } from "../adapter.ts";
import { catalog } from "../catalog/resolve-model.ts";
import { ResultAssembler } from "../shared/assemble-result.ts";
import { createOpenAICompatibleAdapter } from "./openai-compatible-adapter.ts";
import { THEAGENTIC_PROFILE, XAI_PROFILE } from "./openai-compatible-profiles.ts";

const KEY = "sk-compat-test-0000";
let theagentic: MockServer;
let xai: MockServer;
let agentic: ProviderAdapter;
let grok: ProviderAdapter;

beforeAll(async () => {
  theagentic = await startOpenAICompatibleMock({ dialect: "theagentic", apiKey: KEY });
  xai = await startOpenAICompatibleMock({ dialect: "xai", apiKey: KEY });
  agentic = createOpenAICompatibleAdapter(
    { apiKey: KEY, baseUrl: `${theagentic.url}/v1` },
    { profile: THEAGENTIC_PROFILE, idleTimeoutMs: 2_000 },
  );
  grok = createOpenAICompatibleAdapter(
    { apiKey: KEY, baseUrl: `${xai.url}/v1` },
    { profile: XAI_PROFILE, idleTimeoutMs: 2_000 },
  );
});
afterAll(async () => {
  await theagentic.close();
  await xai.close();
});

const model = (id: string): ModelInfo => catalog.resolve(id).model;

function spec(prompt: string, reasoning: Partial<ResolvedReasoning> = {}, extra: Partial<JobSpec> = {}): JobSpec {
  return {
    model: "x",
    messages: [{ role: "user", content: prompt }],
    reasoning: { include: true, enabled: true, ...reasoning },
    sampling: {},
    metadata: {},
    ...extra,
  };
}

async function run(adapter: ProviderAdapter, id: string, job: JobSpec, signal = new AbortController().signal) {
  const m = model(id);
  const prepared = adapter.prepare(job, m);
  const events: ProviderEvent[] = [];
  for await (const event of adapter.stream(prepared, { signal })) events.push(event);
  const assembler = new ResultAssembler(m, { include: job.reasoning.include });
  for (const event of events) assembler.push(event);
  return { prepared, events, result: assembler.result() };
}

async function failure(adapter: ProviderAdapter, id: string, job: JobSpec) {
  const events: ProviderEvent[] = [];
  try {
    for await (const event of adapter.stream(adapter.prepare(job, model(id)), {
      signal: new AbortController().signal,
    })) {
      events.push(event);
    }
  } catch (error) {
    return { error: adapter.classifyError(error) as ReasonqError, events };
  }
  throw new Error("the stream did not fail");
}

const refusal = (adapter: ProviderAdapter, id: string, job: JobSpec) => {
  try {
    adapter.prepare(job, model(id));
  } catch (error) {
    return error;
  }
  throw new Error("prepare did not refuse");
};

describe("theagentic profile", () => {
  it("asks for the reasoning with return_reasoning and reads reasoning_content", async () => {
    const { prepared, result } = await run(agentic, "agentic-large", spec("What is 6*7?"));
    expect(prepared.resolvedParams).toEqual({ max_tokens: 8_192, return_reasoning: true });
    expect(theagentic.requests.at(-1)?.body).toMatchObject({
      model: "agentic-large",
      return_reasoning: true,
      stream: true,
      stream_options: { include_usage: true },
    });
    expect(result.output).toMatchObject({ answer: "The answer is 42.", reasoning_kind: "full" });
    expect(result.output.reasoning).toMatch(/^Let me think about/);
    expect(result.usage).toMatchObject({ output_tokens: 28, reasoning_tokens: 24, answer_tokens: 4 });
  });

  it("sends return_reasoning: false for include false; the billed reasoning stays counted", async () => {
    const { result } = await run(agentic, "agentic-large", spec("What is 6*7?", { include: false }));
    expect(theagentic.requests.at(-1)?.body).toMatchObject({ return_reasoning: false });
    expect(result.output).toMatchObject({ reasoning: "", reasoning_kind: "hidden" });
    expect(result.usage?.reasoning_tokens).toBe(24);
  });

  it("says an effort cannot be honoured, and refuses to turn thinking off", () => {
    const prepared = agentic.prepare(spec("x", { effort: "high" }), model("agentic-large"));
    expect(prepared.body).not.toHaveProperty("reasoning_effort");
    expect(prepared.warnings).toEqual([expect.objectContaining({ type: "unsupported", field: "reasoning.effort" })]);
    expect(refusal(agentic, "agentic-large", spec("x", { enabled: false }))).toMatchObject({
      type: "unsupported_parameter",
      field: "reasoning.enabled",
    });
  });

  it("refuses to prepare without a key, naming the variable", () => {
    const keyless = createOpenAICompatibleAdapter({}, { profile: THEAGENTIC_PROFILE });
    expect(refusal(keyless, "agentic-large", spec("x"))).toMatchObject({
      type: "invalid_request",
      field: "model",
      message: "THEAGENTIC_API_KEY is not set, so reasonq cannot call TheAgentic",
    });
  });
});

describe("xai profile", () => {
  it("adds reasoning to completion_tokens, since xAI counts it apart", async () => {
    const { result, prepared } = await run(grok, "grok-3-mini", spec("What is 2+2?", { effort: "high" }));
    expect(prepared.resolvedParams).toEqual({ max_tokens: 16_384, reasoning_effort: "high" });
    const raw = result.reported?.raw as Record<string, number>;
    expect(raw.completion_tokens).toBe(4);
    expect(raw.total_tokens).toBe((raw.prompt_tokens ?? 0) + 4 + 32);
    expect(result.usage).toMatchObject({ output_tokens: 36, reasoning_tokens: 32, answer_tokens: 4 });
    expect(result.output).toMatchObject({ answer: "The answer is 4.", reasoning_kind: "full" });
  });

  it("maps efforts onto each model's own set", async () => {
    const medium = await run(grok, "grok-3-mini", spec("What is 2+2?", { effort: "medium" }));
    expect(xai.requests.at(-1)?.body).toMatchObject({ reasoning_effort: "high" });
    expect(medium.prepared.warnings).toEqual([expect.objectContaining({ type: "adapted", field: "reasoning.effort" })]);
    const budget = grok.prepare(spec("x", { budget_tokens: 9_000 }), model("grok-4.5"));
    expect(budget.body).toMatchObject({ reasoning_effort: "medium" });
    expect(budget.warnings).toEqual([expect.objectContaining({ field: "reasoning.budget_tokens" })]);
  });

  it("does not send an effort to grok-4, which refuses it, and bills its hidden reasoning", async () => {
    const { prepared, result } = await run(grok, "grok-4", spec("What is 2+2?", { effort: "low" }));
    expect(xai.requests.at(-1)?.body).not.toHaveProperty("reasoning_effort");
    expect(prepared.warnings).toEqual([expect.objectContaining({ type: "unsupported", field: "reasoning.effort" })]);
    expect(result.output).toMatchObject({ reasoning: "", reasoning_kind: "hidden", answer: "The answer is 4." });
    expect(result.usage).toMatchObject({
      reasoning_tokens: 32,
      output_tokens: 36,
      reasoning_tokens_source: "provider",
    });
  });

  it("turns thinking off where the model allows it, refuses where it does not", async () => {
    const off = await run(grok, "grok-4.3", spec("What is 2+2?", { enabled: false }));
    expect(xai.requests.at(-1)?.body).toMatchObject({ reasoning_effort: "none" });
    expect(off.result.usage?.reasoning_tokens).toBe(0);
    expect(refusal(grok, "grok-4.5", spec("x", { enabled: false }))).toMatchObject({ type: "unsupported_parameter" });
    expect(refusal(grok, "grok-3-mini", spec("x", {}, { sampling: { stop: ["."] } }))).toMatchObject({
      type: "unsupported_parameter",
      field: "stop",
    });
  });

  it("classifies xAI's errors, whose body carries the message as a bare string", async () => {
    const limited = await failure(grok, "grok-4", spec("x [mock:status=429,retry_after=2]"));
    expect(limited.error).toMatchObject({ type: "provider_rate_limited", providerStatus: 429 });
    expect(limited.error.retryAfterMs).toBeGreaterThanOrEqual(2_000);
    expect(limited.error.message).toContain("Rate limit reached");
    for (const [status, type] of [
      [400, "provider_invalid_request"],
      [401, "provider_auth"],
      [404, "provider_not_found"],
      [500, "provider_server_error"],
      [503, "provider_overloaded"],
    ] as const) {
      expect((await failure(grok, "grok-4", spec(`x [mock:status=${status}]`))).error.type).toBe(type);
    }
  });

  it("classifies an overload inside the stream and a cut connection", async () => {
    expect((await failure(grok, "grok-3-mini", spec("What is 2+2? [mock:overload_mid_stream]"))).error.type).toBe(
      "provider_overloaded",
    );
    const cut = await failure(grok, "grok-3-mini", spec("What is 2+2? [mock:cut_mid_stream]"));
    expect(cut.error.type).toBe("provider_stream_dropped");
  });
});

describe("openai-compatible adapter: stream mechanics", () => {
  it("finishes as length with an empty answer when reasoning fills max_tokens", async () => {
    const { result } = await run(agentic, "agentic-large", spec("What is 6*7?", {}, { max_output_tokens: 5 }));
    expect(result.output).toMatchObject({ finish_reason: "length", answer: "" });
    expect(result.usage).toMatchObject({ output_tokens: 5, reasoning_tokens: 5 });
  });

  it("fails a silent stream as dropped after the idle timeout", async () => {
    const impatient = createOpenAICompatibleAdapter(
      { apiKey: KEY, baseUrl: `${xai.url}/v1` },
      { profile: XAI_PROFILE, idleTimeoutMs: 100 },
    );
    const { error } = await failure(impatient, "grok-3-mini", spec("What is 2+2? [mock:trickle_ms=5000]"));
    expect(error.type).toBe("provider_stream_dropped");
  });

  it("stops when the caller aborts mid-stream", async () => {
    const controller = new AbortController();
    const prepared = grok.prepare(spec("What is 2+2? [mock:trickle_ms=10]"), model("grok-3-mini"));
    const events: ProviderEvent[] = [];
    let caught: unknown;
    try {
      for await (const event of grok.stream(prepared, { signal: controller.signal })) {
        events.push(event);
        if (event.type === "reasoning-delta") controller.abort();
      }
    } catch (error) {
      caught = error;
    }
    expect(grok.classifyError(caught).type).toBe("job_cancelled");
    expect(events.filter((e) => e.type === "reasoning-delta")).toHaveLength(1);
  });

  it("maps a non-streaming response to what the stream gives", async () => {
    for (const [adapter, server, id] of [
      [agentic, theagentic, "agentic-large"],
      [grok, xai, "grok-3-mini"],
    ] as const) {
      const streamed = await run(adapter, id, spec("What is 9*9?"));
      const client = new OpenAI({ apiKey: KEY, baseURL: `${server.url}/v1`, maxRetries: 0 });
      const body = await client.chat.completions.create({ ...streamed.prepared.body, stream: false } as never);
      const assembler = new ResultAssembler(model(id), { include: true });
      for (const event of adapter.mapResponse?.(body, model(id)) ?? []) assembler.push(event);
      const mapped = assembler.result();
      expect(mapped.output).toEqual({
        ...streamed.result.output,
        provider_response_id: mapped.output.provider_response_id,
      });
      expect(mapped.usage).toEqual(streamed.result.usage);
    }
  });
});
