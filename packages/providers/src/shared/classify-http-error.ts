import { type ErrorType, ReasonqError } from "@reasonq/core";

export type HeaderSource = Headers | Record<string, string | readonly string[] | undefined>;

export interface HttpErrorInput {
  status: number;
  headers?: HeaderSource;
  /** The provider's own error message, passed on to the client (keys are redacted). */
  message: string;
  /** Names the provider in the message (`anthropic returned 529: …`). */
  provider?: string;
  /** For an HTTP-date `retry-after`; defaults to the current time. */
  now?: Date;
}

/** The status classes every provider shares; a family classifier refines them from the body. */
function typeForStatus(status: number): ErrorType {
  if (status === 429) return "provider_rate_limited";
  if (status === 503 || status === 529) return "provider_overloaded";
  if (status === 408 || status === 504) return "provider_timeout";
  if (status === 401 || status === 403) return "provider_auth";
  if (status === 402) return "provider_quota_exhausted";
  if (status === 404) return "provider_not_found";
  // 400, 413 (prompt too large), 422 and the rest of 4xx: resending the same body cannot help.
  if (status >= 400 && status < 500) return "provider_invalid_request";
  return "provider_server_error";
}

export function classifyHttpError(input: HttpErrorInput): ReasonqError {
  const who = input.provider ?? "provider";
  const detail = redactSecrets(input.message.trim()) || "(no message)";
  const retryAfterMs = input.headers === undefined ? undefined : parseRetryAfter(input.headers, input.now);
  return new ReasonqError(typeForStatus(input.status), `${who} returned ${input.status}: ${detail}`, {
    providerStatus: input.status,
    ...(retryAfterMs === undefined ? {} : { retryAfterMs }),
  });
}

function header(headers: HeaderSource, name: string): string | undefined {
  if (headers instanceof Headers) return headers.get(name) ?? undefined;
  for (const [key, value] of Object.entries(headers)) {
    if (key.toLowerCase() !== name || value === undefined) continue;
    return typeof value === "string" ? value : value[0];
  }
  return undefined;
}

/**
 * The wait a provider asks for: `retry-after-ms` (OpenAI, Anthropic) wins over
 * `retry-after`, which is either seconds (possibly fractional) or an HTTP date.
 * Unparseable values are ignored rather than guessed at.
 */
export function parseRetryAfter(headers: HeaderSource, now: Date = new Date()): number | undefined {
  const ms = header(headers, "retry-after-ms")?.trim();
  if (ms !== undefined && /^\d+(\.\d+)?$/.test(ms)) return Math.ceil(Number(ms));

  const value = header(headers, "retry-after")?.trim();
  if (value === undefined || value === "") return undefined;
  if (/^\d+(\.\d+)?$/.test(value)) return Math.ceil(Number(value) * 1000);
  const date = Date.parse(value);
  if (Number.isNaN(date)) return undefined;
  return Math.max(0, date - now.getTime());
}

// Providers sometimes echo part of the key back ("Incorrect API key provided: sk-abc…").
const SECRET_PATTERNS = [/\b(sk|xai|pk|rk)-[A-Za-z0-9_*-]{8,}/g, /\bAIza[A-Za-z0-9_-]{20,}/g, /\bBearer\s+\S+/gi];

export function redactSecrets(text: string): string {
  return SECRET_PATTERNS.reduce((out, pattern) => out.replace(pattern, "[redacted]"), text);
}
