import type { ReasonqError } from "@reasonq/core";
import {
  classifyOpenAICompatibleError,
  type MessageRule,
  OPENAI_COMPATIBLE_MESSAGE_RULES,
} from "../openai-compatible/classify-openai-compatible-error.ts";

/**
 * DeepSeek's statuses (providers.md §5.7) are classified by status first: 400/422 invalid
 * request, 401 auth, 402 insufficient balance → quota exhausted, 429 rate limited,
 * 500 server error, 503 server overloaded. The messages below refine them.
 */
export const DEEPSEEK_MESSAGE_RULES: readonly MessageRule[] = [
  // "This model's maximum context length is 131072 tokens. However, you requested …"
  {
    pattern: /maximum context length/i,
    type: "context_length_exceeded",
    from: ["provider_invalid_request", "provider_server_error"],
  },
  {
    pattern: /insufficient balance/i,
    type: "provider_quota_exhausted",
    from: ["provider_invalid_request", "provider_server_error"],
  },
  // An in-stream error or a 500 that says the servers are too busy is an overload (retried, slows the queue).
  {
    pattern: /overload|insufficient system resource|too busy/i,
    type: "provider_overloaded",
    from: ["provider_server_error"],
  },
  ...OPENAI_COMPATIBLE_MESSAGE_RULES,
];

export function classifyDeepSeekError(error: unknown): ReasonqError {
  return classifyOpenAICompatibleError(error, { provider: "deepseek", rules: DEEPSEEK_MESSAGE_RULES });
}
