import type { FinishReason } from "@reasonq/core";

/**
 * `finish_reason` of OpenAI-compatible endpoints → reasonq's finish reason. Tool calls end
 * a turn normally (`stop`); OpenRouter's `error` and vLLM's `abort` are failures. A value
 * not in the table is taken as a normal stop (the raw value is kept on the job).
 *
 * | provider value                      | reasonq        |
 * | ----------------------------------- | -------------- |
 * | stop, eos, end_turn                 | stop           |
 * | tool_calls, function_call           | tool_calls     |
 * | length, max_tokens                  | length         |
 * | content_filter                      | content_filter |
 * | error, abort                        | error          |
 */
const FINISH_REASONS: Readonly<Record<string, FinishReason>> = {
  stop: "stop",
  eos: "stop",
  end_turn: "stop",
  tool_calls: "tool_calls",
  function_call: "tool_calls",
  length: "length",
  max_tokens: "length",
  content_filter: "content_filter",
  error: "error",
  abort: "error",
};

export function mapOpenAICompatibleFinishReason(raw: string): FinishReason {
  return FINISH_REASONS[raw] ?? "stop";
}
