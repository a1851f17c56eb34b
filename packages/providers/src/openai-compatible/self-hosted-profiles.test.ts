import { readFileSync } from "node:fs";
import type { JobSpec, ProviderEvent, ReasonqError, ResolvedReasoning } from "@reasonq/core";
import { type MockServer, startMockServer, startOpenAICompatibleMock, startSse } from "@reasonq/mock-providers";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ModelInfo, ProviderAdapter } from "../adapter.ts";
import { catalog } from "../catalog/resolve-model.ts";
import { ResultAssembler } from "../shared/assemble-result.ts";
import { createOpenAICompatibleAdapter } from "./openai-compatible-adapter.ts";
import {
  OLLAMA_PROFILE,
  type OpenAICompatibleProfile,
  SGLANG_PROFILE,
  VLLM_PROFILE,
} from "./openai-compatible-profiles.ts";

const servers: MockServer[] = [];
let vllm: MockServer;
let sglang: MockServer;
let ollama: MockServer;

beforeAll(async () => {
  vllm = await startOpenAICompatibleMock({ dialect: "vllm" });
  sglang = await startOpenAICompatibleMock({ dialect: "sglang" });
  ollama = await startOpenAICompatibleMock({ dialect: "ollama" });
  servers.push(vllm, sglang, ollama);
});
afterAll(async () => {
  for (const server of servers) await server.close();
});

/** Keyless, as self-hosted servers usually run. */
const adapterFor = (profile: OpenAICompatibleProfile, server: MockServer, apiKey?: string) =>
  createOpenAICompatibleAdapter(
    { baseUrl: `${server.url}/v1`, ...(apiKey === undefined ? {} : { apiKey }) },
    { profile, idleTimeoutMs: 2_000 },
  );

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

async function run(adapter: ProviderAdapter, id: string, job: JobSpec) {
  const prepared = adapter.prepare(job, model(id));
  const events: ProviderEvent[] = [];
  for await (const event of adapter.stream(prepared, { signal: new AbortController().signal })) events.push(event);
  const assembler = new ResultAssembler(model(id), { include: job.reasoning.include });
  for (const event of events) assembler.push(event);
  return { prepared, events, result: assembler.result() };
}

async function failure(adapter: ProviderAdapter, id: string, job: JobSpec): Promise<ReasonqError> {
  try {
    for await (const _ of adapter.stream(adapter.prepare(job, model(id)), { signal: new AbortController().signal })) {
      // drain
    }
  } catch (error) {
    return adapter.classifyError(error);
  }
  throw new Error("the stream did not fail");
}

describe("vllm profile", () => {
  it("needs no key, sends no Authorization, and estimates the reasoning count it is not given", async () => {
    const adapter = adapterFor(VLLM_PROFILE, vllm);
    const { prepared, result } = await run(adapter, "vllm/Qwen/Qwen3-8B", spec("What is 3+4?"));
    const sent = vllm.requests.at(-1);
    expect(sent?.headers.authorization).toBeUndefined();
    expect(prepared.resolvedParams).toEqual({ max_tokens: 8_192, chat_template_kwargs: { enable_thinking: true } });
    expect(sent?.body).toMatchObject({ model: "Qwen/Qwen3-8B", stream_options: { include_usage: true } });
    expect(result.output).toMatchObject({ answer: "The answer is 7.", reasoning_kind: "full" });
    expect(result.usage).toMatchObject({ output_tokens: 24, reasoning_tokens_source: "estimated" });
    const usage = result.usage;
    expect((usage?.reasoning_tokens ?? 0) + (usage?.answer_tokens ?? 0)).toBe(24);
  });

  it("turns thinking off through chat_template_kwargs and says an effort has no knob", async () => {
    const adapter = adapterFor(VLLM_PROFILE, vllm);
    const off = await run(adapter, "vllm/Qwen/Qwen3-8B", spec("What is 3+4?", { enabled: false }));
    expect(vllm.requests.at(-1)?.body).toMatchObject({ chat_template_kwargs: { enable_thinking: false } });
    expect(off.result.output).toMatchObject({ reasoning: "", reasoning_kind: "none" });
    const effort = adapter.prepare(spec("x", { effort: "high" }), model("vllm/Qwen/Qwen3-8B"));
    expect(effort.warnings).toEqual([expect.objectContaining({ type: "unsupported", field: "reasoning.effort" })]);
  });

  it("reads the older reasoning_content field too, and sends a key when one is configured", async () => {
    const legacy = await startOpenAICompatibleMock({
      dialect: "vllm",
      reasoningField: "reasoning_content",
      apiKey: "local-key",
    });
    servers.push(legacy);
    const { result } = await run(
      adapterFor(VLLM_PROFILE, legacy, "local-key"),
      "vllm/Qwen/Qwen3-8B",
      spec("What is 3+4?"),
    );
    expect(legacy.requests.at(-1)?.headers.authorization).toBe("Bearer local-key");
    expect(result.output.reasoning).toMatch(/^Let me think about/);
  });

  it("classifies vLLM's flat error bodies", async () => {
    const adapter = adapterFor(VLLM_PROFILE, vllm);
    const error = await failure(adapter, "vllm/Qwen/Qwen3-8B", spec("x [mock:status=400]"));
    expect(error).toMatchObject({
      type: "provider_invalid_request",
      message: expect.stringContaining("mock error 400"),
    });
    expect((await failure(adapter, "vllm/Qwen/Qwen3-8B", spec("What is 1+1? [mock:overload_mid_stream]"))).type).toBe(
      "provider_overloaded",
    );
  });

  it("assembles the recorded-shape stream", async () => {
    const lines = readFileSync(new URL("./__fixtures__/vllm-reasoning.chunks.txt", import.meta.url), "utf8")
      .split("\n")
      .filter((l) => l.trim() !== "");
    const server = await startMockServer(async (_request, response) => {
      const sse = startSse(response);
      for (const line of lines) await sse.event(line);
      await sse.event("[DONE]");
      sse.end();
    });
    servers.push(server);
    const { result } = await run(adapterFor(VLLM_PROFILE, server), "vllm/Qwen/Qwen3-8B", spec("x"));
    expect(result.output).toMatchObject({
      reasoning: "Count the letters.",
      answer: "3",
      provider_response_id: "chatcmpl-7",
    });
    expect(result.usage).toMatchObject({
      input_tokens: 12,
      output_tokens: 28,
      // Output less the one-token answer "3".
      reasoning_tokens: 27,
      reasoning_tokens_source: "estimated",
    });
  });
});

describe("sglang profile", () => {
  it("always asks for separated reasoning and reads reasoning_content", async () => {
    const { prepared, result } = await run(
      adapterFor(SGLANG_PROFILE, sglang),
      "sglang/Qwen/Qwen3-8B",
      spec("What is 5*5?"),
    );
    expect(prepared.resolvedParams).toMatchObject({
      separate_reasoning: true,
      chat_template_kwargs: { enable_thinking: true },
    });
    expect(result.output).toMatchObject({ answer: "The answer is 25.", reasoning_kind: "full" });
    expect(result.output.reasoning).not.toContain("<think>");
  });
});

describe("ollama profile", () => {
  it("maps the effort onto low|medium|high and reads the reasoning field", async () => {
    const adapter = adapterFor(OLLAMA_PROFILE, ollama);
    const { prepared, result } = await run(adapter, "ollama/qwen3", spec("What is 9+9?", { effort: "xhigh" }));
    expect(ollama.requests.at(-1)?.body).toMatchObject({ reasoning_effort: "high" });
    expect(prepared.warnings).toEqual([expect.objectContaining({ type: "adapted", field: "reasoning.effort" })]);
    expect(result.output).toMatchObject({ answer: "The answer is 18.", reasoning_kind: "full" });
    expect(result.usage).toMatchObject({ reasoning_tokens_source: "estimated", output_tokens: 36 });
  });

  it("turns thinking off with none, where the model allows it", async () => {
    const adapter = adapterFor(OLLAMA_PROFILE, ollama);
    const off = await run(adapter, "ollama/qwen3", spec("What is 9+9?", { enabled: false }));
    expect(ollama.requests.at(-1)?.body).toMatchObject({ reasoning_effort: "none" });
    expect(off.result.output.reasoning).toBe("");
    expect(() => adapter.prepare(spec("x", { enabled: false }), model("ollama/gpt-oss:20b"))).toThrow(
      expect.objectContaining({ type: "unsupported_parameter" }),
    );
  });

  it("classifies Ollama's model-not-found", async () => {
    const missing = await startOpenAICompatibleMock({ dialect: "ollama", models: ["llama3"] });
    servers.push(missing);
    const error = await failure(adapterFor(OLLAMA_PROFILE, missing), "ollama/qwen3", spec("x"));
    expect(error).toMatchObject({
      type: "provider_not_found",
      message: expect.stringContaining("try pulling it first"),
    });
  });
});
