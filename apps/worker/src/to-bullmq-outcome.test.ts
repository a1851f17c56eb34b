import { ReasonqError } from "@reasonq/core";
import { describe, expect, it } from "vitest";
import { retryDelayMs, verdictFor } from "./to-bullmq-outcome.ts";

describe("verdictFor", () => {
  it("retries server errors and dropped streams while attempts are left", () => {
    expect(verdictFor(new ReasonqError("provider_server_error", "500"), true).kind).toBe("retry");
    expect(verdictFor(new ReasonqError("provider_stream_dropped", "cut"), true).kind).toBe("retry");
    expect(verdictFor(new ReasonqError("provider_server_error", "500"), false).kind).toBe("fail");
  });

  it("slows the queue for rate limits and overloads, for as long as the provider asked", () => {
    const verdict = verdictFor(new ReasonqError("provider_rate_limited", "429", { retryAfterMs: 7000 }), true);
    expect(verdict).toMatchObject({ kind: "rate-limit", waitMs: 7000 });
    expect(verdictFor(new ReasonqError("provider_overloaded", "529"), true).kind).toBe("rate-limit");
  });

  it("fails invalid requests at once", () => {
    for (const type of [
      "provider_invalid_request",
      "provider_auth",
      "provider_not_found",
      "unsupported_parameter",
    ] as const) {
      expect(verdictFor(new ReasonqError(type, "no"), true).kind).toBe("fail");
    }
  });
});

describe("retryDelayMs", () => {
  it("grows exponentially with jitter and is capped", () => {
    expect(retryDelayMs(1, undefined, () => 1)).toBe(1000);
    expect(retryDelayMs(3, undefined, () => 1)).toBe(4000);
    expect(retryDelayMs(3, undefined, () => 0)).toBe(2000);
    expect(retryDelayMs(30, undefined, () => 1)).toBe(60_000);
  });

  it("never retries sooner than the provider's retry-after", () => {
    const error = new ReasonqError("provider_server_error", "503", { retryAfterMs: 9000 });
    expect(retryDelayMs(1, error, () => 1)).toBe(9000);
  });
});
