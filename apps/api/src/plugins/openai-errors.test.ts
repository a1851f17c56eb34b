import OpenAI from "openai";
import { describe, expect, it } from "vitest";
import { toOpenAIError } from "./openai-errors.ts";

/** What the official SDK makes of each answer: its error class, `code`, `param` and `type`. */
function asSdkError(status: number, type: Parameters<typeof toOpenAIError>[1], field?: string) {
  const answer = toOpenAIError(status, type, "what went wrong", field);
  return OpenAI.APIError.generate(answer.status, answer.body, undefined, new Headers(answer.headers));
}

describe("reasonq errors in OpenAI's shape", () => {
  it.each([
    [400, "invalid_request", "temperature", OpenAI.BadRequestError, "invalid_request_error"],
    [400, "unsupported_parameter", "logprobs", OpenAI.BadRequestError, "invalid_request_error"],
    [401, "authentication_error", "authorization", OpenAI.AuthenticationError, "authentication_error"],
    [403, "provider_auth", undefined, OpenAI.PermissionDeniedError, "permission_error"],
    [404, "not_found", "id", OpenAI.NotFoundError, "not_found_error"],
    [409, "conflict", "idempotency-key", OpenAI.ConflictError, "invalid_request_error"],
    [422, "content_filtered", undefined, OpenAI.UnprocessableEntityError, "invalid_request_error"],
    [429, "rate_limited", undefined, OpenAI.RateLimitError, "rate_limit_error"],
    [502, "provider_server_error", undefined, OpenAI.InternalServerError, "server_error"],
  ] as const)("%i %s → %s", (status, type, field, errorClass, openaiType) => {
    const error = asSdkError(status, type, field);
    expect(error).toBeInstanceOf(errorClass);
    expect(error).toMatchObject({ status, code: type, param: field ?? null, type: openaiType });
    expect(error.message).toContain("what went wrong");
  });

  it("answers an unknown model as OpenAI does: 404 model_not_found", () => {
    const error = asSdkError(400, "unknown_model", "model");
    expect(error).toBeInstanceOf(OpenAI.NotFoundError);
    expect(error).toMatchObject({ status: 404, code: "model_not_found", param: "model" });
  });

  it("tells the SDK not to retry a reused Idempotency-Key, and leaves other retries to it", () => {
    expect(toOpenAIError(409, "conflict", "x", "idempotency-key").headers).toEqual({ "x-should-retry": "false" });
    expect(toOpenAIError(429, "rate_limited", "x", undefined).headers).toEqual({});
  });
});
