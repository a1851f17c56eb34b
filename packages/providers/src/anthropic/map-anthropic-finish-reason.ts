import type { FinishReason } from "@reasonq/core";

/**
 * Anthropic `stop_reason` (SDK 1.12 `StopReason`) → reasonq's finish reason:
 *
 * | stop_reason                    | finish         | why                                                   |
 * | ------------------------------ | -------------- | ----------------------------------------------------- |
 * | end_turn                       | stop           |                                                       |
 * | stop_sequence                  | stop           | one of `stop` was met                                 |
 * | tool_use                       | tool_calls     | the model called a tool                               |
 * | max_tokens                     | length         | the job becomes `incomplete` when the answer is empty |
 * | model_context_window_exceeded  | length         | output stopped at the context window                  |
 * | pause_turn                     | length         | the turn stopped unfinished (server tools)            |
 * | refusal                        | content_filter | Claude declined (streaming classifiers)               |
 * | null (stream never said)       | error          |                                                       |
 * | anything newer                 | stop           | raw value kept on the job                             |
 */
const FINISH: Readonly<Record<string, FinishReason>> = {
  end_turn: "stop",
  stop_sequence: "stop",
  tool_use: "tool_calls",
  max_tokens: "length",
  model_context_window_exceeded: "length",
  pause_turn: "length",
  refusal: "content_filter",
};

export function mapAnthropicFinishReason(stopReason: string | null | undefined): FinishReason {
  if (stopReason === null || stopReason === undefined) return "error";
  return FINISH[stopReason] ?? "stop";
}
