import { ReasonqError } from "@reasonq/core";
import { APIConnectionError, APIConnectionTimeoutError, APIError, APIUserAbortError } from "openai";
import { describe, expect, it } from "vitest";
import { classifyErrorBody, classifyOpenAICompatibleError } from "./classify-openai-compatible-error.ts";

const ctx = { provider: "acme" };
const http = (status: number, body: unknown, headers: Record<string, string> = {}) =>
  APIError.generate(status, body as object, undefined, new Headers(headers));
const classify = (error: unknown) => classifyOpenAICompatibleError(error, ctx);

describe("classifyOpenAICompatibleError: the message table", () => {
  it.each([
    [
      http(400, { error: { message: "This model's maximum context length is 8192 tokens" } }),
      "context_length_exceeded",
    ],
    [http(413, { error: { message: "too many tokens in request" } }), "context_length_exceeded"],
    [
      http(429, { error: { message: "You exceeded your current quota", code: "insufficient_quota" } }),
      "provider_quota_exhausted",
    ],
    [http(400, { error: { message: "Insufficient credits" } }), "provider_quota_exhausted"],
    [http(403, { error: { code: 403, message: "Your input was flagged by moderation" } }), "content_filtered"],
    [http(403, { error: { message: "Permission denied" } }), "provider_auth"],
    [http(500, { error: { message: "Model is overloaded" } }), "provider_overloaded"],
    [http(500, { error: { message: "boom" } }), "provider_server_error"],
    [
      http(404, { object: "error", message: "The model `x` does not exist.", type: "NotFoundError", code: 404 }),
      "provider_not_found",
    ],
    [http(400, { code: "Client specified an invalid argument", error: "bad field" }), "provider_invalid_request"],
  ])("%s → %s", (error, type) => {
    expect(classify(error).type).toBe(type);
  });

  it("keeps the provider's message, its status and its retry-after", () => {
    const error = classify(http(429, { error: { message: "slow down" } }, { "retry-after-ms": "1500" }));
    expect(error).toMatchObject({ type: "provider_rate_limited", providerStatus: 429, retryAfterMs: 1500 });
    expect(error.message).toBe("acme returned 429: slow down");
    expect(classify(http(400, { code: "x", error: "bare string message" })).message).toContain("bare string message");
  });
});

describe("classifyOpenAICompatibleError: errors inside a 200 stream", () => {
  const inStream = (body: object) => new APIError(undefined, body, undefined, new Headers());
  it.each([
    [{ code: 502, message: "Provider returned error" }, "provider_server_error"],
    [{ code: 429, message: "Rate limited upstream" }, "provider_rate_limited"],
    [
      { code: "server_error", message: "Provider returned error: overloaded_error (Overloaded)" },
      "provider_overloaded",
    ],
    [{ message: "rate limit exceeded", type: "requests" }, "provider_rate_limited"],
    [{ message: "maximum context length exceeded" }, "context_length_exceeded"],
    [{ message: "something odd" }, "provider_server_error"],
  ])("%o → %s", (body, type) => {
    expect(classify(inStream(body)).type).toBe(type);
    expect(classifyErrorBody(body, ctx).type).toBe(type);
  });
});

describe("classifyOpenAICompatibleError: transport", () => {
  it.each([
    [new APIUserAbortError(), "job_cancelled"],
    [new DOMException("aborted", "AbortError"), "job_cancelled"],
    [new APIConnectionTimeoutError(), "provider_timeout"],
    [
      new APIConnectionError({ message: "Connection error.", cause: new Error("ECONNREFUSED") }),
      "provider_stream_dropped",
    ],
    [Object.assign(new TypeError("terminated"), { cause: { code: "UND_ERR_SOCKET" } }), "provider_stream_dropped"],
    [Object.assign(new Error("read ECONNRESET"), { code: "ECONNRESET" }), "provider_stream_dropped"],
    [new SyntaxError("Error reading response: malformed server-sent event JSON."), "provider_server_error"],
    [new Error("who knows"), "internal_error"],
  ])("%s → %s", (error, type) => {
    expect(classify(error).type).toBe(type);
  });

  it("passes a ReasonqError through unchanged", () => {
    const own = new ReasonqError("provider_stream_dropped", "idle");
    expect(classify(own)).toBe(own);
  });
});
