import type { ServerResponse } from "node:http";
import { sendJson } from "../http.ts";

/** OpenAI's error body: `{"error":{"message","type","param","code"}}` (providers.md §7.1). */
export interface OpenAIErrorBody {
  message: string;
  type: string;
  param: string | null;
  code: string | null;
}

export interface MockFailure {
  status: number;
  error: OpenAIErrorBody;
  headers?: Record<string, string>;
}

export function failure(
  status: number,
  message: string,
  extra: { type?: string; param?: string | null; code?: string | null } = {},
): MockFailure {
  return {
    status,
    error: {
      message,
      type: extra.type ?? "invalid_request_error",
      param: extra.param ?? null,
      code: extra.code ?? null,
    },
  };
}

export function sendFailure(response: ServerResponse, fail: MockFailure, headers: Record<string, string> = {}) {
  sendJson(response, fail.status, { error: fail.error }, { ...headers, ...fail.headers });
}

/** The overload text OpenAI sends as an HTTP 503 body and inside a 200 stream. */
export const OVERLOADED: OpenAIErrorBody = {
  message: "Our servers are currently overloaded. Please try again later.",
  type: "service_unavailable_error",
  param: null,
  code: "server_is_overloaded",
};

/** Rate-limit headers OpenAI sends on every response (providers.md §7.1). */
export function rateLimitHeaders(exhausted = false): Record<string, string> {
  return {
    "x-ratelimit-limit-requests": "10000",
    "x-ratelimit-limit-tokens": "2000000",
    "x-ratelimit-remaining-requests": exhausted ? "0" : "9999",
    "x-ratelimit-remaining-tokens": exhausted ? "0" : "1998000",
    "x-ratelimit-reset-requests": exhausted ? "120ms" : "6ms",
    "x-ratelimit-reset-tokens": exhausted ? "1.574s" : "60ms",
  };
}

/**
 * The error a `[mock:status=N]` marker asks for, in OpenAI's own words where a recorded
 * message exists (429 from providers.md §7.1, 500 / 503 / 401 / 404 as the API words them).
 */
export function faultFailure(status: number, model: string, retryAfterSeconds: number | undefined): MockFailure {
  const fail = faultBody(status, model);
  const headers: Record<string, string> = {};
  if (status === 429) Object.assign(headers, rateLimitHeaders(true));
  if (retryAfterSeconds !== undefined) headers["retry-after"] = String(retryAfterSeconds);
  return { ...fail, headers };
}

function faultBody(status: number, model: string): MockFailure {
  switch (status) {
    case 400:
      return failure(400, "Invalid prompt: the request was rejected by the mock ([mock:status=400]).", {
        code: "invalid_prompt",
      });
    case 401:
      return failure(
        401,
        "Incorrect API key provided: sk-mock-************0000. You can find your API key at https://platform.openai.com/account/api-keys.",
        { code: "invalid_api_key" },
      );
    case 403:
      return failure(403, `Project \`proj_mock\` does not have access to model \`${model}\``, {
        code: "model_not_found",
      });
    case 404:
      return failure(404, `The model \`${model}\` does not exist or you do not have access to it.`, {
        code: "model_not_found",
      });
    case 429:
      return failure(
        429,
        `Rate limit reached for ${model} in organization org-mock on tokens per min (TPM): Limit 200000, Used 162960, Requested 42288. Please try again in 1.574s. Visit https://platform.openai.com/account/rate-limits to learn more.`,
        { type: "tokens", code: "rate_limit_exceeded" },
      );
    case 500:
      return failure(500, "The server had an error while processing your request. Sorry about that!", {
        type: "server_error",
      });
    case 503:
    case 529:
      return { status, error: OVERLOADED };
    default:
      return failure(status, `The mock answered ${status} ([mock:status=${status}]).`, {
        type: status >= 500 ? "server_error" : "invalid_request_error",
      });
  }
}
