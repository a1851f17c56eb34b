/**
 * Whatever an OpenAI call throws → a ReasonqError (providers.md §7.1, §7.5):
 * - SDK `APIError` with a status: the status decides (shared classifyHttpError), except
 *   where the body says more (the table below); 429 waits come from `retry-after-ms` /
 *   `retry-after`, else `x-ratelimit-reset-{tokens|requests}` (by the error's `type`),
 *   else the "Please try again in 1.574s" in the message.
 * - `APIError` without a status: an error inside a 200 stream (Chat chunk with `error`,
 *   Responses `event: error`), or a `response.failed` event: the table, else a retryable
 *   server error.
 * - Connection cut mid-body (undici `terminated`, ECONNRESET, …) → provider_stream_dropped;
 *   no connection at all → provider_server_error; SDK timeout → provider_timeout;
 *   abort → job_cancelled.
 */
import { type ErrorType, ReasonqError, toReasonqError } from "@reasonq/core";
import { APIConnectionError, APIConnectionTimeoutError, APIError, APIUserAbortError } from "openai";
import { classifyHttpError, type HeaderSource, parseRetryAfter, redactSecrets } from "../shared/classify-http-error.ts";
import { record, str } from "./openai-api-types.ts";

/** The fields of an OpenAI error object (`{"error":{message,type,param,code}}`) we match on. */
export interface OpenAIErrorFacts {
  message: string;
  type?: string | undefined;
  code?: string | undefined;
}

interface Rule {
  type: ErrorType;
  /** `any`: also overrides the HTTP status; `stream`: only for errors that have none. */
  applies: "any" | "stream";
  when: (e: OpenAIErrorFacts) => boolean;
}

/** First match wins. Every message match OpenAI errors get lives here. */
export const OPENAI_ERROR_RULES: readonly Rule[] = [
  // Out of credit is a 429 too, but waiting does not help (providers.md §7.1).
  {
    type: "provider_quota_exhausted",
    applies: "any",
    when: (e) => e.code === "insufficient_quota" || e.type === "insufficient_quota",
  },
  {
    type: "context_length_exceeded",
    applies: "any",
    when: (e) =>
      e.code === "context_length_exceeded" || /maximum context length|exceeds the context window/i.test(e.message),
  },
  // "Request too large for gpt-5 … Limit 30000, Requested 36055": a 429 no retry can fix.
  { type: "provider_invalid_request", applies: "any", when: (e) => /^request too large/i.test(e.message) },
  {
    type: "provider_overloaded",
    applies: "any",
    when: (e) =>
      e.code === "server_is_overloaded" ||
      e.code === "slow_down" ||
      e.type === "service_unavailable_error" ||
      /overloaded|at capacity/i.test(e.message),
  },
  { type: "provider_rate_limited", applies: "stream", when: (e) => e.code === "rate_limit_exceeded" },
  {
    type: "provider_invalid_request",
    applies: "stream",
    when: (e) => e.type === "invalid_request_error" || e.code === "invalid_prompt",
  },
];

/** How a connection that broke mid-body shows up in Node's fetch (undici). */
const DROPPED = /\bterminated\b|other side closed|socket hang up|ECONNRESET|EPIPE|UND_ERR_SOCKET|premature close/i;

export function classifyOpenAIError(error: unknown): ReasonqError {
  if (ReasonqError.is(error)) return error;
  if (error instanceof APIUserAbortError || isAbort(error)) {
    return new ReasonqError("job_cancelled", "the openai request was aborted", { cause: error });
  }
  if (error instanceof APIConnectionTimeoutError) {
    return new ReasonqError("provider_timeout", "openai: the request timed out", { cause: error });
  }
  if (error instanceof APIConnectionError) {
    const cause = describe(error.cause);
    if (DROPPED.test(cause)) return dropped(cause, error);
    return new ReasonqError("provider_server_error", `openai could not be reached: ${redactSecrets(cause)}`, {
      cause: error,
    });
  }
  if (error instanceof APIError) {
    const facts = factsOf(error.error, error.message);
    if (error.status === undefined) return classifyStreamError(facts, error);
    return classifyStatusError(error.status, facts, error.headers, error);
  }
  if (error instanceof Error && DROPPED.test(describe(error))) return dropped(describe(error), error);
  return toReasonqError(error);
}

/** An error body that arrived without an HTTP status: in-stream, or `response.failed`. */
export function classifyStreamError(facts: OpenAIErrorFacts, cause?: unknown): ReasonqError {
  const rule = OPENAI_ERROR_RULES.find((r) => r.when(facts));
  const type = rule?.type ?? "provider_server_error";
  const code = facts.code ?? facts.type;
  const message = `openai stream error${code === undefined ? "" : ` (${code})`}: ${redactSecrets(facts.message)}`;
  const retryAfterMs = type === "provider_rate_limited" ? fromMessage(facts.message) : undefined;
  return new ReasonqError(type, message, {
    ...(retryAfterMs === undefined ? {} : { retryAfterMs }),
    ...(cause === undefined ? {} : { cause }),
  });
}

function classifyStatusError(
  status: number,
  facts: OpenAIErrorFacts,
  headers: HeaderSource | undefined,
  cause: unknown,
): ReasonqError {
  const rule = OPENAI_ERROR_RULES.find((r) => r.applies === "any" && r.when(facts));
  const base = classifyHttpError({ status, message: facts.message, provider: "openai" });
  const type = rule?.type ?? base.type;
  const retryAfterMs =
    type === "provider_rate_limited" || type === "provider_overloaded" ? rateLimitWait(headers, facts) : undefined;
  return new ReasonqError(type, base.message, {
    providerStatus: status,
    cause,
    ...(retryAfterMs === undefined ? {} : { retryAfterMs }),
  });
}

/**
 * The wait a 429 asks for: `retry-after-ms` / `retry-after` first; else the reset of the
 * exhausted limit (`x-ratelimit-reset-tokens` for a `tokens` error, `-requests` for a
 * `requests` one, the longer of the two otherwise); else the message's "try again in".
 */
export function rateLimitWait(headers: HeaderSource | undefined, facts: OpenAIErrorFacts): number | undefined {
  if (headers !== undefined) {
    const explicit = parseRetryAfter(headers);
    if (explicit !== undefined) return explicit;
    const tokens = parseDuration(header(headers, "x-ratelimit-reset-tokens"));
    const requests = parseDuration(header(headers, "x-ratelimit-reset-requests"));
    const chosen =
      facts.type === "tokens"
        ? tokens
        : facts.type === "requests"
          ? requests
          : tokens === undefined && requests === undefined
            ? undefined
            : Math.max(tokens ?? 0, requests ?? 0);
    if (chosen !== undefined) return chosen;
  }
  return fromMessage(facts.message);
}

/** OpenAI's reset durations: `12ms`, `1.574s`, `6m0s`, `1h2m3s`. */
export function parseDuration(value: string | undefined): number | undefined {
  if (value === undefined || !/^(\d+(\.\d+)?(ms|h|m|s))+$/.test(value.trim())) return undefined;
  const unit = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 } as const;
  let total = 0;
  for (const [, amount, , u] of value.trim().matchAll(/(\d+(\.\d+)?)(ms|h|m|s)/g)) {
    total += Number(amount) * unit[u as keyof typeof unit];
  }
  return Math.ceil(total);
}

function fromMessage(message: string): number | undefined {
  const match = /try again in (\d+(?:\.\d+)?)(ms|s)\b/i.exec(message);
  if (match === null) return undefined;
  return Math.ceil(Number(match[1]) * (match[2] === "ms" ? 1 : 1000));
}

function header(headers: HeaderSource, name: string): string | undefined {
  if (headers instanceof Headers) return headers.get(name) ?? undefined;
  for (const [key, value] of Object.entries(headers)) {
    if (key.toLowerCase() === name && value !== undefined) return typeof value === "string" ? value : value[0];
  }
  return undefined;
}

/** The SDK keeps the body's `error` object (or the whole in-stream event) on `error.error`. */
export function factsOf(body: unknown, fallback: string): OpenAIErrorFacts {
  const b = record(body);
  const inner = record(b?.error) ?? b;
  return {
    message: str(inner?.message) ?? fallback,
    type: str(inner?.type),
    code: str(inner?.code),
  };
}

function dropped(detail: string, cause: unknown): ReasonqError {
  return new ReasonqError("provider_stream_dropped", `openai: the connection broke mid-stream (${detail})`, {
    cause,
  });
}

function isAbort(error: unknown): boolean {
  return error instanceof Error && error.name === "AbortError";
}

/** An error's message with its causes', for matching connection failures. */
function describe(error: unknown): string {
  const parts: string[] = [];
  let current: unknown = error;
  for (let depth = 0; depth < 4 && current !== undefined && current !== null; depth++) {
    if (current instanceof Error) {
      const code = (current as { code?: unknown }).code;
      parts.push(typeof code === "string" ? `${current.message} [${code}]` : current.message);
      current = current.cause;
    } else {
      parts.push(String(current));
      break;
    }
  }
  return parts.join(": ");
}
