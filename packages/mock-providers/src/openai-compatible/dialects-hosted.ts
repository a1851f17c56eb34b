import {
  type ChatImageRules,
  type ChatMockDialect,
  type MockError,
  num,
  obj,
  openAIErrorBody,
  openAIFault,
  openAIUsage,
  str,
} from "./chat-dialect.ts";
import { EFFORT_TOKENS, tokensForBudget } from "./chat-script.ts";

const chatcmplId = (n: number) => `chatcmpl-mock${String(n).padStart(6, "0")}`;

/**
 * TheAgentic (`agentic-large`). providers.md has no section on it; SPEC §3 names only
 * `return_reasoning: true`. Everything else here is an assumption kept deliberately
 * plain: OpenAI wire format, reasoning in `reasoning_content` only when asked for,
 * OpenAI usage convention (reasoning inside `completion_tokens`).
 */
export const THEAGENTIC_DIALECT: ChatMockDialect = {
  name: "theagentic",
  paths: ["/v1/chat/completions"],
  requireAuth: true,
  models: ["agentic-large"],
  unknownModel: (model) => ({ status: 404, message: `The model ${model} does not exist`, type: "not_found_error" }),
  validate(body) {
    const value = body.return_reasoning;
    if (value !== undefined && typeof value !== "boolean") {
      return { status: 400, message: "return_reasoning must be a boolean", param: "return_reasoning" };
    }
    return undefined;
  },
  plan: (body) => ({ tokens: 24, show: body.return_reasoning === true }),
  reasoningMessage: (text) => ({ reasoning_content: text }),
  reasoningDelta: (token) => ({ content: null, reasoning_content: token }),
  firstDelta: { role: "assistant", content: "" },
  usage: (counts) => openAIUsage(counts, { reasoning: true }),
  usagePlacement: "usage-chunk-if-requested",
  errorBody: openAIErrorBody,
  faultError: openAIFault,
  midStreamError: () => ({ error: { message: "The server is overloaded", type: "overloaded", code: null } }),
  id: chatcmplId,
};

/**
 * Per Grok model: accepted `reasoning_effort` values (none = the parameter is refused),
 * defaults, and whether it reads images (every Grok 4 model does; grok-3-mini is text-only).
 */
const GROK_MODELS: Record<
  string,
  { efforts: readonly string[] | null; fallback: string; shows: boolean; vision: boolean }
> = {
  "grok-3-mini": { efforts: ["low", "high"], fallback: "low", shows: true, vision: false },
  "grok-4": { efforts: null, fallback: "high", shows: false, vision: true },
  "grok-4.3": { efforts: ["none", "low", "medium", "high"], fallback: "medium", shows: false, vision: true },
  "grok-4.5": { efforts: ["low", "medium", "high"], fallback: "high", shows: false, vision: true },
};

const MIB = 1024 * 1024;

/** docs.x.ai image understanding: jpg/jpeg or png, at most 20 MiB, https or base64 data: URLs. */
const XAI_IMAGES: ChatImageRules = {
  vision: (model) => GROK_MODELS[model]?.vision === true,
  mediaTypes: ["image/jpeg", "image/jpg", "image/png"],
  maxBytes: 20 * MIB,
  noVision: (model) => ({ status: 400, message: `Model ${model} does not support image input.` }),
  invalid: (message) => ({ status: 400, message }),
};

/** xAI's own error shape: top-level `code` (a phrase) and `error` (a string). */
function xaiError(error: MockError): unknown {
  return { code: error.type ?? "Client specified an invalid argument", error: error.message };
}

/**
 * xAI (providers.md §6.1): reasoning text only from grok-3-mini (`reasoning_content`);
 * `completion_tokens` EXCLUDES reasoning (total = prompt + completion + reasoning);
 * reasoning models refuse presence/frequency penalties and `stop`.
 */
export const XAI_DIALECT: ChatMockDialect = {
  name: "xai",
  paths: ["/v1/chat/completions"],
  requireAuth: true,
  models: Object.keys(GROK_MODELS),
  images: XAI_IMAGES,
  unknownModel: (model) => ({
    status: 404,
    message: `The model ${model} does not exist or your team does not have access to it.`,
    type: "Some requested entity was not found",
  }),
  validate(body) {
    const model = GROK_MODELS[str(body, "model") ?? ""];
    const effort = body.reasoning_effort;
    if (model !== undefined && effort !== undefined) {
      if (model.efforts === null) {
        return { status: 400, message: `Model ${String(body.model)} does not support parameter reasoningEffort.` };
      }
      if (typeof effort !== "string" || !model.efforts.includes(effort)) {
        return {
          status: 400,
          message: `Invalid reasoning effort ${JSON.stringify(effort)}; allowed: ${model.efforts.join(", ")}`,
        };
      }
    }
    for (const field of ["presence_penalty", "frequency_penalty", "stop"]) {
      if (body[field] !== undefined) {
        return { status: 400, message: `Reasoning models do not support parameter ${field}.` };
      }
    }
    return undefined;
  },
  plan(body) {
    const model = GROK_MODELS[str(body, "model") ?? ""];
    const effort = str(body, "reasoning_effort") ?? model?.fallback ?? "high";
    return { tokens: EFFORT_TOKENS[effort] ?? 16, show: model?.shows === true };
  },
  reasoningMessage: (text) => ({ reasoning_content: text }),
  reasoningDelta: (token) => ({ reasoning_content: token }),
  firstDelta: { role: "assistant", content: "" },
  usage: (counts) => ({
    prompt_tokens: counts.prompt,
    completion_tokens: counts.answer,
    total_tokens: counts.prompt + counts.answer + counts.reasoning,
    prompt_tokens_details: {
      text_tokens: counts.prompt,
      audio_tokens: 0,
      image_tokens: 0,
      cached_tokens: counts.cached,
    },
    completion_tokens_details: { reasoning_tokens: counts.reasoning, audio_tokens: 0 },
    num_sources_used: 0,
  }),
  usagePlacement: "usage-chunk-if-requested",
  errorBody: xaiError,
  faultError(status) {
    const base = openAIFault(status);
    if (status === 429) return { ...base, type: "Too many requests" };
    if (status === 401 || status === 400) return { ...base, type: "Client specified an invalid argument" };
    return base;
  },
  midStreamError: () => ({ error: { message: "Service temporarily overloaded, please retry", code: "overloaded" } }),
  id: (n) => `mock-xai-${n}`,
};

/** OpenRouter routes images to upstreams that read them; a text-only upstream has no endpoint for them. */
const OPENROUTER_IMAGES: ChatImageRules = {
  vision: (model) => !model.startsWith("deepseek/"),
  mediaTypes: ["image/png", "image/jpeg", "image/webp", "image/gif"],
  maxBytes: 20 * MIB,
  noVision: () => ({ status: 404, message: "No endpoints found that support image input" }),
  invalid: (message) => ({ status: 400, message }),
};

const OPENROUTER_EFFORTS = ["xhigh", "high", "medium", "low", "minimal", "none"];

function openRouterUpstream(model: string): { provider: string; format: string; signs: boolean } {
  if (model.startsWith("anthropic/")) return { provider: "Anthropic", format: "anthropic-claude-v1", signs: true };
  if (model.startsWith("google/")) return { provider: "Google", format: "google-gemini-v1", signs: false };
  if (model.startsWith("deepseek/")) return { provider: "DeepSeek", format: "unknown", signs: false };
  return { provider: "OpenAI", format: "unknown", signs: false };
}

/** A stable fake signature derived from the text, so stream and non-stream agree. */
function signature(text: string): string {
  let h = 0;
  for (const c of text) h = (h * 31 + c.charCodeAt(0)) >>> 0;
  return `EqoBCkgIARAB${h.toString(16).padStart(8, "0")}`;
}

/** Mock prices: $1/M input, $5/M output, a tenth for cache reads. */
function openRouterCost(counts: { prompt: number; cached: number; reasoning: number; answer: number }): number {
  const dollars =
    ((counts.prompt - counts.cached) * 1 + counts.cached * 0.1 + (counts.reasoning + counts.answer) * 5) / 1e6;
  return Number(dollars.toFixed(9));
}

/**
 * OpenRouter (providers.md §6.2): `reasoning: {effort | max_tokens, exclude, enabled}` in
 * the request; `reasoning` + `reasoning_details` in message and delta; `usage.cost`;
 * errors `{error: {code: <number>, message, metadata}}`; after generation started, errors
 * arrive inside a 200 (SSE data event or JSON body).
 */
export const OPENROUTER_DIALECT: ChatMockDialect = {
  name: "openrouter",
  paths: ["/api/v1/chat/completions"],
  requireAuth: true,
  images: OPENROUTER_IMAGES,
  unknownModel: (model) => ({ status: 400, message: `${model} is not a valid model ID` }),
  validate(body) {
    const model = str(body, "model") ?? "";
    if (!model.includes("/")) return { status: 400, message: `${model} is not a valid model ID` };
    const reasoning = obj(body, "reasoning");
    if (reasoning === undefined) return undefined;
    const effort = reasoning.effort;
    if (effort !== undefined && (typeof effort !== "string" || !OPENROUTER_EFFORTS.includes(effort))) {
      return { status: 400, message: `Invalid reasoning.effort: expected one of ${OPENROUTER_EFFORTS.join(", ")}` };
    }
    if (effort !== undefined && reasoning.max_tokens !== undefined) {
      return { status: 400, message: "Only one of reasoning.effort and reasoning.max_tokens may be specified" };
    }
    return undefined;
  },
  plan(body) {
    const reasoning = obj(body, "reasoning") ?? {};
    const show = reasoning.exclude !== true;
    if (reasoning.enabled === false) return { tokens: 0, show };
    const budget = num(reasoning, "max_tokens");
    if (budget !== undefined) return { tokens: tokensForBudget(budget), show };
    return { tokens: EFFORT_TOKENS[str(reasoning, "effort") ?? "medium"] ?? 16, show };
  },
  reasoningMessage(text, body) {
    const upstream = openRouterUpstream(String(body.model));
    const detail = { type: "reasoning.text", text, format: upstream.format, index: 0 };
    return {
      reasoning: text,
      reasoning_details: [upstream.signs ? { ...detail, signature: signature(text) } : detail],
    };
  },
  reasoningDelta(token, position, body) {
    const upstream = openRouterUpstream(String(body.model));
    const detail: Record<string, unknown> = { type: "reasoning.text", text: token, format: upstream.format, index: 0 };
    // The signature comes with the last fragment, computed over the whole text.
    if (position.last && upstream.signs) detail.signature = signature(position.text);
    return { content: "", reasoning: token, reasoning_details: [detail] };
  },
  firstDelta: { role: "assistant", content: "" },
  usage: (counts) => ({
    ...openAIUsage(counts, { reasoning: true }),
    prompt_tokens_details: { cached_tokens: counts.cached, cache_write_tokens: counts.cacheWrite, audio_tokens: 0 },
    cost: openRouterCost(counts),
    is_byok: false,
    cost_details: { upstream_inference_cost: null },
  }),
  usagePlacement: "usage-chunk",
  errorBody: (error) => ({ error: { code: error.status, message: error.message, metadata: {} } }),
  faultError(status) {
    if (status === 402)
      return { status, message: "Insufficient credits. Add more using https://openrouter.ai/credits" };
    if (status === 502) return { status, message: "Provider returned error" };
    if (status === 503) return { status, message: "No endpoints found that can handle the request" };
    return openAIFault(status);
  },
  midStreamError: (id, body) => ({
    id,
    object: "chat.completion.chunk",
    created: 1_786_782_776,
    model: body.model,
    provider: openRouterUpstream(String(body.model)).provider,
    error: { code: "server_error", message: "Provider returned error: overloaded_error (Overloaded)" },
    choices: [{ index: 0, delta: { content: "" }, finish_reason: "error" }],
  }),
  overloadIn200Body: true,
  keepAlive: ": OPENROUTER PROCESSING",
  responseExtras: (body) => ({ provider: openRouterUpstream(String(body.model)).provider }),
  id: (n) => `gen-mock-${n}`,
};
