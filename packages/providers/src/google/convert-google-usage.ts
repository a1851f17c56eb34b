import type { ReportedUsage } from "@reasonq/core";
import type { GeminiUsageMetadata } from "./google-api-types.ts";

/**
 * Gemini `usageMetadata` → reasonq's convention (shared/providers.md §4.5):
 *
 * | reasonq               | Gemini                                                   |
 * | --------------------- | -------------------------------------------------------- |
 * | input_tokens          | promptTokenCount + toolUsePromptTokenCount               |
 * | cached_input_tokens   | cachedContentTokenCount (already inside promptTokenCount) |
 * | cache_write_tokens    | 0 (implicit caching has no write charge)                 |
 * | output_tokens         | candidatesTokenCount + thoughtsTokenCount                |
 * | reasoning_tokens      | thoughtsTokenCount (0 when absent: the model did not think) |
 *
 * `candidatesTokenCount` EXCLUDES the thoughts, so they are added — pricing only the
 * candidates left Gemini's thinking unbilled in langfuse#12531. Chunks carry running
 * totals: the last one is authoritative, nothing is summed across chunks.
 */
export function convertGoogleUsage(usage: GeminiUsageMetadata): ReportedUsage {
  const thoughts = count(usage.thoughtsTokenCount);
  return {
    input_tokens: count(usage.promptTokenCount) + count(usage.toolUsePromptTokenCount),
    cached_input_tokens: count(usage.cachedContentTokenCount),
    cache_write_tokens: 0,
    output_tokens: count(usage.candidatesTokenCount) + thoughts,
    reasoning_tokens: thoughts,
    raw: usage,
  };
}

function count(value: number | undefined): number {
  return typeof value === "number" && Number.isFinite(value) && value > 0 ? Math.floor(value) : 0;
}
