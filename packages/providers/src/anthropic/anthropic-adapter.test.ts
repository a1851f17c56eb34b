import Anthropic from "@anthropic-ai/sdk";
import type { MessageCreateParamsNonStreaming } from "@anthropic-ai/sdk/resources/messages";
import type { JobSpec, ProviderEvent, ReasonqError, ResolvedReasoning } from "@reasonq/core";
import { type MockServer, startAnthropicMock } from "@reasonq/mock-providers";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ModelInfo, ProviderAdapter } from "../adapter.ts";
import { ResultAssembler } from "../shared/assemble-result.ts";
import { createAnthropicAdapter } from "./anthropic-adapter.ts";
import { ANTHROPIC_MODELS } from "./anthropic-models.ts";

const KEY = "test-key";
const REDACT =
  "ANTHROPIC_MAGIC_STRING_TRIGGER_REDACTED_THINKING_46C9A13E193C177646C7398A98432ECCCE4C1253D5E2D82641AC0E52CC2876CB";

let mock: MockServer;
let tight: MockServer;
let adapter: ProviderAdapter;

beforeAll(async () => {
  mock = await startAnthropicMock({ apiKey: KEY });
  tight = await startAnthropicMock({ apiKey: KEY, contextWindow: 20 });
  adapter = createAnthropicAdapter({ apiKey: KEY, baseUrl: mock.url }, { idleTimeoutMs: 5000 });
});
afterAll(async () => {
  await mock.close();
  await tight.close();
});

const model = (name: string): ModelInfo => {
  const found = ANTHROPIC_MODELS.find((m) => m.model === name);
  if (found === undefined) throw new Error(`no ${name}`);
  return found;
};

function spec(
  prompt: string,
  options: { reasoning?: Partial<ResolvedReasoning> } & Partial<Omit<JobSpec, "reasoning">> = {},
): JobSpec {
  const { reasoning, ...rest } = options;
  return {
    model: "anthropic/x",
    messages: [{ role: "user", content: prompt }],
    reasoning: { include: true, enabled: true, ...reasoning },
    sampling: {},
    metadata: {},
    ...rest,
  };
}

interface Run {
  events: ProviderEvent[];
  result: ReturnType<ResultAssembler["result"]>;
  error: ReasonqError | null;
  sent: Record<string, unknown>;
}

async function run(
  job: JobSpec,
  name: string,
  options: {
    adapter?: ProviderAdapter;
    server?: MockServer;
    signal?: AbortSignal;
    onEvent?: (e: ProviderEvent) => void;
    /** Changes the prepared body, to send what prepare would have refused. */
    alter?: (body: Record<string, unknown>) => void;
  } = {},
): Promise<Run> {
  const use = options.adapter ?? adapter;
  const m = model(name);
  const request = use.prepare(job, m);
  options.alter?.(request.body);
  const assembler = new ResultAssembler(m, { include: job.reasoning.include });
  const events: ProviderEvent[] = [];
  let error: ReasonqError | null = null;
  try {
    for await (const event of use.stream(request, { signal: options.signal ?? new AbortController().signal })) {
      events.push(event);
      assembler.push(event);
      options.onEvent?.(event);
    }
  } catch (thrown) {
    error = use.classifyError(thrown);
  }
  const sent = (options.server ?? mock).requests.at(-1)?.body as Record<string, unknown>;
  return { events, result: assembler.result(), error, sent };
}

describe("anthropic adapter against the mock", () => {
  it("streams reasoning and answer; usage obeys SPEC §4 (estimated reasoning where Anthropic gives no count)", async () => {
    const { result, error, sent } = await run(
      spec("What is 17*23?", { reasoning: { budget_tokens: 4096 } }),
      "claude-sonnet-4-6",
    );
    expect(error).toBeNull();
    expect(sent).toMatchObject({
      model: "claude-sonnet-4-6",
      thinking: { type: "enabled", budget_tokens: 4096, display: "summarized" },
      max_tokens: 32_000,
      stream: true,
    });
    expect(mock.requests.at(-1)?.headers).toMatchObject({
      authorization: `Bearer ${KEY}`,
      "anthropic-version": "2026-10-21",
    });
    const { output, usage, reported } = result;
    expect(output.answer).toBe("The answer is 391.");
    expect(output.reasoning).toMatch(/^Let me think about "What is 17\*23\?"/);
    expect(output.reasoning_kind).toBe("summary");
    expect(output.finish_reason).toBe("stop");
    expect(output.provider_finish_reason).toBe("end_turn");
    expect(output.provider_response_id).toMatch(/^msg_/);
    expect(output.thinking_blocks).toEqual([
      { type: "thinking", thinking: output.reasoning, signature: expect.stringMatching(/^Eq/), provider: "anthropic" },
    ]);
    const raw = reported?.raw as Record<string, number>;
    expect(usage).toMatchObject({
      input_tokens: raw.input_tokens,
      output_tokens: raw.output_tokens,
      reasoning_tokens_source: "estimated",
    });
    expect((usage?.reasoning_tokens ?? 0) + (usage?.answer_tokens ?? 0)).toBe(usage?.output_tokens);
  });

  it("maps effort to adaptive thinking and takes the provider's thinking_tokens where it reports them", async () => {
    const { result, sent } = await run(spec("Explain 2+2", { reasoning: { effort: "high" } }), "claude-opus-4-8");
    expect(sent).toMatchObject({
      thinking: { type: "adaptive", display: "summarized" },
      output_config: { effort: "high" },
    });
    const raw = result.reported?.raw as { output_tokens_details: { thinking_tokens: number } };
    expect(result.usage).toMatchObject({
      reasoning_tokens: raw.output_tokens_details.thinking_tokens,
      reasoning_tokens_source: "provider",
    });
    // The billed (full) reasoning is longer than the summary shown.
    expect(result.usage?.reasoning_tokens).toBeGreaterThan(result.output.reasoning.length / 4);
  });

  it("spends more reasoning at higher effort", async () => {
    const low = await run(spec("Think", { reasoning: { effort: "low" } }), "claude-opus-5");
    const max = await run(spec("Think", { reasoning: { effort: "max" } }), "claude-opus-5");
    expect(max.result.usage?.reasoning_tokens).toBeGreaterThan(low.result.usage?.reasoning_tokens ?? 0);
    expect(max.result.output.reasoning.length).toBeGreaterThan(low.result.output.reasoning.length);
  });

  it("counts cache reads and writes inside input (automatic prompt caching)", async () => {
    const caching = createAnthropicAdapter({ apiKey: KEY, baseUrl: mock.url }, { promptCaching: true });
    const prompt = "A long shared context about prime numbers, repeated for caching.";
    const first = await run(spec(prompt), "claude-sonnet-5-5", { adapter: caching });
    const second = await run(spec(prompt), "claude-sonnet-5-5", { adapter: caching });
    expect(first.sent.cache_control).toEqual({ type: "ephemeral" });
    expect(first.result.usage?.cache_write_tokens).toBeGreaterThan(0);
    expect(second.result.usage?.cached_input_tokens).toBe(first.result.usage?.cache_write_tokens);
    expect(second.result.usage?.input_tokens).toBe(first.result.usage?.input_tokens);
    const raw = second.result.reported?.raw as {
      input_tokens: number;
      cache_read_input_tokens: number;
      cache_creation_input_tokens: number;
    };
    expect(second.result.usage?.input_tokens).toBe(
      raw.input_tokens + raw.cache_read_input_tokens + raw.cache_creation_input_tokens,
    );
  });

  it("keeps thinking and redacted_thinking blocks verbatim: the API accepts them back", async () => {
    const { result } = await run(
      spec(`Is 91 prime? ${REDACT}`, { reasoning: { effort: "medium" } }),
      "claude-opus-4-8",
    );
    const blocks = result.output.thinking_blocks;
    expect(blocks.map((b) => b.type)).toEqual(["thinking", "redacted_thinking"]);
    expect(blocks[1]).toEqual({ type: "redacted_thinking", data: expect.stringMatching(/^Eq/), provider: "anthropic" });
    const client = new Anthropic({ apiKey: KEY, baseURL: mock.url, maxRetries: 0 });
    const next = await client.messages.create({
      model: "claude-opus-4-8",
      max_tokens: 4096,
      thinking: { type: "adaptive" },
      messages: [
        { role: "user", content: `Is 91 prime? ${REDACT}` },
        {
          role: "assistant",
          content: [...blocks.map(({ provider: _, ...block }) => block), { type: "text", text: result.output.answer }],
        },
        { role: "user", content: "Why?" },
      ],
    } as MessageCreateParamsNonStreaming);
    expect(next.stop_reason).toBe("end_turn");
  });

  it("asks for omitted thinking when include is false, and sends no thinking field to turn Opus 4.8 off", async () => {
    const hidden = await run(
      spec("What is 3*3?", { reasoning: { include: false, effort: "low" } }),
      "claude-sonnet-5-5",
    );
    expect(hidden.sent.thinking).toEqual({ type: "adaptive", display: "omitted" });
    expect(hidden.result.output).toMatchObject({
      reasoning: "",
      reasoning_kind: "hidden",
      // The signature-only block is kept: a tool loop needs it back.
      thinking_blocks: [
        { type: "thinking", thinking: "", signature: expect.stringMatching(/^Eq/), provider: "anthropic" },
      ],
      answer: "The answer is 9.",
    });
    const off = await run(spec("What is 3*3?", { reasoning: { enabled: false } }), "claude-opus-4-8");
    expect(off.error).toBeNull();
    expect(off.sent).not.toHaveProperty("thinking");
    expect(off.result.output).toMatchObject({ reasoning_kind: "none", answer: "The answer is 9." });
    expect(off.result.usage?.reasoning_tokens).toBe(0);
  });

  it("raises max_tokens above a large budget, which the API then accepts", async () => {
    const { sent, error } = await run(
      spec("x", { reasoning: { budget_tokens: 20_000 }, max_output_tokens: 8000 }),
      "claude-sonnet-4-6",
    );
    expect(error).toBeNull();
    expect(sent).toMatchObject({ max_tokens: 28_000, thinking: { budget_tokens: 20_000 } });
  });

  it("sends anthropic-version 2023-06-01 when configured, where temperature works with thinking off", async () => {
    const legacy = createAnthropicAdapter({ apiKey: KEY, baseUrl: mock.url }, { apiVersion: "2023-06-01" });
    const { error, sent } = await run(
      spec("What is 1+1?", { reasoning: { enabled: false }, sampling: { temperature: 0.2 } }),
      "claude-sonnet-4-6",
      { adapter: legacy },
    );
    expect(error).toBeNull();
    expect(sent).toMatchObject({ temperature: 0.2, thinking: { type: "disabled" } });
    expect(mock.requests.at(-1)?.headers["anthropic-version"]).toBe("2023-06-01");
  });

  it("reports finish length with an empty answer when the reasoning ate max_tokens", async () => {
    const { result, error } = await run(spec("Hard one [mock:finish=length]"), "claude-opus-5");
    expect(error).toBeNull();
    expect(result.output).toMatchObject({ finish_reason: "length", provider_finish_reason: "max_tokens", answer: "" });
    expect(result.output.reasoning).not.toBe("");
    const refused = await run(spec("x [mock:finish=content_filter]"), "claude-opus-5");
    expect(refused.result.output).toMatchObject({ finish_reason: "content_filter", provider_finish_reason: "refusal" });
  });
});

describe("anthropic adapter: faults", () => {
  it("429 with retry-after → provider_rate_limited waiting at least as asked", async () => {
    const { error } = await run(spec("x [mock:status=429,retry_after=3]"), "claude-sonnet-4-6");
    expect(error).toMatchObject({ type: "provider_rate_limited", providerStatus: 429 });
    expect(error?.retryAfterMs).toBeGreaterThanOrEqual(3000);
    expect(mock.requests.filter((r) => JSON.stringify(r.body).includes("status=429,retry_after=3"))).toHaveLength(1);
  });

  it("529 and an overload inside the 200 stream → provider_overloaded; 500 → provider_server_error", async () => {
    expect((await run(spec("x [mock:status=529]"), "claude-sonnet-4-6")).error?.type).toBe("provider_overloaded");
    expect((await run(spec("x [mock:status=500]"), "claude-sonnet-4-6")).error?.type).toBe("provider_server_error");
    const mid = await run(spec("x [mock:overload_mid_stream]"), "claude-sonnet-4-6");
    expect(mid.error).toMatchObject({
      type: "provider_overloaded",
      message: "anthropic stream error (overloaded_error): Overloaded",
    });
    expect(mid.events.some((e) => e.type === "reasoning-delta")).toBe(true);
    expect(mid.result.output.finish_reason).toBe("error");
    // The input usage of message_start is kept for the partial attempt.
    expect(mid.result.usage?.input_tokens).toBeGreaterThan(0);
  });

  it("a connection cut mid-stream and a silent stream → provider_stream_dropped", async () => {
    const cut = await run(spec("x [mock:cut_mid_stream]"), "claude-sonnet-4-6");
    expect(cut.error?.type).toBe("provider_stream_dropped");
    const impatient = createAnthropicAdapter({ apiKey: KEY, baseUrl: mock.url }, { idleTimeoutMs: 50 });
    const idle = await run(spec("x [mock:trickle_ms=400]"), "claude-sonnet-4-6", { adapter: impatient });
    expect(idle.error).toMatchObject({ type: "provider_stream_dropped" });
    expect(idle.error?.message).toMatch(/sent nothing/);
  });

  it("400s carry Anthropic's message; a prompt over the context window → context_length_exceeded; bad key → provider_auth", async () => {
    const bad = await run(spec("x"), "claude-opus-5", {
      alter: (body) => {
        body.temperature = 0.5;
      },
    });
    expect(bad.error).toMatchObject({
      type: "provider_invalid_request",
      providerStatus: 400,
      message: "anthropic returned 400: temperature: Extra inputs are not permitted",
    });
    const long = createAnthropicAdapter({ apiKey: KEY, baseUrl: tight.url });
    const tooLong = await run(spec("a prompt well over twenty tokens ".repeat(10)), "claude-opus-5", {
      adapter: long,
      server: tight,
    });
    expect(tooLong.error).toMatchObject({
      type: "context_length_exceeded",
      message: expect.stringMatching(/prompt is too long: \d+ tokens > 20 maximum/),
    });
    const wrong = createAnthropicAdapter({ apiKey: "sk-ant-wrong-key-123456", baseUrl: mock.url });
    const denied = await run(spec("x"), "claude-opus-5", { adapter: wrong });
    expect(denied.error).toMatchObject({ type: "provider_auth", providerStatus: 401 });
  });

  it("an abort through the signal mid-stream cancels the request", async () => {
    const controller = new AbortController();
    const { error, events } = await run(spec("x [mock:trickle_ms=30]"), "claude-sonnet-4-6", {
      signal: controller.signal,
      onEvent: (event) => {
        if (event.type === "reasoning-delta") controller.abort();
      },
    });
    expect(error?.type).toBe("job_cancelled");
    expect(events.filter((e) => e.type === "reasoning-delta")).toHaveLength(1);
    expect(events.some((e) => e.type === "finish")).toBe(false);
  });
});

describe("anthropic adapter: mapResponse ≡ stream", () => {
  it("a non-streaming response of the same content assembles to the same output and usage", async () => {
    const job = spec(`Is 97 prime? ${REDACT}`, { reasoning: { budget_tokens: 3000 } });
    const streamed = await run(job, "claude-sonnet-4-6");
    const client = new Anthropic({ apiKey: KEY, baseURL: mock.url, maxRetries: 0 });
    const { stream: _, ...body } = streamed.sent;
    // A non-streaming call with a large max_tokens needs an explicit timeout (SDK "long requests" rule).
    const json = await client.messages.create(body as unknown as MessageCreateParamsNonStreaming, { timeout: 60_000 });
    const m = model("claude-sonnet-4-6");
    const assembler = new ResultAssembler(m, { include: true });
    for (const event of adapter.mapResponse?.(JSON.parse(JSON.stringify(json)), m) ?? []) assembler.push(event);
    const mapped = assembler.result();
    // Each response has its own id and signatures; everything else matches.
    const strip = (r: typeof mapped) => ({
      ...r.output,
      provider_response_id: null,
      thinking_blocks: r.output.thinking_blocks.map((b) =>
        b.type === "thinking" ? { ...b, signature: "" } : { ...b, data: "" },
      ),
    });
    expect(strip(mapped)).toEqual(strip(streamed.result));
    expect(mapped.usage).toEqual(streamed.result.usage);
    expect(mapped.reported?.raw).toEqual(streamed.result.reported?.raw);
  });
});
