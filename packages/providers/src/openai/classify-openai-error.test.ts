import { readFileSync } from "node:fs";
import { ReasonqError } from "@reasonq/core";
import { APIConnectionError, APIConnectionTimeoutError, APIError, APIUserAbortError } from "openai";
import { describe, expect, it } from "vitest";
import { classifyOpenAIError, OPENAI_ERROR_RULES, parseDuration, rateLimitWait } from "./classify-openai-error.ts";

interface Sample {
  status?: number;
  headers?: Record<string, string>;
  body: Record<string, unknown>;
}
const samples = JSON.parse(
  readFileSync(new URL("./__fixtures__/openai-errors.json", import.meta.url), "utf8"),
) as Record<string, Sample>;

/** What the SDK throws for a sample: APIError.generate, as for a real response. */
function thrown(name: string): APIError {
  const sample = samples[name] as Sample;
  if (sample.status === undefined)
    return new APIError(undefined, sample.body.error ?? sample.body, undefined, new Headers());
  return APIError.generate(sample.status, sample.body, undefined, new Headers(sample.headers ?? {}));
}

describe("classifyOpenAIError — recorded bodies", () => {
  it.each([
    ["max_tokens_400", "provider_invalid_request", 400],
    ["context_length_400", "context_length_exceeded", 400],
    ["rate_limit_tokens_429", "provider_rate_limited", 429],
    ["request_too_large_429", "provider_invalid_request", 429],
    ["insufficient_quota_429", "provider_quota_exhausted", 429],
    ["overloaded_503", "provider_overloaded", 503],
    ["overloaded_in_stream", "provider_overloaded", undefined],
  ] as const)("%s → %s", (name, type, status) => {
    const error = classifyOpenAIError(thrown(name));
    expect(error).toMatchObject({ type, providerStatus: status });
  });

  it("keeps OpenAI's message, without keys", () => {
    const error = classifyOpenAIError(thrown("max_tokens_400"));
    expect(error.message).toBe(
      "openai returned 400: Unsupported parameter: 'max_tokens' is not supported with this model. Use 'max_completion_tokens' instead.",
    );
    const auth = classifyOpenAIError(
      APIError.generate(
        401,
        { error: { message: "Incorrect API key provided: sk-proj-abcdef1234567890.", code: "invalid_api_key" } },
        undefined,
        new Headers(),
      ),
    );
    expect(auth.type).toBe("provider_auth");
    expect(auth.message).not.toContain("abcdef");
  });

  it("says how long a rate limit lasts, from retry-after first, then the exhausted limit's reset", () => {
    expect(classifyOpenAIError(thrown("rate_limit_tokens_429")).retryAfterMs).toBe(1574);
    const withHeader = APIError.generate(
      429,
      samples.rate_limit_tokens_429?.body,
      undefined,
      new Headers({ "retry-after": "3", "x-ratelimit-reset-tokens": "1.574s" }),
    );
    expect(classifyOpenAIError(withHeader).retryAfterMs).toBe(3000);
    const ms = APIError.generate(429, {}, undefined, new Headers({ "retry-after-ms": "250" }));
    expect(classifyOpenAIError(ms).retryAfterMs).toBe(250);
    expect(classifyOpenAIError(thrown("insufficient_quota_429")).retryAfterMs).toBeUndefined();
  });
});

describe("rateLimitWait", () => {
  it("picks the reset of the limit the error names, else the longer one, else the message", () => {
    const headers = { "x-ratelimit-reset-tokens": "6m0s", "x-ratelimit-reset-requests": "12ms" };
    expect(rateLimitWait(headers, { message: "", type: "requests" })).toBe(12);
    expect(rateLimitWait(headers, { message: "", type: "tokens" })).toBe(360_000);
    expect(rateLimitWait(headers, { message: "" })).toBe(360_000);
    expect(rateLimitWait({}, { message: "Please try again in 820ms." })).toBe(820);
    expect(rateLimitWait(undefined, { message: "no hint" })).toBeUndefined();
  });

  it("parses OpenAI's durations", () => {
    expect(parseDuration("12ms")).toBe(12);
    expect(parseDuration("1.574s")).toBe(1574);
    expect(parseDuration("6m0s")).toBe(360_000);
    expect(parseDuration("1h2m3s")).toBe(3_723_000);
    expect(parseDuration("soon")).toBeUndefined();
    expect(parseDuration(undefined)).toBeUndefined();
  });
});

describe("classifyOpenAIError — everything else a call throws", () => {
  it("maps in-stream error codes by the table, defaulting to a retryable server error", () => {
    const stream = (error: Record<string, unknown>) =>
      classifyOpenAIError(new APIError(undefined, error, undefined, new Headers()));
    expect(stream({ code: "rate_limit_exceeded", message: "Please try again in 2s." })).toMatchObject({
      type: "provider_rate_limited",
      retryAfterMs: 2000,
    });
    expect(stream({ type: "invalid_request_error", message: "bad" }).type).toBe("provider_invalid_request");
    expect(stream({ type: "server_error", message: "The server had an error" })).toMatchObject({
      type: "provider_server_error",
      retry: "retry",
    });
    expect(stream({ message: "Selected model is at capacity" }).type).toBe("provider_overloaded");
  });

  it("treats a cut connection as a dropped stream and a missing one as a server error", () => {
    const cut = new TypeError("terminated", {
      cause: Object.assign(new Error("other side closed"), { code: "UND_ERR_SOCKET" }),
    });
    expect(classifyOpenAIError(cut).type).toBe("provider_stream_dropped");
    const refused = new APIConnectionError({
      cause: Object.assign(new Error("connect ECONNREFUSED 127.0.0.1:1"), { code: "ECONNREFUSED" }),
    });
    expect(classifyOpenAIError(refused).type).toBe("provider_server_error");
    expect(classifyOpenAIError(new APIConnectionTimeoutError()).type).toBe("provider_timeout");
  });

  it("reports aborts as cancelled and passes its own errors through", () => {
    expect(classifyOpenAIError(new APIUserAbortError()).type).toBe("job_cancelled");
    expect(classifyOpenAIError(new DOMException("x", "AbortError")).type).toBe("job_cancelled");
    const own = new ReasonqError("provider_stream_dropped", "mine");
    expect(classifyOpenAIError(own)).toBe(own);
    expect(classifyOpenAIError("weird").type).toBe("internal_error");
  });

  it("keeps every message match in one table", () => {
    expect(OPENAI_ERROR_RULES.map((r) => r.type)).toEqual([
      "provider_quota_exhausted",
      "context_length_exceeded",
      "provider_invalid_request",
      "provider_overloaded",
      "provider_rate_limited",
      "provider_invalid_request",
    ]);
  });
});
