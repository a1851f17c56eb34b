import { type ErrorType, ReasonqError, toReasonqError } from "@reasonq/core";
import { APIConnectionError, APIConnectionTimeoutError, APIError, APIUserAbortError } from "openai";
import { classifyHttpError, redactSecrets } from "../shared/classify-http-error.ts";
import { field, isObject, stringField } from "./openai-compatible-api-types.ts";

/**
 * A message rule refines the status-based class: when an error of one of the `from`
 * types carries a message (or code/type) matching `pattern`, it becomes `type`.
 */
export interface MessageRule {
  pattern: RegExp;
  type: ErrorType;
  from: readonly ErrorType[];
}

/** Errors inside a 200 stream (no status) start as this and are refined by the rules. */
const IN_STREAM: ErrorType = "provider_server_error";

/**
 * The message table shared by OpenAI-compatible endpoints. Matched against the
 * provider's message, `code` and `type` joined together.
 */
export const OPENAI_COMPATIBLE_MESSAGE_RULES: readonly MessageRule[] = [
  {
    pattern: /maximum context length|context[_ ]length[_ ]exceeded|context window|prompt is too long|too many tokens/i,
    type: "context_length_exceeded",
    from: ["provider_invalid_request", IN_STREAM],
  },
  {
    pattern: /insufficient[_ ](quota|balance|credits)|out of credits|more credits/i,
    type: "provider_quota_exhausted",
    from: ["provider_rate_limited", "provider_invalid_request", IN_STREAM],
  },
  { pattern: /moderation|flagged|guardrail/i, type: "content_filtered", from: ["provider_auth", IN_STREAM] },
  { pattern: /overload|too busy|capacity/i, type: "provider_overloaded", from: ["provider_server_error"] },
  { pattern: /rate[_ ]?limit|too many requests/i, type: "provider_rate_limited", from: [IN_STREAM] },
];

export interface ClassifyContext {
  /** Names the provider in messages. */
  provider: string;
  rules?: readonly MessageRule[];
}

/**
 * Whatever an OpenAI-SDK-based `stream` throws → a ReasonqError:
 * - a ReasonqError passes through; an abort (caller's signal) is `job_cancelled`;
 * - SDK status errors go through `classifyHttpError` (status, `retry-after(-ms)`), then
 *   the message rules;
 * - an error payload inside a 200 stream (`APIError` without status) uses its numeric
 *   `code` as the status where there is one (OpenRouter), else the message rules;
 * - connection failures and a cut body (`TypeError: terminated`) are `provider_stream_dropped`.
 */
export function classifyOpenAICompatibleError(error: unknown, context: ClassifyContext): ReasonqError {
  if (ReasonqError.is(error)) return error;
  const { provider } = context;
  if (error instanceof APIUserAbortError || isAbort(error)) {
    return new ReasonqError("job_cancelled", "the provider request was aborted", { cause: error });
  }
  if (error instanceof APIConnectionTimeoutError) {
    return new ReasonqError("provider_timeout", `${provider} did not answer in time`, { cause: error });
  }
  if (error instanceof APIConnectionError) {
    const detail = error.cause instanceof Error ? `: ${error.cause.message}` : "";
    return new ReasonqError("provider_stream_dropped", `could not reach ${provider}${redactSecrets(detail)}`, {
      cause: error,
    });
  }
  if (error instanceof APIError) return classifyApiError(error, context);
  if (isDroppedConnection(error)) {
    return new ReasonqError("provider_stream_dropped", `the connection to ${provider} was cut mid-stream`, {
      cause: error,
    });
  }
  if (error instanceof SyntaxError) {
    return new ReasonqError("provider_server_error", `${provider} sent a malformed stream: ${error.message}`, {
      cause: error,
    });
  }
  return toReasonqError(error);
}

function classifyApiError(error: APIError, context: ClassifyContext): ReasonqError {
  const body: unknown = error.error;
  const message = errorMessage(body) ?? error.message;
  if (typeof error.status === "number" && error.headers !== undefined) {
    const base = classifyHttpError({
      status: error.status,
      headers: error.headers,
      message,
      provider: context.provider,
    });
    return refine(base, errorText(body, message), context, error);
  }
  return classifyErrorBody(body, context, error);
}

/**
 * An `{error: …}` payload that arrived with HTTP 200 — an SSE data event, or a whole
 * non-streaming body (OpenRouter after processing started, providers.md §6.2).
 */
export function classifyErrorBody(body: unknown, context: ClassifyContext, cause?: unknown): ReasonqError {
  const message = errorMessage(body) ?? "an error inside a successful response";
  const code = field(body, "code");
  const status = typeof code === "number" && code >= 400 && code < 600 ? code : undefined;
  if (status !== undefined) {
    const base = classifyHttpError({ status, message, provider: context.provider });
    return refine(base, errorText(body, message), context, cause);
  }
  const base = new ReasonqError(IN_STREAM, `${context.provider} failed mid-response: ${redactSecrets(message)}`);
  return refine(base, errorText(body, message), context, cause);
}

function refine(base: ReasonqError, text: string, context: ClassifyContext, cause: unknown): ReasonqError {
  const rules = context.rules ?? OPENAI_COMPATIBLE_MESSAGE_RULES;
  const rule = rules.find((r) => r.from.includes(base.type) && r.pattern.test(text));
  return new ReasonqError(rule?.type ?? base.type, base.message, {
    ...(base.providerStatus === undefined ? {} : { providerStatus: base.providerStatus }),
    ...(base.retryAfterMs === undefined ? {} : { retryAfterMs: base.retryAfterMs }),
    cause,
  });
}

/** The provider's message: `{message}` (OpenAI shape, vLLM flat) or a bare string (xAI's `error`). */
function errorMessage(body: unknown): string | undefined {
  if (typeof body === "string") return body;
  const message = field(body, "message") ?? field(body, "error");
  if (typeof message === "string") return message;
  return isObject(message) ? stringField(message, "message") : undefined;
}

function errorText(body: unknown, message: string): string {
  const parts = [message, stringField(body, "code"), stringField(body, "type")];
  return parts.filter((p) => p !== undefined).join(" ");
}

function isAbort(error: unknown): boolean {
  return error instanceof Error && (error.name === "AbortError" || error.name === "APIUserAbortError");
}

/** undici's `TypeError: terminated` (cause UND_ERR_SOCKET) and plain socket resets. */
function isDroppedConnection(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  const code = field(error.cause, "code") ?? field(error, "code");
  if (typeof code === "string" && /^(UND_ERR_SOCKET|ECONNRESET|EPIPE|UND_ERR_ABORTED)$/.test(code)) return true;
  return error instanceof TypeError && /terminated|other side closed|socket/i.test(error.message);
}
