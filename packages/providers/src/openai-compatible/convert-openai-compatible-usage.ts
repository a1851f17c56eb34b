import type { ReportedUsage } from "@reasonq/core";
import { countField, isObject, objectField } from "./openai-compatible-api-types.ts";
import type { UsageConvention } from "./openai-compatible-profiles.ts";

/**
 * An OpenAI-shaped `usage` object → reasonq's convention (SPEC §4):
 *
 * | reasonq             | from                                                                 |
 * | ------------------- | -------------------------------------------------------------------- |
 * | input_tokens        | prompt_tokens (cached and cache-write tokens are already inside it)  |
 * | cached_input_tokens | prompt_tokens_details.cached_tokens                                  |
 * | cache_write_tokens  | prompt_tokens_details.cache_write_tokens (OpenRouter)                |
 * | output_tokens       | includes_reasoning: completion_tokens                                |
 * |                     | excludes_reasoning (xAI): completion_tokens + reasoning_tokens       |
 * | reasoning_tokens    | completion_tokens_details.reasoning_tokens; undefined when absent    |
 * |                     | (vLLM, SGLang, Ollama: then estimated from the text)                 |
 *
 * `raw` is the usage object verbatim (OpenRouter's `cost`, xAI's ticks stay in it).
 * Returns undefined for anything that is not a usage object (`usage: null` chunks).
 */
export function convertOpenAICompatibleUsage(raw: unknown, convention: UsageConvention): ReportedUsage | undefined {
  if (!isObject(raw)) return undefined;
  const input = countField(raw, "prompt_tokens") ?? 0;
  const completion = countField(raw, "completion_tokens") ?? 0;
  const promptDetails = objectField(raw, "prompt_tokens_details");
  const reasoning = countField(objectField(raw, "completion_tokens_details"), "reasoning_tokens");
  const cached = Math.min(countField(promptDetails, "cached_tokens") ?? 0, input);
  const cacheWrite = Math.min(countField(promptDetails, "cache_write_tokens") ?? 0, input - cached);
  return {
    input_tokens: input,
    cached_input_tokens: cached,
    cache_write_tokens: cacheWrite,
    output_tokens: convention === "excludes_reasoning" ? completion + (reasoning ?? 0) : completion,
    reasoning_tokens: reasoning,
    raw,
  };
}
