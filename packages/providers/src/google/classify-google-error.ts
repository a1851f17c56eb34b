import { type ErrorType, ReasonqError, toReasonqError } from "@reasonq/core";
import { classifyHttpError, type HeaderSource, redactSecrets } from "../shared/classify-http-error.ts";

/**
 * What `@google/genai` throws, as reasonq errors. The SDK's `ApiError` has a `status` and a
 * `message` holding Google's JSON error body — verbatim for an HTTP error, prefixed with
 * `got status: <STATUS>. ` for an error chunk inside a 200 stream (providers.md §8.3) — but
 * no headers, so the adapter passes the failed response's headers in `context`.
 */
export interface GoogleErrorContext {
  /** Headers of the failed HTTP response, when the adapter captured them. */
  headers?: HeaderSource;
  now?: Date;
}

/** Google's `{"error":{…}}`, as far as it is read here. */
export interface ParsedGoogleError {
  httpStatus: number;
  /** google.rpc status name: RESOURCE_EXHAUSTED, UNAVAILABLE, INVALID_ARGUMENT, … */
  rpcStatus: string;
  message: string;
  /** `ErrorInfo.reason` values from `details` (e.g. API_KEY_INVALID). */
  reasons: string[];
  /** `RetryInfo.retryDelay` in ms. */
  retryDelayMs: number | undefined;
}

/**
 * Refinements of the status-based class, first match wins. Every message match lives here.
 * Status alone already gives: 429 rate limited, 503 overloaded, 500 server error, 504
 * timeout, 400 invalid request, 401/403 auth, 404 not found.
 */
export const GOOGLE_ERROR_RULES: ReadonlyArray<{
  why: string;
  type: ErrorType;
  when: (e: ParsedGoogleError) => boolean;
}> = [
  {
    why: "Gemini answers a wrong API key with 400 INVALID_ARGUMENT, reason API_KEY_INVALID",
    type: "provider_auth",
    when: (e) => e.reasons.includes("API_KEY_INVALID") || /API key not valid/i.test(e.message),
  },
  {
    why: "a prompt larger than the context window",
    type: "context_length_exceeded",
    when: (e) => e.httpStatus === 400 && /input token count.*exceeds the maximum number of tokens/i.test(e.message),
  },
  {
    why: "a quota of zero (e.g. a model outside the free tier) does not recover by waiting",
    type: "provider_quota_exhausted",
    when: (e) => e.rpcStatus === "RESOURCE_EXHAUSTED" && /\blimit: 0\b/.test(e.message),
  },
  {
    why: "RESOURCE_EXHAUSTED is a rate limit whatever the code",
    type: "provider_rate_limited",
    when: (e) => e.rpcStatus === "RESOURCE_EXHAUSTED",
  },
  {
    why: "UNAVAILABLE is Gemini's overload, also inside a 200 stream",
    type: "provider_overloaded",
    when: (e) => e.rpcStatus === "UNAVAILABLE",
  },
];

/** Errors that are not HTTP answers: a dropped or unreadable stream is retried. */
const DROPPED_STREAM = [
  /^fetch failed$/,
  /^terminated$/,
  /other side closed/,
  /Incomplete JSON segment at the end/,
  /exception parsing stream chunk/,
  /Response body is empty/,
];
const CONNECTION_CODES = new Set([
  "ECONNRESET",
  "ECONNREFUSED",
  "EPIPE",
  "ETIMEDOUT",
  "ENOTFOUND",
  "EAI_AGAIN",
  "UND_ERR_SOCKET",
  "UND_ERR_CONNECT_TIMEOUT",
  "UND_ERR_HEADERS_TIMEOUT",
  "UND_ERR_BODY_TIMEOUT",
]);

export function classifyGoogleError(error: unknown, context: GoogleErrorContext = {}): ReasonqError {
  if (ReasonqError.is(error)) return error;
  if (isApiError(error)) return classifyApiError(error, context);
  if (!(error instanceof Error)) return toReasonqError(error);
  if (error.name === "AbortError") {
    return new ReasonqError("job_cancelled", "the provider request was aborted", { cause: error });
  }
  if (DROPPED_STREAM.some((pattern) => pattern.test(error.message)) || CONNECTION_CODES.has(causeCode(error))) {
    const cause = error.cause instanceof Error && error.cause.message !== "" ? ` (${error.cause.message})` : "";
    return new ReasonqError("provider_stream_dropped", `google: the connection failed: ${error.message}${cause}`, {
      cause: error,
    });
  }
  return toReasonqError(error);
}

function classifyApiError(error: Error & { status: number }, context: GoogleErrorContext): ReasonqError {
  const parsed = parseGoogleError(error.status, error.message);
  const base = classifyHttpError({
    status: parsed.httpStatus,
    message: parsed.message,
    provider: "google",
    ...(context.headers === undefined ? {} : { headers: context.headers }),
    ...(context.now === undefined ? {} : { now: context.now }),
  });
  const type = GOOGLE_ERROR_RULES.find((rule) => rule.when(parsed))?.type ?? base.type;
  const waits = type === "provider_rate_limited" || type === "provider_overloaded";
  const hints = [base.retryAfterMs, parsed.retryDelayMs].filter((ms): ms is number => ms !== undefined);
  const retryAfterMs = waits && hints.length > 0 ? Math.max(...hints) : undefined;
  return new ReasonqError(type, base.message, {
    providerStatus: parsed.httpStatus,
    ...(retryAfterMs === undefined ? {} : { retryAfterMs }),
    cause: error,
  });
}

/** Reads Google's error body out of an `ApiError` message; falls back to the raw text. */
export function parseGoogleError(status: number, message: string): ParsedGoogleError {
  const start = message.indexOf("{");
  const json = start === -1 ? undefined : safeParseJson(message.slice(start));
  const body = isRecord(json) && isRecord(json.error) ? json.error : undefined;
  const details = Array.isArray(body?.details) ? body.details.filter(isRecord) : [];
  const retryInfo = details.find((d) => typeof d["@type"] === "string" && d["@type"].endsWith("google.rpc.RetryInfo"));
  return {
    httpStatus: typeof body?.code === "number" ? body.code : status,
    rpcStatus: typeof body?.status === "string" ? body.status : "",
    message: redactSecrets(typeof body?.message === "string" ? body.message : message),
    reasons: details.flatMap((d) => (typeof d.reason === "string" ? [d.reason] : [])),
    retryDelayMs: parseDuration(retryInfo?.retryDelay),
  };
}

/** A protobuf Duration in JSON form: "34.4s" → 34400. */
export function parseDuration(value: unknown): number | undefined {
  if (typeof value !== "string") return undefined;
  const match = /^(\d+(?:\.\d+)?)s$/.exec(value.trim());
  return match === null ? undefined : Math.ceil(Number(match[1]) * 1000);
}

function isApiError(error: unknown): error is Error & { status: number } {
  return (
    error instanceof Error && error.name === "ApiError" && typeof (error as { status?: unknown }).status === "number"
  );
}

function causeCode(error: Error): string {
  const cause = error.cause;
  if (typeof cause === "object" && cause !== null && typeof (cause as { code?: unknown }).code === "string") {
    return (cause as { code: string }).code;
  }
  return "";
}

function safeParseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
