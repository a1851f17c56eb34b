/**
 * OpenAI's finish values → reasonq's. `raw` keeps the provider's own value.
 *
 * Chat Completions `finish_reason` (providers.md §1.2):
 * | OpenAI                     | reasonq        |
 * | -------------------------- | -------------- |
 * | stop                       | stop           |
 * | length                     | length         |
 * | content_filter             | content_filter |
 * | tool_calls, function_call  | tool_calls (the model called a tool)                   |
 * | anything else / missing    | error          |
 *
 * Responses `status` + `incomplete_details.reason` (providers.md §2.2):
 * | OpenAI                                   | reasonq        | raw                 |
 * | ---------------------------------------- | -------------- | ------------------- |
 * | completed                                | stop           | completed           |
 * | incomplete, max_output_tokens            | length         | max_output_tokens   |
 * | incomplete, content_filter               | content_filter | content_filter      |
 * | incomplete, max_messages / steered / ?   | length         | that reason         |
 * | failed, cancelled, anything else         | error          | the status          |
 */
import type { FinishReason } from "@reasonq/core";

export function mapChatFinishReason(raw: string | null | undefined): FinishReason {
  switch (raw) {
    case "stop":
      return "stop";
    case "tool_calls":
    case "function_call":
      return "tool_calls";
    case "length":
      return "length";
    case "content_filter":
      return "content_filter";
    default:
      return "error";
  }
}

export function mapResponsesFinish(
  status: string | undefined,
  incompleteReason: string | undefined,
): { reason: FinishReason; raw: string | null } {
  if (status === "completed") return { reason: "stop", raw: "completed" };
  if (status === "incomplete") {
    const raw = incompleteReason ?? "incomplete";
    return { reason: raw === "content_filter" ? "content_filter" : "length", raw };
  }
  return { reason: "error", raw: status ?? null };
}
