import { ApiError } from "@google/genai";
import { ReasonqError } from "@reasonq/core";
import { describe, expect, it } from "vitest";
import tooMany from "./__fixtures__/google-429-retry-info.json" with { type: "json" };
import missingSignature from "./__fixtures__/google-function-call-missing-signature.json" with { type: "json" };
import minimal from "./__fixtures__/google-thinking-level-minimal-unsupported.json" with { type: "json" };
import { classifyGoogleError, GOOGLE_ERROR_RULES, parseDuration, parseGoogleError } from "./classify-google-error.ts";

/** What the SDK throws for an HTTP error: the JSON body as the message. */
const httpError = (status: number, body: unknown) => new ApiError({ status, message: JSON.stringify(body) });
/** What it throws for an error chunk inside a 200 stream (throwIfStreamErrorChunk). */
const streamError = (body: { error: { code: number; status: string } }) =>
  new ApiError({ status: body.error.code, message: `got status: ${body.error.status}. ${JSON.stringify(body)}` });
const body = (code: number, status: string, message: string, details?: unknown[]) => ({
  error: { code, status, message, ...(details === undefined ? {} : { details }) },
});

describe("classifyGoogleError", () => {
  it("reads RESOURCE_EXHAUSTED's RetryInfo into retryAfterMs", () => {
    const error = classifyGoogleError(httpError(429, tooMany));
    expect(error).toMatchObject({ type: "provider_rate_limited", retryAfterMs: 34_400, providerStatus: 429 });
    expect(error.message).toMatch(/^google returned 429: You exceeded your current quota/);
  });

  it("takes the longer of a retry-after header and RetryInfo", () => {
    const headers = new Headers({ "retry-after": "60" });
    expect(classifyGoogleError(httpError(429, tooMany), { headers }).retryAfterMs).toBe(60_000);
    const short = new Headers({ "retry-after": "1" });
    expect(classifyGoogleError(httpError(429, tooMany), { headers: short }).retryAfterMs).toBe(34_400);
    const bare = body(429, "RESOURCE_EXHAUSTED", "Resource has been exhausted (e.g. check quota).");
    expect(classifyGoogleError(httpError(429, bare), { headers: short }).retryAfterMs).toBe(1000);
    expect(classifyGoogleError(httpError(429, bare)).retryAfterMs).toBeUndefined();
  });

  it.each([
    [503, "UNAVAILABLE", "The model is overloaded. Please try again later.", "provider_overloaded"],
    [500, "INTERNAL", "An internal error has occurred.", "provider_server_error"],
    [504, "DEADLINE_EXCEEDED", "Deadline expired before operation could complete.", "provider_timeout"],
    [400, "INVALID_ARGUMENT", "Request contains an invalid argument.", "provider_invalid_request"],
    [400, "FAILED_PRECONDITION", "User location is not supported for the API use.", "provider_invalid_request"],
    [403, "PERMISSION_DENIED", "Method doesn't allow unregistered callers.", "provider_auth"],
    [401, "UNAUTHENTICATED", "Request had invalid authentication credentials.", "provider_auth"],
    [404, "NOT_FOUND", "models/gemini-0 is not found for API version v1.", "provider_not_found"],
  ])("maps %i %s to %s with Google's message", (code, status, message, type) => {
    const error = classifyGoogleError(httpError(code, body(code, status, message)));
    expect(error.type).toBe(type);
    expect(error.message).toBe(`google returned ${code}: ${message}`);
    expect(error.providerStatus).toBe(code);
  });

  it("passes Google's own 400 messages on", () => {
    expect(classifyGoogleError(httpError(400, minimal))).toMatchObject({
      type: "provider_invalid_request",
      message: `google returned 400: ${minimal.error.message}`,
    });
    expect(classifyGoogleError(httpError(400, missingSignature)).message).toContain("missing a thought_signature");
  });

  it("classifies error chunks inside a 200 stream by the code they carry", () => {
    const overloaded = classifyGoogleError(streamError(body(503, "UNAVAILABLE", "The model is overloaded.")));
    expect(overloaded).toMatchObject({ type: "provider_overloaded", providerStatus: 503 });
    expect(overloaded.message).toBe("google returned 503: The model is overloaded.");
    expect(classifyGoogleError(streamError(body(500, "INTERNAL", "x"))).type).toBe("provider_server_error");
  });

  it("applies the message table", () => {
    const cases: Array<[unknown, string]> = [
      [
        body(400, "INVALID_ARGUMENT", "API key not valid. Please pass a valid API key.", [
          { "@type": "type.googleapis.com/google.rpc.ErrorInfo", reason: "API_KEY_INVALID" },
        ]),
        "provider_auth",
      ],
      [
        body(
          400,
          "INVALID_ARGUMENT",
          "The input token count (1200000) exceeds the maximum number of tokens allowed (1048576).",
        ),
        "context_length_exceeded",
      ],
      [
        body(
          429,
          "RESOURCE_EXHAUSTED",
          "Quota exceeded for metric: generativelanguage.googleapis.com/generate_content_free_tier_requests, limit: 0, model: gemini-2.5-pro",
        ),
        "provider_quota_exhausted",
      ],
    ];
    for (const [payload, type] of cases) {
      const code = (payload as { error: { code: number } }).error.code;
      expect(classifyGoogleError(httpError(code, payload)).type).toBe(type);
    }
    expect(GOOGLE_ERROR_RULES.every((rule) => rule.why.length > 0)).toBe(true);
  });

  it("never passes a key on", () => {
    const error = classifyGoogleError(
      httpError(400, body(400, "INVALID_ARGUMENT", "API key AIzaSyA1234567890abcdefghijklmno is invalid")),
    );
    expect(error.message).not.toContain("AIzaSy");
  });

  it("treats a dropped connection as retryable, an abort as cancelled, and passes ReasonqErrors through", () => {
    const terminated = new TypeError("terminated", {
      cause: Object.assign(new Error("other side closed"), { code: "UND_ERR_SOCKET" }),
    });
    expect(classifyGoogleError(terminated).type).toBe("provider_stream_dropped");
    const refused = new TypeError("fetch failed", {
      cause: Object.assign(new Error("connect ECONNREFUSED"), { code: "ECONNREFUSED" }),
    });
    expect(classifyGoogleError(refused).type).toBe("provider_stream_dropped");
    expect(classifyGoogleError(new Error("Incomplete JSON segment at the end")).type).toBe("provider_stream_dropped");
    expect(classifyGoogleError(new DOMException("This operation was aborted", "AbortError")).type).toBe(
      "job_cancelled",
    );
    const ours = new ReasonqError("provider_stream_dropped", "idle");
    expect(classifyGoogleError(ours)).toBe(ours);
    expect(classifyGoogleError(new Error("something else")).type).toBe("internal_error");
  });
});

describe("parseGoogleError / parseDuration", () => {
  it("falls back to the raw text when the message is not JSON", () => {
    expect(parseGoogleError(502, "<html>Bad Gateway</html>")).toMatchObject({
      httpStatus: 502,
      rpcStatus: "",
      message: "<html>Bad Gateway</html>",
    });
  });

  it("reads protobuf durations", () => {
    expect(parseDuration("34.4s")).toBe(34_400);
    expect(parseDuration("2s")).toBe(2000);
    expect(parseDuration("0.25s")).toBe(250);
    expect(parseDuration("soon")).toBeUndefined();
    expect(parseDuration(undefined)).toBeUndefined();
  });
});
