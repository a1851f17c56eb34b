import { readFileSync } from "node:fs";
import type { JobSpec, ProviderEvent, ResolvedReasoning } from "@reasonq/core";
import { type MockServer, startGoogleMock, startMockServer } from "@reasonq/mock-providers";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ModelInfo, ProviderAdapter } from "../adapter.ts";
import { catalog } from "../catalog/resolve-model.ts";
import { createAdapters } from "../registry.ts";
import { ResultAssembler } from "../shared/assemble-result.ts";
import { createGoogleAdapter } from "./google-adapter.ts";
import { thinkingSpecOf } from "./google-models.ts";

const KEY = "test-key";
let mock: MockServer;
let adapter: ProviderAdapter;
beforeAll(async () => {
  mock = await startGoogleMock({ apiKey: KEY });
  adapter = createGoogleAdapter({ apiKey: KEY, baseUrl: mock.url });
});
afterAll(() => mock.close());

const model = (name: string): ModelInfo => catalog.resolve(name).model;

function spec(prompt: string, reasoning: Partial<ResolvedReasoning> = {}, over: Partial<JobSpec> = {}): JobSpec {
  return {
    model: "google/gemini-2.5-flash",
    messages: [{ role: "user", content: prompt }],
    reasoning: { include: true, enabled: true, ...reasoning },
    sampling: {},
    metadata: {},
    ...over,
  };
}

async function collect(events: AsyncIterable<ProviderEvent>, seen: ProviderEvent[] = []): Promise<ProviderEvent[]> {
  for await (const event of events) seen.push(event);
  return seen;
}

function assemble(m: ModelInfo, events: ProviderEvent[], include = true) {
  const assembler = new ResultAssembler(m, { include });
  for (const event of events) assembler.push(event);
  return assembler.result();
}

/** Runs a job through the adapter; returns what was prepared, the events and the assembled result. */
async function run(prompt: string, reasoning: Partial<ResolvedReasoning> = {}, name = "gemini-2.5-flash", over = {}) {
  const m = model(name);
  const job = spec(prompt, reasoning, over);
  const prepared = adapter.prepare(job, m);
  const events = await collect(adapter.stream(prepared, { signal: new AbortController().signal }));
  const sent = mock.requests.at(-1);
  if (sent === undefined) throw new Error("the mock saw no request");
  const config = (sent.body as { generationConfig: Record<string, unknown> }).generationConfig;
  return { prepared, events, result: assemble(m, events, job.reasoning.include), sent, config };
}

/** The error a run ends with, classified as the worker would. */
async function failure(prompt: string, a: ProviderAdapter = adapter, seen: ProviderEvent[] = []) {
  const prepared = a.prepare(spec(prompt, { effort: "low" }), model("gemini-2.5-flash"));
  try {
    await collect(a.stream(prepared, { signal: new AbortController().signal }), seen);
  } catch (error) {
    return a.classifyError(error);
  }
  throw new Error("the stream did not fail");
}

describe("google adapter against the Gemini mock", () => {
  it("streams reasoning and answer, with usage in reasonq's convention", async () => {
    const { result, sent, prepared } = await run("What is 17*23?", { effort: "medium" });
    expect(sent.path).toBe("/v1/models/gemini-2.5-flash:streamGenerateContent");
    expect(sent.query.get("alt")).toBe("sse");
    expect(sent.headers["x-goog-api-key"]).toBe(KEY);
    expect(sent.body).toEqual(prepared.body);
    expect(prepared.resolvedParams).toEqual({
      generationConfig: { maxOutputTokens: 65_536, thinkingConfig: { thinkingBudget: 8192, includeThoughts: true } },
    });

    expect(result.output).toMatchObject({
      answer: "The answer is 391.",
      reasoning: expect.stringMatching(/^\*\*Understanding the question\*\*/),
      reasoning_kind: "summary",
      finish_reason: "stop",
      provider_finish_reason: "STOP",
      provider_response_id: expect.any(String),
    });
    const raw = result.reported?.raw as {
      candidatesTokenCount: number;
      thoughtsTokenCount: number;
      promptTokenCount: number;
    };
    expect(result.usage).toEqual({
      input_tokens: raw.promptTokenCount,
      cached_input_tokens: 0,
      cache_write_tokens: 0,
      output_tokens: raw.candidatesTokenCount + raw.thoughtsTokenCount,
      reasoning_tokens: raw.thoughtsTokenCount,
      answer_tokens: raw.candidatesTokenCount,
      reasoning_tokens_source: "provider",
    });
    // A summary is shown while the full thinking is billed.
    expect(result.usage?.reasoning_tokens).toBeGreaterThan(Math.ceil(result.output.reasoning.length / 4));
  });

  it("sends the prepared body unchanged through the SDK: system text, turns, sampling", async () => {
    const messages: JobSpec["messages"] = [
      { role: "system", content: "Be brief." },
      { role: "user", content: "Hi" },
      { role: "assistant", content: "Hello." },
      { role: "user", content: "What is 5-8?" },
    ];
    const sampling = { temperature: 0.3, top_p: 0.8, top_k: 20, stop: ["END"], seed: 1 };
    const { sent, prepared, result } = await run("", { budget_tokens: 2000 }, "gemini-2.5-pro", {
      messages,
      sampling,
      max_output_tokens: 9000,
    });
    expect(sent.body).toEqual(prepared.body);
    expect(prepared.resolvedParams).toEqual({
      generationConfig: {
        maxOutputTokens: 9000,
        temperature: 0.3,
        topP: 0.8,
        topK: 20,
        stopSequences: ["END"],
        seed: 1,
        thinkingConfig: { thinkingBudget: 2000, includeThoughts: true },
      },
    });
    expect(result.output.answer).toBe("The answer is -3.");
  });

  it("keeps cached prompt tokens inside the input", async () => {
    const long = `${"background ".repeat(600)}What is 6*7?`;
    await run(long, { effort: "low" });
    const { result } = await run(long, { effort: "low" });
    expect(result.usage?.cached_input_tokens).toBeGreaterThan(0);
    expect(result.usage?.cached_input_tokens).toBeLessThanOrEqual(result.usage?.input_tokens ?? 0);
  });

  it("keeps the thought signature verbatim, and mapResponse of the same content assembles identically", async () => {
    const { prepared, result } = await run("What is 12*12?", { effort: "high" });
    const raw = (await fetch(`${mock.url}/v1beta/models/gemini-2.5-flash:generateContent`, {
      method: "POST",
      headers: { "x-goog-api-key": KEY, "content-type": "application/json" },
      body: JSON.stringify(prepared.body),
    }).then((r) => r.json())) as { candidates: Array<{ content: { parts: Array<{ thoughtSignature?: string }> } }> };
    const signature = raw.candidates[0]?.content.parts.find((p) => p.thoughtSignature)?.thoughtSignature;
    expect(signature).toBeTruthy();
    expect(result.output.thinking_blocks).toEqual([
      { type: "thinking", thinking: result.output.reasoning, signature, provider: "google" },
    ]);

    const mapped = assemble(model("gemini-2.5-flash"), adapter.mapResponse?.(raw, model("gemini-2.5-flash")) ?? []);
    expect({ ...mapped.output, provider_response_id: null }).toEqual({ ...result.output, provider_response_id: null });
    expect(mapped.usage).toEqual(result.usage);
  });

  it("maps effort to a thinkingLevel on Gemini 3, with a warning for a level the model lacks", async () => {
    const { sent, config, prepared, result, events } = await run(
      "Why is the sky blue?",
      { effort: "minimal" },
      "gemini-3.8-flash",
    );
    expect(sent.path).toBe("/v1/models/gemini-3.8-flash:streamGenerateContent");
    const thinking = config.thinkingConfig;
    expect(thinking).toEqual({ thinkingLevel: "LOW", includeThoughts: true });
    expect(prepared.warnings).toEqual([expect.objectContaining({ type: "adapted", field: "reasoning.effort" })]);
    // The 3.x signature arrives on an empty trailing part; it still lands in a block.
    expect(events.filter((e) => e.type === "thinking-block")).toHaveLength(1);
    expect(result.output.answer).toContain("Why is the sky blue?");
  });

  it("maps a budget to a level on Gemini 3 and never sends both knobs", async () => {
    const { config, prepared } = await run("Hi", { budget_tokens: 9000 }, "gemini-3.1-pro-preview");
    expect(config).toEqual({
      maxOutputTokens: 65_536,
      thinkingConfig: { thinkingLevel: "MEDIUM", includeThoughts: true },
    });
    expect(prepared.warnings).toEqual([expect.objectContaining({ field: "reasoning.budget_tokens" })]);
  });

  it("turns 2.5 Flash's thinking off, and refuses to on models that cannot", async () => {
    const { config, result } = await run("What is 1+1?", { enabled: false });
    expect(config).toEqual({
      maxOutputTokens: 65_536,
      thinkingConfig: { thinkingBudget: 0 },
    });
    expect(result.output).toMatchObject({ reasoning: "", reasoning_kind: "none", answer: "The answer is 2." });
    expect(result.usage?.reasoning_tokens).toBe(0);
    for (const name of ["gemini-2.5-pro", "gemini-3.1-pro-preview"]) {
      expect(() => adapter.prepare(spec("x", { enabled: false }), model(name))).toThrow(
        expect.objectContaining({ type: "unsupported_parameter", field: "reasoning.enabled" }),
      );
    }
  });

  it("hides the thoughts without include, still billing them", async () => {
    const { config, result } = await run("What is 3+4?", { include: false, effort: "low" });
    expect(config).toEqual({
      maxOutputTokens: 65_536,
      thinkingConfig: { thinkingBudget: 1024 },
    });
    expect(result.output).toMatchObject({ reasoning: "", reasoning_kind: "hidden" });
    // Only signatures with no thought text are kept: the next turn needs them back.
    expect(result.output.thinking_blocks.every((b) => b.type === "thinking" && b.thinking === "")).toBe(true);
    expect(result.usage?.reasoning_tokens).toBeGreaterThan(0);
  });

  describe("finish reasons", () => {
    it("ends as length with an empty answer when thinking eats maxOutputTokens", async () => {
      const { result } = await run("Think hard", { effort: "high" }, "gemini-2.5-flash", { max_output_tokens: 100 });
      expect(result.output).toMatchObject({
        finish_reason: "length",
        provider_finish_reason: "MAX_TOKENS",
        answer: "",
      });
      expect(result.usage?.output_tokens).toBe(100);
    });

    it("ends as length for the finish=length marker, and content_filter for SAFETY", async () => {
      const length = await run("Go [mock:finish=length]", { effort: "low" });
      expect(length.result.output).toMatchObject({ finish_reason: "length", answer: "" });
      expect(length.result.output.reasoning).not.toBe("");
      const filtered = await run("Go [mock:finish=content_filter]", { effort: "low" });
      expect(filtered.result.output).toMatchObject({
        finish_reason: "content_filter",
        provider_finish_reason: "SAFETY",
      });
    });
  });

  describe("faults", () => {
    it("classifies 429 RESOURCE_EXHAUSTED with RetryInfo as rate limited", async () => {
      const error = await failure("Hi [mock:status=429,retry_after=3]");
      expect(error).toMatchObject({ type: "provider_rate_limited", providerStatus: 429 });
      expect(error.retryAfterMs).toBeGreaterThanOrEqual(3000);
      expect(error.message).toContain("You exceeded your current quota");
    });

    it("honours a retry-after header when the API sends one", async () => {
      const withHeader = await startGoogleMock({ apiKey: KEY, retryAfterHeader: true });
      try {
        const a = createGoogleAdapter({ apiKey: KEY, baseUrl: withHeader.url });
        const error = await failure("Hi [mock:status=429,retry_after=7.5]", a);
        expect(error.type).toBe("provider_rate_limited");
        expect(error.retryAfterMs).toBeGreaterThanOrEqual(8000);
      } finally {
        await withHeader.close();
      }
    });

    it.each([
      ["[mock:status=503]", "provider_overloaded"],
      ["[mock:status=500]", "provider_server_error"],
      ["[mock:status=401]", "provider_auth"],
      ["[mock:status=403]", "provider_auth"],
      ["[mock:status=404]", "provider_not_found"],
    ])("classifies %s as %s", async (marker, type) => {
      expect((await failure(`Hi ${marker}`)).type).toBe(type);
    });

    it("passes Google's 400 message on", async () => {
      const error = await failure("Hi [mock:status=400]");
      expect(error).toMatchObject({ type: "provider_invalid_request", providerStatus: 400 });
      expect(error.message).toBe("google returned 400: Request contains an invalid argument.");
    });

    it("classifies a wrong key as an auth error and an unknown model as not found", async () => {
      const wrong = createGoogleAdapter({ apiKey: "wrong", baseUrl: mock.url });
      expect((await failure("Hi", wrong)).type).toBe("provider_auth");
      const ghost: ModelInfo = { ...model("gemini-2.5-flash"), model: "gemini-0-ghost" };
      const prepared = { ...adapter.prepare(spec("Hi"), model("gemini-2.5-flash")), model: ghost };
      const error = await collect(adapter.stream(prepared, { signal: new AbortController().signal })).catch(
        (e: unknown) => adapter.classifyError(e),
      );
      expect(error).toMatchObject({ type: "provider_not_found", message: expect.stringContaining("gemini-0-ghost") });
    });

    it("classifies an overload inside a 200 stream, after the first events arrived", async () => {
      const seen: ProviderEvent[] = [];
      const error = await failure("Hi [mock:overload_mid_stream]", adapter, seen);
      expect(error).toMatchObject({ type: "provider_overloaded", providerStatus: 503 });
      expect(seen.some((e) => e.type === "reasoning-delta")).toBe(true);
    });

    it("classifies a connection cut mid-stream as a dropped stream", async () => {
      const seen: ProviderEvent[] = [];
      const error = await failure("Hi [mock:cut_mid_stream]", adapter, seen);
      expect(error.type).toBe("provider_stream_dropped");
      expect(seen.length).toBeGreaterThan(0);
    });

    it("drops a stream that goes silent", async () => {
      const impatient = createGoogleAdapter({ apiKey: KEY, baseUrl: mock.url }, { idleTimeoutMs: 50 });
      const error = await failure("Hi [mock:trickle_ms=5000]", impatient);
      expect(error.type).toBe("provider_stream_dropped");
    });

    it("aborts the HTTP request when the signal fires mid-stream", async () => {
      const controller = new AbortController();
      const prepared = adapter.prepare(
        spec("Slowly [mock:trickle_ms=30]", { effort: "high" }),
        model("gemini-2.5-flash"),
      );
      const seen: ProviderEvent[] = [];
      const error = await (async () => {
        for await (const event of adapter.stream(prepared, { signal: controller.signal })) {
          seen.push(event);
          if (event.type === "reasoning-delta") controller.abort("cancel");
        }
      })().catch((e: unknown) => adapter.classifyError(e));
      expect(error).toMatchObject({ type: "job_cancelled" });
      expect(seen.filter((e) => e.type === "reasoning-delta")).toHaveLength(1);
      const socket = mock.requests.at(-1)?.raw.socket;
      await waitFor(() => socket?.destroyed === true);
    });
  });

  it("replays a recorded-shape stream through the SDK", async () => {
    const recorded = readFileSync(new URL("./__fixtures__/google-reasoning.chunks.txt", import.meta.url), "utf8");
    const replay = await startMockServer((_request, response) => {
      response.writeHead(200, { "content-type": "text/event-stream" });
      response.end(recorded.replaceAll("\n\n", "\r\n\r\n"));
    });
    try {
      const a = createGoogleAdapter({ apiKey: KEY, baseUrl: replay.url });
      const m = model("gemini-2.5-flash");
      const events = await collect(
        a.stream(a.prepare(spec("How many r's in strawberry?"), m), { signal: new AbortController().signal }),
      );
      const { output, usage } = assemble(m, events);
      expect(output).toMatchObject({
        answer: "There are 3 r's in strawberry.",
        reasoning: "**Counting letters**\n...",
        thinking_blocks: [
          { type: "thinking", thinking: "**Counting letters**\n...", signature: "EvsF...", provider: "google" },
        ],
        provider_response_id: "r1",
      });
      expect(usage).toMatchObject({ input_tokens: 9, output_tokens: 290, reasoning_tokens: 282, answer_tokens: 8 });
    } finally {
      await replay.close();
    }
  });

  it("is registered as the google family", () => {
    const registry = createAdapters({ simTokensPerSecond: 1000, connections: { google: { apiKey: KEY } } });
    expect(registry.get("google").family).toBe("google");
    for (const entry of catalog.list().filter((m) => m.provider === "google")) {
      expect(entry.id).toBe(`google/${entry.model}`);
      expect(entry.aliases).toContain(entry.model);
      expect(() => thinkingSpecOf(entry)).not.toThrow();
    }
  });
});

async function waitFor(condition: () => boolean, timeoutMs = 5000): Promise<void> {
  const start = Date.now();
  while (!condition()) {
    if (Date.now() - start > timeoutMs) throw new Error("condition not met in time");
    await new Promise((resolve) => setImmediate(resolve));
  }
}
