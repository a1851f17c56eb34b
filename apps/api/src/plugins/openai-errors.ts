import type { ErrorType } from "@reasonq/core";

declare module "fastify" {
  interface FastifyContextConfig {
    /**
     * The route speaks an OpenAI API: its errors take OpenAI's body shape
     * (`{error: {message, type, param, code}}`) instead of reasonq's.
     */
    openaiErrors?: boolean;
  }
}

export interface OpenAIErrorBody {
  error: { message: string; type: string; param: string | null; code: string };
}

/** `error.type` by HTTP status, the way OpenAI's SDKs and clients read it. */
function openaiType(status: number): string {
  if (status === 401) return "authentication_error";
  if (status === 402) return "insufficient_quota";
  if (status === 403) return "permission_error";
  if (status === 404) return "not_found_error";
  if (status === 429) return "rate_limit_error";
  if (status >= 500) return "server_error";
  return "invalid_request_error";
}

/**
 * reasonq's error as OpenAI answers it: `code` is reasonq's stable type (so a client can
 * tell `provider_invalid_request` from `invalid_request`), `param` the field. An unknown
 * model is OpenAI's `404 model_not_found`, which the SDK raises as `NotFoundError`. An
 * Idempotency-Key reused with another body is a 409 that no retry can fix, so it carries
 * `x-should-retry: false`, which the official SDKs obey (they retry every other 409).
 */
export function toOpenAIError(
  status: number,
  type: ErrorType,
  message: string,
  field: string | undefined,
): { status: number; body: OpenAIErrorBody; headers: Record<string, string> } {
  const unknownModel = type === "unknown_model";
  const answer = unknownModel ? 404 : status;
  return {
    status: answer,
    headers: type === "conflict" ? { "x-should-retry": "false" } : {},
    body: {
      error: {
        message,
        type: openaiType(answer),
        param: field === undefined || field === "" ? null : field,
        code: unknownModel ? "model_not_found" : type,
      },
    },
  };
}
