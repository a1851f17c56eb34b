import { APIConnectionError, APIConnectionTimeoutError, APIError, APIUserAbortError } from "@anthropic-ai/sdk";
import { ReasonqError } from "@reasonq/core";
import { describe, expect, it } from "vitest";
import { ANTHROPIC_MESSAGE_RULES, classifyAnthropicError, rateLimitResetMs } from "./classify-anthropic-error.ts";

const body = (type: string, message: string, details?: unknown) => ({
  type: "error",
  error: { type, message, ...(details === undefined ? {} : { details }) },
  request_id: "req_011C",
});
const http = (status: number, type: string, message: string, headers: Record<string, string> = {}, details?: unknown) =>
  APIError.generate(status, body(type, message, details), undefined, new Headers(headers));
const NOW = new Date("2026-11-22T10:00:00Z");

describe("classifyAnthropicError", () => {
  it("classifies HTTP errors by status, with Anthropic's message", () => {
    const cases: Array<[number, string, string]> = [
      [400, "invalid_request_error", "provider_invalid_request"],
      [401, "authentication_error", "provider_auth"],
      [403, "permission_error", "provider_auth"],
      [404, "not_found_error", "provider_not_found"],
      [402, "billing_error", "provider_quota_exhausted"],
      [413, "request_too_large", "provider_invalid_request"],
      [500, "api_error", "provider_server_error"],
      [504, "timeout_error", "provider_timeout"],
      [529, "overloaded_error", "provider_overloaded"],
    ];
    for (const [status, type, expected] of cases) {
      const error = classifyAnthropicError(http(status, type, `the ${type} text`));
      expect(error).toMatchObject({ type: expected, providerStatus: status });
      expect(error.message).toBe(`anthropic returned ${status}: the ${type} text`);
    }
  });

  it("reads retry-after on a 429, else the reset time of the exhausted anthropic-ratelimit limit", () => {
    const withHeader = classifyAnthropicError(http(429, "rate_limit_error", "slow down", { "retry-after": "7" }), NOW);
    expect(withHeader).toMatchObject({ type: "provider_rate_limited", retryAfterMs: 7000 });
    const fromReset = classifyAnthropicError(
      http(429, "rate_limit_error", "slow down", {
        "anthropic-ratelimit-requests-remaining": "0",
        "anthropic-ratelimit-requests-reset": "2026-11-22T10:00:03Z",
        "anthropic-ratelimit-tokens-remaining": "40000",
        "anthropic-ratelimit-tokens-reset": "2026-11-22T10:00:30Z",
      }),
      NOW,
    );
    expect(fromReset.retryAfterMs).toBe(3000);
    expect(rateLimitResetMs({}, NOW)).toBeUndefined();
  });

  it("refines invalid requests by the message table and quota error codes", () => {
    const tooLong = classifyAnthropicError(
      http(400, "invalid_request_error", "prompt is too long: 215000 tokens > 200000 maximum"),
    );
    expect(tooLong.type).toBe("context_length_exceeded");
    expect(tooLong.message).toContain("prompt is too long");
    expect(
      classifyAnthropicError(
        http(
          400,
          "invalid_request_error",
          "input length and `max_tokens` exceed context limit: 197202 + 21333 > 200000",
        ),
      ).type,
    ).toBe("context_length_exceeded");
    expect(
      classifyAnthropicError(
        http(400, "invalid_request_error", "Your credit balance is too low to access the Anthropic API."),
      ).type,
    ).toBe("provider_quota_exhausted");
    expect(
      classifyAnthropicError(
        http(403, "permission_error", "spend limit", {}, { error_code: "enforced_spend_limit_reached" }),
      ).type,
    ).toBe("provider_quota_exhausted");
    for (const rule of ANTHROPIC_MESSAGE_RULES) expect(rule.pattern.flags).toContain("i");
  });

  it("classifies an error event inside a 200 stream by its type", () => {
    const overload = new APIError(
      undefined,
      body("overloaded_error", "Overloaded"),
      undefined,
      new Headers(),
      "overloaded_error",
    );
    expect(classifyAnthropicError(overload)).toMatchObject({
      type: "provider_overloaded",
      message: "anthropic stream error (overloaded_error): Overloaded",
      providerStatus: undefined,
    });
    const limited = new APIError(
      undefined,
      body("rate_limit_error", "later"),
      undefined,
      new Headers(),
      "rate_limit_error",
    );
    expect(classifyAnthropicError(limited).type).toBe("provider_rate_limited");
    const invalid = new APIError(
      undefined,
      body("invalid_request_error", "prompt is too long: 9 > 8"),
      undefined,
      undefined,
      "invalid_request_error",
    );
    expect(classifyAnthropicError(invalid).type).toBe("context_length_exceeded");
    const odd = new APIError(undefined, body("weird_error", "?"), undefined, undefined, null);
    expect(classifyAnthropicError(odd).type).toBe("provider_server_error");
  });

  it("classifies connection failures, timeouts and aborts", () => {
    expect(classifyAnthropicError(new APIConnectionError({ message: "Connection error." })).type).toBe(
      "provider_stream_dropped",
    );
    expect(classifyAnthropicError(new APIConnectionTimeoutError()).type).toBe("provider_timeout");
    expect(classifyAnthropicError(new APIUserAbortError()).type).toBe("job_cancelled");
    const abort = new DOMException("This operation was aborted", "AbortError");
    expect(classifyAnthropicError(abort).type).toBe("job_cancelled");
    const cut = new TypeError("terminated", { cause: { code: "UND_ERR_SOCKET", message: "other side closed" } });
    expect(classifyAnthropicError(cut).type).toBe("provider_stream_dropped");
    expect(classifyAnthropicError(new Error("something else")).type).toBe("internal_error");
  });

  it("passes a ReasonqError through and redacts keys echoed back", () => {
    const own = new ReasonqError("provider_stream_dropped", "ended early");
    expect(classifyAnthropicError(own)).toBe(own);
    const echoed = classifyAnthropicError(
      http(401, "authentication_error", "invalid key sk-ant-api03-abcdefghijklmnop"),
    );
    expect(echoed.message).not.toContain("abcdefghijklmnop");
  });
});
