/**
 * What differs between OpenAI-shaped chat endpoints, as data plus a few hooks: the mock
 * engine (chat-mock.ts) speaks the common Chat Completions wire format and asks the
 * dialect for everything vendor-specific (auth, validation, reasoning fields, usage
 * convention, error bodies, keep-alives).
 */

/** A parsed request body; dialects read it through the helpers below, never by casting. */
export type ChatBody = Record<string, unknown>;

export interface ChatUsageCounts {
  prompt: number;
  cached: number;
  cacheWrite: number;
  reasoning: number;
  answer: number;
}

/** An error the mock answers with, rendered by the dialect's `errorBody`. */
export interface MockError {
  status: number;
  message: string;
  type?: string;
  code?: string | number | null;
  param?: string | null;
}

export interface ReasoningPlan {
  /** Reasoning tokens to generate (0 = no thinking). */
  tokens: number;
  /** Whether the reasoning text is returned (it is billed either way). */
  show: boolean;
}

export interface ReasoningPosition {
  index: number;
  last: boolean;
  text: string;
}

/**
 * What a vendor's Chat Completions endpoint takes as `image_url` parts: which models read
 * images, which image types, how large, and its own words for a refusal. A dialect without
 * rules serves text-only models, and refuses any image part as such.
 */
export interface ChatImageRules {
  /** Whether `model` reads images. */
  vision(model: string): boolean;
  /** Accepted `data:` URL media types. */
  mediaTypes: readonly string[];
  /** Largest decoded image, in bytes. */
  maxBytes: number;
  /** The refusal of an image sent to a model that reads none; `param` names the part. */
  noVision(model: string, param: string): MockError;
  /** The refusal of a malformed or unsupported image part. */
  invalid(message: string, param: string): MockError;
}

export interface ChatMockDialect {
  name: string;
  /** Paths of the chat endpoint (the SDK appends `/chat/completions` to its base URL). */
  paths: readonly string[];
  /** Whether a bearer key is required even when the mock is started without one. */
  requireAuth: boolean;
  /** Models served; undefined accepts any. */
  models?: readonly string[];
  unknownModel(model: string): MockError;
  validate(body: ChatBody): MockError | undefined;
  /** How `image_url` parts are checked; without rules every model is text-only. */
  images?: ChatImageRules;
  plan(body: ChatBody): ReasoningPlan;
  /** Reasoning fields of a non-streaming `message`. */
  reasoningMessage(text: string, body: ChatBody): Record<string, unknown>;
  /** Reasoning fields of one streamed delta; `text` is the whole reasoning of the turn. */
  reasoningDelta(token: string, position: ReasoningPosition, body: ChatBody): Record<string, unknown>;
  /** Fields added to answer deltas (DeepSeek sends `reasoning_content: null`). */
  answerDeltaExtras?: Record<string, unknown>;
  firstDelta: Record<string, unknown>;
  usage(counts: ChatUsageCounts, body: ChatBody): Record<string, unknown>;
  /** `finish-chunk`: usage rides on the chunk with finish_reason (DeepSeek); otherwise a chunk with `choices: []`. */
  usagePlacement: "finish-chunk" | "usage-chunk" | "usage-chunk-if-requested";
  errorBody(error: MockError): unknown;
  /** The message and type of a `[mock:status=N]` fault. */
  faultError(status: number): MockError;
  /** The SSE data payload of an in-stream overload. */
  midStreamError(id: string, body: ChatBody): unknown;
  /** A non-streaming overload answers HTTP 200 with this body (OpenRouter) instead of 503. */
  overloadIn200Body?: boolean;
  /** An SSE comment written before the first chunk (`: keep-alive`). */
  keepAlive?: string;
  /** Text written before a non-streaming JSON body (DeepSeek sends blank lines under load). */
  jsonPreamble?: string;
  /** Top-level fields of every streamed chunk but the one carrying usage (DeepSeek: `usage: null`). */
  chunkExtras?: Record<string, unknown>;
  /** Top-level fields added to every response object (`provider`, `system_fingerprint`). */
  responseExtras?(body: ChatBody): Record<string, unknown>;
  id(n: number): string;
}

export function str(body: ChatBody, key: string): string | undefined {
  const value = body[key];
  return typeof value === "string" ? value : undefined;
}

export function num(body: ChatBody, key: string): number | undefined {
  const value = body[key];
  return typeof value === "number" ? value : undefined;
}

export function obj(body: ChatBody, key: string): ChatBody | undefined {
  const value = body[key];
  return typeof value === "object" && value !== null && !Array.isArray(value) ? (value as ChatBody) : undefined;
}

/** The OpenAI error body most compatible servers use. */
export function openAIErrorBody(error: MockError): unknown {
  return {
    error: {
      message: error.message,
      type: error.type ?? "invalid_request_error",
      param: error.param ?? null,
      code: error.code ?? null,
    },
  };
}

/** Usage in the OpenAI convention: `completion_tokens` includes reasoning. */
export function openAIUsage(counts: ChatUsageCounts, details: { reasoning: boolean }): Record<string, unknown> {
  const completion = counts.reasoning + counts.answer;
  return {
    prompt_tokens: counts.prompt,
    completion_tokens: completion,
    total_tokens: counts.prompt + completion,
    prompt_tokens_details: { cached_tokens: counts.cached },
    ...(details.reasoning ? { completion_tokens_details: { reasoning_tokens: counts.reasoning } } : {}),
  };
}

/** Generic fault texts in the OpenAI style. */
export function openAIFault(status: number): MockError {
  if (status === 429) return { status, message: "Rate limit reached, please retry later", type: "rate_limit_error" };
  if (status === 401) return { status, message: "Incorrect API key provided", type: "authentication_error" };
  if (status === 403) return { status, message: "Permission denied", type: "permission_error" };
  if (status === 404) return { status, message: "The model does not exist", type: "not_found_error" };
  if (status === 503 || status === 529) return { status, message: "The server is overloaded", type: "overloaded" };
  if (status >= 500)
    return { status, message: "The server had an error processing your request", type: "server_error" };
  return { status, message: `mock error ${status}`, type: "invalid_request_error" };
}
