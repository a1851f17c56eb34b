import { APIConnectionError, APIConnectionTimeoutError, APIError, APIUserAbortError } from "@anthropic-ai/sdk";
import { type ErrorType, ReasonqError, toReasonqError } from "@reasonq/core";
import { classifyHttpError, type HeaderSource, redactSecrets } from "../shared/classify-http-error.ts";

/**
 * Anthropic's error `type` (providers.md §3.7) → reasonq's error type, for errors that arrive
 * inside a 200 stream (`event: error`), where the SDK throws an `APIError` without a status.
 * HTTP errors are classified by status first (`classifyHttpError`), which agrees with this table.
 */
export const ANTHROPIC_ERROR_TYPES: Readonly<Record<string, ErrorType>> = {
  overloaded_error: "provider_overloaded",
  rate_limit_error: "provider_rate_limited",
  api_error: "provider_server_error",
  timeout_error: "provider_timeout",
  invalid_request_error: "provider_invalid_request",
  request_too_large: "provider_invalid_request",
  authentication_error: "provider_auth",
  permission_error: "provider_auth",
  not_found_error: "provider_not_found",
  billing_error: "provider_quota_exhausted",
};

/**
 * Refinements of an invalid request from the provider's own words. Anthropic words these as
 * "prompt is too long: 215000 tokens > 200000 maximum", "input length and `max_tokens` exceed
 * context limit: …" and "Your credit balance is too low to access the Anthropic API. …" (400).
 */
export const ANTHROPIC_MESSAGE_RULES: ReadonlyArray<{ pattern: RegExp; type: ErrorType }> = [
  { pattern: /prompt is too long/i, type: "context_length_exceeded" },
  { pattern: /exceeds? (?:the )?context (?:limit|window)/i, type: "context_length_exceeded" },
  { pattern: /credit balance is too low/i, type: "provider_quota_exhausted" },
];

/** `error.details.error_code` values (SDK 1.12) that mean the account cannot spend more. */
const QUOTA_ERROR_CODES = new Set([
  "contract_spend_limit_reached",
  "enforced_spend_limit_reached",
  "linked_organization_spend_limit_reached",
]);

/** How a socket that closes under a streaming body surfaces from undici / Node. */
const CONNECTION_DROP = /terminated|other side closed|socket hang up|ECONNRESET|UND_ERR_SOCKET|premature close/i;

export function classifyAnthropicError(error: unknown, now: Date = new Date()): ReasonqError {
  if (ReasonqError.is(error)) return error;
  if (isAbort(error)) {
    return new ReasonqError("job_cancelled", "the Anthropic request was aborted", { cause: error });
  }
  if (error instanceof APIConnectionTimeoutError) {
    return new ReasonqError("provider_timeout", `anthropic: ${error.message}`, { cause: error });
  }
  if (error instanceof APIConnectionError) {
    const cause = error.cause instanceof Error ? `: ${error.cause.message}` : "";
    return new ReasonqError("provider_stream_dropped", redactSecrets(`anthropic: ${error.message}${cause}`), {
      cause: error,
    });
  }
  if (error instanceof APIError) return classifyApiError(error, now);
  if (isConnectionDrop(error)) {
    return new ReasonqError("provider_stream_dropped", `the Anthropic stream broke off: ${(error as Error).message}`, {
      cause: error,
    });
  }
  return toReasonqError(error);
}

function classifyApiError(error: APIError, now: Date): ReasonqError {
  const message = error.apiMessage ?? error.message;
  if (error.status === undefined) {
    // `event: error` inside a 200 stream (providers.md §7.2): no status, only the error type.
    const kind = error.type ?? "unknown";
    const type = refine(ANTHROPIC_ERROR_TYPES[kind] ?? "provider_server_error", message, error.errorCode);
    return new ReasonqError(type, redactSecrets(`anthropic stream error (${kind}): ${message}`), { cause: error });
  }
  const classified = classifyHttpError({
    status: error.status,
    ...(error.headers === undefined ? {} : { headers: error.headers }),
    message,
    provider: "anthropic",
    now,
  });
  const retryAfterMs =
    classified.retryAfterMs ??
    (error.status === 429 && error.headers !== undefined ? rateLimitResetMs(error.headers, now) : undefined);
  const type = refine(classified.type, message, error.errorCode);
  if (type === classified.type && retryAfterMs === classified.retryAfterMs) return withCause(classified, error);
  return new ReasonqError(type, classified.message, {
    providerStatus: error.status,
    ...(retryAfterMs === undefined ? {} : { retryAfterMs }),
    cause: error,
  });
}

function refine(type: ErrorType, message: string, errorCode: string | null): ErrorType {
  if (errorCode !== null && QUOTA_ERROR_CODES.has(errorCode)) return "provider_quota_exhausted";
  if (type !== "provider_invalid_request") return type;
  return ANTHROPIC_MESSAGE_RULES.find((rule) => rule.pattern.test(message))?.type ?? type;
}

function withCause(error: ReasonqError, cause: unknown): ReasonqError {
  return new ReasonqError(error.type, error.message, {
    ...(error.providerStatus === undefined ? {} : { providerStatus: error.providerStatus }),
    ...(error.retryAfterMs === undefined ? {} : { retryAfterMs: error.retryAfterMs }),
    cause,
  });
}

const RATE_LIMIT_KINDS = ["requests", "tokens", "input-tokens", "output-tokens"] as const;

/**
 * Without `retry-after`, the wait until the exhausted `anthropic-ratelimit-<kind>-*` limits
 * (remaining 0) reset; their `-reset` headers are RFC 3339 times. The latest one wins: every
 * exhausted limit must have refilled before a retry can pass.
 */
export function rateLimitResetMs(headers: HeaderSource, now: Date = new Date()): number | undefined {
  const get = (name: string) =>
    headers instanceof Headers ? (headers.get(name) ?? undefined) : asString(headers[name]);
  let latest: number | undefined;
  for (const kind of RATE_LIMIT_KINDS) {
    if (get(`anthropic-ratelimit-${kind}-remaining`)?.trim() !== "0") continue;
    const reset = Date.parse(get(`anthropic-ratelimit-${kind}-reset`) ?? "");
    if (Number.isNaN(reset)) continue;
    latest = Math.max(latest ?? 0, reset - now.getTime());
  }
  return latest === undefined ? undefined : Math.max(0, latest);
}

function asString(value: string | readonly string[] | undefined): string | undefined {
  return typeof value === "string" ? value : value?.[0];
}

function isAbort(error: unknown): boolean {
  return error instanceof APIUserAbortError || (error instanceof Error && error.name === "AbortError");
}

function isConnectionDrop(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  const cause = error.cause as { message?: unknown; code?: unknown } | undefined;
  const texts = [error.message, cause?.message, cause?.code].filter((t): t is string => typeof t === "string");
  return texts.some((text) => CONNECTION_DROP.test(text));
}
