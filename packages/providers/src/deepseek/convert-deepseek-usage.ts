import type { ReportedUsage } from "@reasonq/core";
import { countField, isObject, objectField } from "../openai-compatible/openai-compatible-api-types.ts";

/**
 * DeepSeek usage → reasonq's convention (providers.md §5.5):
 *
 * | reasonq             | DeepSeek                                                                  |
 * | ------------------- | ------------------------------------------------------------------------- |
 * | input_tokens        | prompt_tokens (= prompt_cache_hit_tokens + prompt_cache_miss_tokens)      |
 * | cached_input_tokens | prompt_cache_hit_tokens (else prompt_tokens_details.cached_tokens)        |
 * | cache_write_tokens  | 0 (DeepSeek's disk cache has no write charge)                             |
 * | output_tokens       | completion_tokens (reasoning included)                                    |
 * | reasoning_tokens    | completion_tokens_details.reasoning_tokens (undefined when absent)        |
 */
export function convertDeepSeekUsage(raw: unknown): ReportedUsage | undefined {
  if (!isObject(raw)) return undefined;
  const hit = countField(raw, "prompt_cache_hit_tokens");
  const miss = countField(raw, "prompt_cache_miss_tokens");
  const input = countField(raw, "prompt_tokens") ?? (hit ?? 0) + (miss ?? 0);
  const cached = hit ?? countField(objectField(raw, "prompt_tokens_details"), "cached_tokens") ?? 0;
  return {
    input_tokens: input,
    cached_input_tokens: Math.min(cached, input),
    cache_write_tokens: 0,
    output_tokens: countField(raw, "completion_tokens") ?? 0,
    reasoning_tokens: countField(objectField(raw, "completion_tokens_details"), "reasoning_tokens"),
    raw,
  };
}
