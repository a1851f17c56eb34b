/**
 * One conformance suite for every adapter (STYLE §8 items 4, 5, 15): each family runs the
 * same cases against its mock server (the sim against itself), so a behaviour one adapter
 * gets right and another gets wrong shows up as one row failing one case.
 *
 * Cases: (a) reasoning then answer, usage by SPEC §4 · (b) mapResponse ≡ stream ·
 * (c) 429 with retry-after · (d) 500 · (e) 400 · (f) abort mid-stream · (g) connection cut ·
 * (h) finish length. A family that genuinely cannot do a case says so in `skip`, with why.
 *
 * The second half checks the shape of every provider folder and the catalog ↔ registry link.
 */
import { existsSync, readdirSync, statSync } from "node:fs";
import type { Socket } from "node:net";
import { type JobSpec, type ProviderEvent, type ReasonqError, UsageSchema } from "@reasonq/core";
import {
  type MockRequest,
  type MockServer,
  startAnthropicMock,
  startDeepSeekMock,
  startGoogleMock,
  startOpenAICompatibleMock,
  startOpenAIMock,
} from "@reasonq/mock-providers";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ModelInfo, ProviderAdapter } from "./adapter.ts";
import { createAnthropicAdapter } from "./anthropic/anthropic-adapter.ts";
import { catalog } from "./catalog/resolve-model.ts";
import { createDeepSeekAdapter } from "./deepseek/deepseek-adapter.ts";
import { createGoogleAdapter } from "./google/google-adapter.ts";
import { createOpenAIAdapter } from "./openai/openai-adapter.ts";
import { createOpenAICompatibleAdapter } from "./openai-compatible/openai-compatible-adapter.ts";
import {
  OLLAMA_PROFILE,
  OPENROUTER_PROFILE,
  type OpenAICompatibleProfile,
  SGLANG_PROFILE,
  THEAGENTIC_PROFILE,
  VLLM_PROFILE,
  XAI_PROFILE,
} from "./openai-compatible/openai-compatible-profiles.ts";
import { createAdapters, PROVIDER_FAMILIES, type ProviderFamily } from "./registry.ts";
import { ResultAssembler } from "./shared/assemble-result.ts";
import { createSimAdapter } from "./sim/sim-adapter.ts";

/** Looks like a real key, so a leak into an error message would be seen (and redacted). */
const KEY = "sk-conformance-0123456789abcdef";
/** Small, but far above the trickle of the abort case: only a truly silent stream trips it. */
const IDLE_TIMEOUT_MS = 5_000;
const PROMPT = "What is 17*23?";

type Case = "stream" | "mapResponse" | "rateLimit" | "serverError" | "invalidRequest" | "abort" | "cut" | "length";

/** The prompt text that asks the server for each fault. */
interface Markers {
  rateLimit: string;
  serverError: string;
  invalidRequest: string;
  /** Slow enough to abort after the first delta, long before the stream could end. */
  slow: string;
  cut: string;
  length: string;
}

const MOCK_MARKERS: Markers = {
  rateLimit: "[mock:status=429,retry_after=2]",
  serverError: "[mock:status=500]",
  invalidRequest: "[mock:status=400]",
  slow: "[mock:trickle_ms=50]",
  cut: "[mock:cut_mid_stream]",
  length: "[mock:finish=length]",
};

interface Family {
  /** The row's name in the report. */
  name: string;
  /** The registered family the adapter serves. */
  family: ProviderFamily;
  /** A catalog id; for OpenAI it also picks the API (o3-mini → Chat, o4-mini → Responses). */
  modelId: string;
  /** What the family returns of the reasoning: its text, or only a token count. */
  reasoning: "text" | "hidden";
  /** The mock server, or null for the sim, which has none. */
  start(): Promise<MockServer | null>;
  adapter(server: MockServer | null): ProviderAdapter;
  markers: Markers;
  /** Fields the finish-length case adds to the job (the sim stops on max_output_tokens). */
  lengthJob?: Partial<JobSpec>;
  /** The wait a 429 must carry at least. */
  minRetryAfterMs: number;
  /**
   * The streamed request replayed as its non-streaming twin, in the provider's wire format:
   * the path and body to POST to the same mock (headers are copied from the streamed call).
   */
  nonStreaming?(sent: MockRequest): { path: string; body: unknown };
  /** Cases the family cannot do, and why. */
  skip?: Partial<Record<Case, string>>;
}

/** Chat Completions and its relatives: the same path with `stream: false`, no `stream_options`. */
function chatNonStreaming(sent: MockRequest): { path: string; body: unknown } {
  const { stream: _stream, stream_options: _options, ...body } = sent.body as Record<string, unknown>;
  return { path: sent.path, body: { ...body, stream: false } };
}

function compatible(
  profile: OpenAICompatibleProfile,
  dialect: "theagentic" | "xai" | "openrouter" | "vllm" | "sglang" | "ollama",
  modelId: string,
  apiPath = "/v1",
): Family {
  return {
    name: profile.family,
    family: profile.family as ProviderFamily,
    modelId,
    reasoning: "text",
    start: () => startOpenAICompatibleMock({ dialect, apiKey: KEY }),
    adapter: (server) =>
      createOpenAICompatibleAdapter(
        { apiKey: KEY, baseUrl: `${server?.url}${apiPath}` },
        { profile, idleTimeoutMs: IDLE_TIMEOUT_MS },
      ),
    markers: MOCK_MARKERS,
    minRetryAfterMs: 2_000,
    nonStreaming: chatNonStreaming,
  };
}

const FAMILIES: Family[] = [
  {
    name: "openai (Chat Completions)",
    family: "openai",
    modelId: "openai/o3-mini",
    reasoning: "hidden",
    start: () => startOpenAIMock({ apiKey: KEY, reasoningDelayMs: 0 }),
    adapter: (server) =>
      createOpenAIAdapter({ apiKey: KEY, baseUrl: `${server?.url}/v1` }, { idleTimeoutMs: IDLE_TIMEOUT_MS }),
    markers: MOCK_MARKERS,
    minRetryAfterMs: 2_000,
    nonStreaming: chatNonStreaming,
  },
  {
    name: "openai (Responses)",
    family: "openai",
    modelId: "openai/o4-mini",
    reasoning: "text",
    start: () => startOpenAIMock({ apiKey: KEY, reasoningDelayMs: 0 }),
    adapter: (server) =>
      createOpenAIAdapter({ apiKey: KEY, baseUrl: `${server?.url}/v1` }, { idleTimeoutMs: IDLE_TIMEOUT_MS }),
    markers: MOCK_MARKERS,
    minRetryAfterMs: 2_000,
    nonStreaming: chatNonStreaming,
  },
  {
    name: "anthropic",
    family: "anthropic",
    modelId: "anthropic/claude-sonnet-4-6",
    reasoning: "text",
    start: () => startAnthropicMock({ apiKey: KEY }),
    adapter: (server) =>
      createAnthropicAdapter({ apiKey: KEY, baseUrl: server?.url }, { idleTimeoutMs: IDLE_TIMEOUT_MS }),
    markers: MOCK_MARKERS,
    minRetryAfterMs: 2_000,
    nonStreaming: (sent) => ({ path: sent.path, body: { ...(sent.body as object), stream: false } }),
  },
  {
    name: "google",
    family: "google",
    modelId: "google/gemini-2.5-flash",
    reasoning: "text",
    start: () => startGoogleMock({ apiKey: KEY }),
    adapter: (server) => createGoogleAdapter({ apiKey: KEY, baseUrl: server?.url }, { idleTimeoutMs: IDLE_TIMEOUT_MS }),
    markers: MOCK_MARKERS,
    // Gemini gives the wait as RetryInfo.retryDelay in the body ("2s" for retry_after=2).
    minRetryAfterMs: 2_000,
    nonStreaming: (sent) => ({
      path: sent.path.replace(":streamGenerateContent", ":generateContent"),
      body: sent.body,
    }),
  },
  {
    name: "deepseek",
    family: "deepseek",
    modelId: "deepseek/deepseek-flash",
    reasoning: "text",
    start: () => startDeepSeekMock({ apiKey: KEY }),
    adapter: (server) =>
      createDeepSeekAdapter({ apiKey: KEY, baseUrl: server?.url }, { idleTimeoutMs: IDLE_TIMEOUT_MS }),
    markers: MOCK_MARKERS,
    minRetryAfterMs: 2_000,
    nonStreaming: chatNonStreaming,
  },
  compatible(THEAGENTIC_PROFILE, "theagentic", "theagentic/agentic-large"),
  compatible(XAI_PROFILE, "xai", "xai/grok-3-mini"),
  compatible(OPENROUTER_PROFILE, "openrouter", "openrouter/anthropic/claude-sonnet-4.5", "/api/v1"),
  compatible(VLLM_PROFILE, "vllm", "vllm/Qwen/Qwen3-8B"),
  compatible(SGLANG_PROFILE, "sglang", "sglang/Qwen/Qwen3-8B"),
  compatible(OLLAMA_PROFILE, "ollama", "ollama/qwen3"),
  {
    name: "sim",
    family: "sim",
    modelId: "sim/reasoner",
    reasoning: "text",
    start: async () => null,
    adapter: () => createSimAdapter({ tokensPerSecond: 1_000_000 }),
    markers: {
      rateLimit: "[sim:fail=rate_limited]",
      serverError: "[sim:fail=server_error]",
      invalidRequest: "[sim:fail=invalid_request]",
      slow: "[sim:tps=50]",
      cut: "[sim:fail=stream_dropped]",
      // The sim has no finish marker: it stops on the token budget, as a provider does.
      length: "",
    },
    lengthJob: { max_output_tokens: 8 },
    // The sim's rate-limit marker takes no wait: it always asks for 200 ms (`retry-after-ms: 200`).
    minRetryAfterMs: 200,
    skip: { mapResponse: "the sim has no wire format, so there is no non-streaming response to map" },
  },
];

function spec(prompt: string, extra: Partial<JobSpec> = {}): JobSpec {
  return {
    model: "x",
    messages: [{ role: "user", content: prompt }],
    reasoning: { include: true, enabled: true },
    sampling: {},
    metadata: {},
    ...extra,
  };
}

function assemble(model: ModelInfo, events: readonly ProviderEvent[]) {
  const assembler = new ResultAssembler(model, { include: true });
  for (const event of events) assembler.push(event);
  return assembler.result();
}

/** Streams a job to the end; the events so far and the classified error, if it failed. */
async function stream(
  adapter: ProviderAdapter,
  model: ModelInfo,
  job: JobSpec,
  options: { signal?: AbortSignal; onEvent?: (event: ProviderEvent) => void } = {},
): Promise<{ events: ProviderEvent[]; error: ReasonqError | null; thrown: unknown }> {
  const prepared = adapter.prepare(job, model);
  const events: ProviderEvent[] = [];
  try {
    for await (const event of adapter.stream(prepared, { signal: options.signal ?? new AbortController().signal })) {
      events.push(event);
      options.onEvent?.(event);
    }
  } catch (thrown) {
    return { events, error: adapter.classifyError(thrown), thrown };
  }
  return { events, error: null, thrown: undefined };
}

/** Resolves once the server side of a connection is closed (a state, not a timer). */
function closed(socket: Socket): Promise<void> {
  if (socket.destroyed) return Promise.resolve();
  return new Promise((resolve) => socket.once("close", () => resolve()));
}

const COPIED_HEADERS = ["authorization", "x-api-key", "anthropic-version", "anthropic-beta", "x-goog-api-key"];

describe.each(FAMILIES)("conformance: $name", (row) => {
  let server: MockServer | null = null;
  let adapter: ProviderAdapter;
  const model = catalog.resolve(row.modelId).model;
  const skipped = (c: Case) => row.skip?.[c] !== undefined;

  beforeAll(async () => {
    server = await row.start();
    adapter = row.adapter(server);
  });
  afterAll(async () => {
    await server?.close();
  });

  it("is the adapter of its registered family and catalog model", () => {
    expect(adapter.family).toBe(row.family);
    expect(model.provider).toBe(row.family);
    expect(createAdapters({ simTokensPerSecond: 1000 }).get(row.family).family).toBe(row.family);
  });

  it("(a) streams reasoning then an answer; usage obeys SPEC §4; finish stop; a response id", async () => {
    const { events, error } = await stream(adapter, model, spec(PROMPT));
    expect(error).toBeNull();
    const result = assemble(model, events);

    expect(result.output.answer).toContain("391");
    expect(result.output.finish_reason).toBe("stop");
    expect(result.output.provider_response_id).toEqual(expect.any(String));
    expect(result.output.provider_response_id).not.toBe("");

    const usage = UsageSchema.parse(result.usage);
    expect(usage.reasoning_tokens + usage.answer_tokens).toBe(usage.output_tokens);
    expect(usage.cached_input_tokens + usage.cache_write_tokens).toBeLessThanOrEqual(usage.input_tokens);
    expect(usage.input_tokens).toBeGreaterThan(0);
    expect(usage.reasoning_tokens).toBeGreaterThan(0);
    // Where the provider gives no reasoning count it is estimated from the text (≈4 characters a
    // token) and capped by the output total, so with the mocks' one-word tokens (vLLM, SGLang,
    // Ollama) the estimate can take the whole output: only a provider's count splits it exactly.
    if (usage.reasoning_tokens_source === "provider") expect(usage.answer_tokens).toBeGreaterThan(0);

    const firstReasoning = events.findIndex((e) => e.type === "reasoning-delta");
    const firstAnswer = events.findIndex((e) => e.type === "text-delta");
    expect(firstAnswer).toBeGreaterThanOrEqual(0);
    if (row.reasoning === "text") {
      expect(firstReasoning).toBeGreaterThanOrEqual(0);
      expect(firstReasoning).toBeLessThan(firstAnswer);
      expect(result.output.reasoning).not.toBe("");
      expect(result.output.reasoning_kind).toBe(model.reasoning.kind === "summary" ? "summary" : "full");
    } else {
      // Billed but never shown: only the provider's count says reasoning happened.
      expect(firstReasoning).toBe(-1);
      expect(result.output.reasoning).toBe("");
      expect(result.output.reasoning_kind).toBe("hidden");
      expect(usage.reasoning_tokens_source).toBe("provider");
    }
  });

  // The sim has no wire format (see its row); every HTTP family maps its non-streaming body.
  it.skipIf(skipped("mapResponse"))(
    "(b) mapResponse of the non-streaming response assembles to the stream's output and usage",
    async () => {
      if (server === null || row.nonStreaming === undefined || adapter.mapResponse === undefined) {
        throw new Error(`${row.name}: no mock, non-streaming request or mapResponse, yet the case is not skipped`);
      }
      const { events, error } = await stream(adapter, model, spec(PROMPT));
      expect(error).toBeNull();
      const streamed = assemble(model, events);
      const sent = server.requests.at(-1);
      if (sent === undefined) throw new Error("the mock saw no request");

      const { path, body } = row.nonStreaming(sent);
      const headers: Record<string, string> = { "content-type": "application/json" };
      for (const name of COPIED_HEADERS) {
        const value = sent.headers[name];
        if (typeof value === "string") headers[name] = value;
      }
      const response = await fetch(`${server.url}${path}`, { method: "POST", headers, body: JSON.stringify(body) });
      const text = await response.text();
      expect(response.status, text).toBe(200);
      const mapped = assemble(model, adapter.mapResponse(JSON.parse(text), model));

      const comparable = (r: typeof streamed) => ({
        answer: r.output.answer,
        reasoning: r.output.reasoning,
        reasoning_kind: r.output.reasoning_kind,
        finish_reason: r.output.finish_reason,
        usage: r.usage,
      });
      expect(comparable(mapped)).toEqual(comparable(streamed));
      expect(mapped.output.provider_response_id).toEqual(expect.any(String));
    },
  );

  it("(c) a 429 with retry-after → provider_rate_limited, waiting at least as asked", async () => {
    const { error } = await stream(adapter, model, spec(`${PROMPT} ${row.markers.rateLimit}`));
    expect(error?.type).toBe("provider_rate_limited");
    expect(error?.retry).toBe("rate_limit");
    expect(error?.retryAfterMs).toBeGreaterThanOrEqual(row.minRetryAfterMs);
  });

  it("(d) a 500 → provider_server_error, retryable", async () => {
    const { error } = await stream(adapter, model, spec(`${PROMPT} ${row.markers.serverError}`));
    expect(error?.type).toBe("provider_server_error");
    expect(error?.retry).toBe("retry");
  });

  it("(e) a 400 → provider_invalid_request, not retryable, with a message and no key in it", async () => {
    const { error } = await stream(adapter, model, spec(`${PROMPT} ${row.markers.invalidRequest}`));
    expect(error?.type).toBe("provider_invalid_request");
    expect(error?.retry).toBe("never");
    expect(error?.message.trim()).not.toBe("");
    expect(error?.message).not.toContain(KEY);
    expect(JSON.stringify(error?.toJSON())).not.toContain(KEY);
  });

  it("(f) an abort after the first delta ends the iteration with a classified cancel; the connection closes", async () => {
    const controller = new AbortController();
    const before = server?.requests.length ?? 0;
    const { events, error, thrown } = await stream(adapter, model, spec(`${PROMPT} ${row.markers.slow}`), {
      signal: controller.signal,
      // As the worker does on a cancel request.
      onEvent: (event) => {
        if (event.type === "reasoning-delta" || event.type === "text-delta") controller.abort("cancel");
      },
    });
    expect(thrown).toBeDefined();
    expect(error?.type).toBe("job_cancelled");
    expect(events.filter((e) => e.type === "reasoning-delta" || e.type === "text-delta")).toHaveLength(1);
    expect(events.some((e) => e.type === "finish")).toBe(false);
    // The sim has no server to see anything; a mock sees its connection closed.
    if (server !== null) {
      expect(server.requests.length).toBe(before + 1);
      const socket = server.requests.at(-1)?.raw.socket;
      if (socket === undefined) throw new Error("no socket");
      await closed(socket);
      expect(socket.destroyed).toBe(true);
    }
  });

  it("(f) an already-aborted signal makes no call and is classified as a cancel", async () => {
    const before = server?.requests.length ?? 0;
    const { events, error, thrown } = await stream(adapter, model, spec(PROMPT), {
      signal: AbortSignal.abort("cancel"),
    });
    expect(thrown).toBeDefined();
    expect(error?.type).toBe("job_cancelled");
    expect(events).toEqual([]);
    expect(server?.requests.length ?? 0).toBe(before);
  });

  it("(g) a connection cut mid-stream → provider_stream_dropped", async () => {
    const { events, error } = await stream(adapter, model, spec(`${PROMPT} ${row.markers.cut}`));
    expect(error?.type).toBe("provider_stream_dropped");
    expect(error?.retry).toBe("retry");
    expect(events.some((e) => e.type === "finish")).toBe(false);
  });

  it("(h) finish=length → finish length", async () => {
    const { events, error } = await stream(adapter, model, spec(`${PROMPT} ${row.markers.length}`, row.lengthJob));
    expect(error).toBeNull();
    const result = assemble(model, events);
    expect(result.output.finish_reason).toBe("length");
    const usage = UsageSchema.parse(result.usage);
    expect(usage.reasoning_tokens + usage.answer_tokens).toBe(usage.output_tokens);
  });
});

describe("conformance covers every family", () => {
  it("has a row for every registered family", () => {
    expect(new Set(FAMILIES.map((f) => f.family))).toEqual(new Set(PROVIDER_FAMILIES));
  });
});

// ── Folder shape (STYLE §8 item 5) and catalog ↔ registry ─────────────────────────────────

const SRC = new URL("./", import.meta.url);
const NOT_FAMILIES = new Set(["shared", "catalog", "sim", "batch", "logged"]);

function familyFolders(): string[] {
  return readdirSync(SRC, { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && !NOT_FAMILIES.has(entry.name))
    .map((entry) => entry.name)
    .sort();
}

function requiredFiles(family: string): string[] {
  return [
    `${family}-adapter.ts`,
    `${family}-models.ts`,
    `convert-to-${family}-request.ts`,
    `convert-${family}-usage.ts`,
    `map-${family}-finish-reason.ts`,
    `map-${family}-reasoning.ts`,
    `classify-${family}-error.ts`,
  ];
}

describe("provider folders", () => {
  it("finds the family folders", () => {
    expect(familyFolders()).toEqual(["anthropic", "deepseek", "google", "openai", "openai-compatible"]);
  });

  it.each(familyFolders())("%s has every file a provider folder has, and __fixtures__/", (family) => {
    const dir = new URL(`./${family}/`, SRC);
    const present = new Set(readdirSync(dir));
    const missing = requiredFiles(family).filter((file) => !present.has(file));
    expect(missing, `${family}/ is missing ${missing.join(", ")}`).toEqual([]);
    const fixtures = new URL("./__fixtures__/", dir);
    expect(existsSync(fixtures) && statSync(fixtures).isDirectory(), `${family}/__fixtures__/ is missing`).toBe(true);
    expect(readdirSync(fixtures).length).toBeGreaterThan(0);
  });

  it("sim (no wire format) has its adapter, models, request preparation and markers", () => {
    const present = new Set(readdirSync(new URL("./sim/", SRC)));
    const missing = ["sim-adapter.ts", "sim-models.ts", "sim-prepare.ts", "sim-markers.ts"].filter(
      (file) => !present.has(file),
    );
    expect(missing).toEqual([]);
  });

  it("every registered family has catalog models, and every catalog model's provider is registered", () => {
    const providers = new Set(catalog.list().map((m) => m.provider));
    const withoutModels = PROVIDER_FAMILIES.filter((family) => !providers.has(family));
    expect(withoutModels, "families without catalog models").toEqual([]);
    const registered = new Set<string>(PROVIDER_FAMILIES);
    const orphans = catalog
      .list()
      .filter((m) => !registered.has(m.provider))
      .map((m) => m.id);
    expect(orphans, "catalog models of no registered family").toEqual([]);
  });
});
