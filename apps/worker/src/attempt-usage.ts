import { estimateTokens, type JobSpec, type Usage } from "@reasonq/core";
import type { AssembledResult } from "@reasonq/providers";

/**
 * What an attempt consumed. The provider's report when it sent one; for an attempt cut
 * short before the report (dropped stream, cancel), an estimate from what arrived, since
 * the provider bills those tokens too. Nothing arrived → nothing consumed.
 */
export function attemptUsage(result: AssembledResult, spec: JobSpec, reasoningText: string): Usage | null {
  if (result.usage !== null) return result.usage;
  const reasoning = estimateTokens(reasoningText);
  const answer = estimateTokens(result.output.answer);
  if (reasoning + answer === 0) return null;
  return {
    input_tokens: estimateTokens(spec.messages.map((m) => m.content).join("\n")),
    cached_input_tokens: 0,
    cache_write_tokens: 0,
    output_tokens: reasoning + answer,
    reasoning_tokens: reasoning,
    answer_tokens: answer,
    reasoning_tokens_source: "estimated",
  };
}
