import { describe, expect, it } from "vitest";
import { classifyHttpError, parseRetryAfter, redactSecrets } from "./classify-http-error.ts";

describe("classifyHttpError", () => {
  const table: Array<[number, string, string]> = [
    [429, "provider_rate_limited", "rate_limit"],
    [529, "provider_overloaded", "rate_limit"],
    [503, "provider_overloaded", "rate_limit"],
    [500, "provider_server_error", "retry"],
    [502, "provider_server_error", "retry"],
    [408, "provider_timeout", "retry"],
    [504, "provider_timeout", "retry"],
    [400, "provider_invalid_request", "never"],
    [413, "provider_invalid_request", "never"],
    [422, "provider_invalid_request", "never"],
    [401, "provider_auth", "never"],
    [403, "provider_auth", "never"],
    [402, "provider_quota_exhausted", "never"],
    [404, "provider_not_found", "never"],
  ];

  it.each(table)("maps %i to %s (%s)", (status, type, retry) => {
    const error = classifyHttpError({ status, message: "boom", provider: "openai" });
    expect(error).toMatchObject({ type, retry, providerStatus: status });
    expect(error.message).toBe(`openai returned ${status}: boom`);
  });

  it("carries the wait a provider asks for", () => {
    const error = classifyHttpError({ status: 429, headers: { "Retry-After": "2" }, message: "slow down" });
    expect(error.retryAfterMs).toBe(2000);
    expect(classifyHttpError({ status: 500, message: "x" }).retryAfterMs).toBeUndefined();
  });

  it("never passes a key on", () => {
    const error = classifyHttpError({ status: 401, message: "Incorrect API key provided: sk-proj-abcdef123456789." });
    expect(error.message).not.toContain("abcdef");
    expect(error.message).toContain("[redacted]");
  });
});

describe("parseRetryAfter", () => {
  const now = new Date("2026-11-01T12:00:00Z");

  it("reads seconds, fractions, milliseconds and HTTP dates", () => {
    expect(parseRetryAfter({ "retry-after": "30" }, now)).toBe(30_000);
    expect(parseRetryAfter({ "retry-after": "1.5" }, now)).toBe(1500);
    expect(parseRetryAfter(new Headers({ "retry-after-ms": "250", "retry-after": "9" }), now)).toBe(250);
    expect(parseRetryAfter({ "retry-after": "Sun, 01 Nov 2026 12:00:05 GMT" }, now)).toBe(5000);
    expect(parseRetryAfter({ "retry-after": "Sun, 01 Nov 2026 11:00:00 GMT" }, now)).toBe(0);
    expect(parseRetryAfter({ "retry-after": ["3"] }, now)).toBe(3000);
  });

  it("ignores what it cannot read", () => {
    expect(parseRetryAfter({}, now)).toBeUndefined();
    expect(parseRetryAfter({ "retry-after": "soon" }, now)).toBeUndefined();
    expect(parseRetryAfter({ "retry-after-ms": "-1" }, now)).toBeUndefined();
  });
});

describe("redactSecrets", () => {
  it("removes key-shaped strings and bearer tokens", () => {
    expect(redactSecrets("key sk-ant-api03-AAAAAAAAAAAA is bad")).toBe("key [redacted] is bad");
    expect(redactSecrets("AIzaSyA1234567890abcdefghijklmno")).toBe("[redacted]");
    expect(redactSecrets("Authorization: Bearer abc.def")).toBe("Authorization: [redacted]");
    expect(redactSecrets("model gpt-4o not found")).toBe("model gpt-4o not found");
  });
});
