import type { FinishReason } from "@reasonq/core";

/** DeepSeek cut the generation for lack of server resources; the adapter fails the attempt as overloaded. */
export const INSUFFICIENT_SYSTEM_RESOURCE = "insufficient_system_resource";

/**
 * DeepSeek `finish_reason` → reasonq. Unknown values count as a normal stop (the raw
 * value is kept on the job).
 *
 * | DeepSeek                       | reasonq        |
 * | ------------------------------ | -------------- |
 * | stop                           | stop           |
 * | tool_calls                     | tool_calls     |
 * | length                         | length         |
 * | content_filter                 | content_filter |
 * | insufficient_system_resource   | error          |
 */
const FINISH_REASONS: Readonly<Record<string, FinishReason>> = {
  stop: "stop",
  tool_calls: "tool_calls",
  length: "length",
  content_filter: "content_filter",
  [INSUFFICIENT_SYSTEM_RESOURCE]: "error",
};

export function mapDeepSeekFinishReason(raw: string): FinishReason {
  return FINISH_REASONS[raw] ?? "stop";
}
