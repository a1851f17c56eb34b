import { ReasonqError } from "@reasonq/core";
import { APIConnectionError, APIError } from "openai";
import { describe, expect, it } from "vitest";
import { classifyDeepSeekError } from "./classify-deepseek-error.ts";

const headers = (h: Record<string, string> = {}) => new Headers(h);
const httpError = (status: number, message: string, h: Record<string, string> = {}) =>
  APIError.generate(
    status,
    { error: { message, type: "invalid_request_error", code: "invalid_request_error" } },
    undefined,
    headers(h),
  );
const inStream = (message: string, type = "server_error") =>
  new APIError(undefined, { message, type }, undefined, headers());

describe("classifyDeepSeekError", () => {
  it.each([
    [
      httpError(400, "This model's maximum context length is 131072 tokens. However, you requested 140000 tokens."),
      "context_length_exceeded",
    ],
    [
      httpError(400, "The reasoning_content in the thinking mode must be passed back to the API."),
      "provider_invalid_request",
    ],
    [httpError(402, "Insufficient Balance"), "provider_quota_exhausted"],
    [httpError(422, "Invalid Parameters"), "provider_invalid_request"],
    [httpError(429, "Rate Limit Reached", { "retry-after": "2" }), "provider_rate_limited"],
    [httpError(500, "Server Error"), "provider_server_error"],
    [httpError(500, "insufficient system resource"), "provider_overloaded"],
    [httpError(503, "Server Overloaded"), "provider_overloaded"],
    [inStream("Server Overloaded"), "provider_overloaded"],
    [inStream("something broke"), "provider_server_error"],
    [new APIConnectionError({ message: "Connection error." }), "provider_stream_dropped"],
    [Object.assign(new TypeError("terminated"), { cause: { code: "UND_ERR_SOCKET" } }), "provider_stream_dropped"],
    [new DOMException("This operation was aborted", "AbortError"), "job_cancelled"],
  ])("%s → %s", (error, type) => {
    expect(classifyDeepSeekError(error).type).toBe(type);
  });

  it("carries retry-after and redacts keys", () => {
    const error = classifyDeepSeekError(
      httpError(401, "Authentication Fails, Your api key: sk-abcdefghijklmnop is invalid"),
    );
    expect(error.message).not.toContain("abcdefghijklmnop");
    expect(classifyDeepSeekError(httpError(429, "slow", { "retry-after": "2" })).retryAfterMs).toBe(2000);
  });

  it("passes a ReasonqError through", () => {
    const own = new ReasonqError("provider_stream_dropped", "x");
    expect(classifyDeepSeekError(own)).toBe(own);
  });
});
