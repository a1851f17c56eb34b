/**
 * The closed list of error types. `type` is the stable string clients and the database
 * see; `http` is the status the API answers with when the error reaches a client;
 * `retry` is how the worker treats it when it comes out of a provider call:
 *   - `retry`: try again with backoff (server errors, dropped streams)
 *   - `rate_limit`: the whole provider queue waits (`retryAfterMs`), no attempt is spent
 *   - `never`: fail the job at once
 */
export const ERROR_TYPES = {
  invalid_request: { http: 400, retry: "never" },
  unknown_model: { http: 400, retry: "never" },
  unsupported_parameter: { http: 400, retry: "never" },
  authentication_error: { http: 401, retry: "never" },
  budget_exceeded: { http: 402, retry: "never" },
  not_found: { http: 404, retry: "never" },
  conflict: { http: 409, retry: "never" },
  payload_too_large: { http: 413, retry: "never" },
  unsupported_media_type: { http: 415, retry: "never" },
  rate_limited: { http: 429, retry: "rate_limit" },
  provider_rate_limited: { http: 502, retry: "rate_limit" },
  provider_overloaded: { http: 502, retry: "rate_limit" },
  provider_server_error: { http: 502, retry: "retry" },
  provider_stream_dropped: { http: 502, retry: "retry" },
  provider_timeout: { http: 504, retry: "retry" },
  provider_auth: { http: 502, retry: "never" },
  provider_quota_exhausted: { http: 502, retry: "never" },
  provider_invalid_request: { http: 502, retry: "never" },
  provider_not_found: { http: 502, retry: "never" },
  context_length_exceeded: { http: 400, retry: "never" },
  content_filtered: { http: 422, retry: "never" },
  /** The answer is not the structured output asked for (not JSON, or not matching the schema). */
  invalid_output: { http: 502, retry: "never" },
  /** The call needs more tokens than a whole minute of a configured tokens-per-minute limit: it could never start. */
  token_limit_exceeded: { http: 422, retry: "never" },
  job_cancelled: { http: 409, retry: "never" },
  service_unavailable: { http: 503, retry: "never" },
  internal_error: { http: 500, retry: "retry" },
} as const satisfies Record<string, { http: number; retry: "retry" | "rate_limit" | "never" }>;

export type ErrorType = keyof typeof ERROR_TYPES;
export type RetryDisposition = (typeof ERROR_TYPES)[ErrorType]["retry"];
