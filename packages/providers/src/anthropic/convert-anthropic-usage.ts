import type { ReportedUsage } from "@reasonq/core";

/**
 * Anthropic's usage → reasonq's convention (providers.md §3.5):
 *
 * | reasonq               | Anthropic                                                                   |
 * | --------------------- | --------------------------------------------------------------------------- |
 * | input_tokens          | input_tokens + cache_read_input_tokens + cache_creation_input_tokens ¹      |
 * | cached_input_tokens   | cache_read_input_tokens                                                     |
 * | cache_write_tokens    | cache_creation_input_tokens                                                 |
 * | cache_write_1h_tokens | cache_creation.ephemeral_1h_input_tokens (priced at the 1-hour write rate)  |
 * | output_tokens         | output_tokens (already includes the full, unsummarised thinking)            |
 * | reasoning_tokens      | output_tokens_details.thinking_tokens; undefined when absent (estimated) ²  |
 *
 * ¹ Anthropic's `input_tokens` counts only the tokens after the last cache breakpoint: the
 *   cache reads and writes are reported beside it, never inside it.
 * ² The count is new in 2026 (Opus 4.8 era). Older models send no breakdown; counting the
 *   summarised thinking text would undercount, so reasonq marks the count `estimated`.
 */
export interface AnthropicUsageFields {
  input_tokens?: number | null;
  cache_creation_input_tokens?: number | null;
  cache_read_input_tokens?: number | null;
  output_tokens?: number | null;
  output_tokens_details?: { thinking_tokens?: number | null } | null;
  cache_creation?: { ephemeral_5m_input_tokens?: number | null; ephemeral_1h_input_tokens?: number | null } | null;
}

export type AnthropicUsage = AnthropicUsageFields & Record<string, unknown>;

const count = (value: unknown): number =>
  typeof value === "number" && Number.isFinite(value) && value > 0 ? Math.round(value) : 0;

export function convertAnthropicUsage(usage: AnthropicUsage): ReportedUsage {
  const cacheRead = count(usage.cache_read_input_tokens);
  const cacheWrite = count(usage.cache_creation_input_tokens);
  const thinking = usage.output_tokens_details?.thinking_tokens;
  const longWrites = Math.min(count(usage.cache_creation?.ephemeral_1h_input_tokens), cacheWrite);
  return {
    input_tokens: count(usage.input_tokens) + cacheRead + cacheWrite,
    cached_input_tokens: cacheRead,
    cache_write_tokens: cacheWrite,
    ...(longWrites > 0 ? { cache_write_1h_tokens: longWrites } : {}),
    output_tokens: count(usage.output_tokens),
    reasoning_tokens: typeof thinking === "number" ? count(thinking) : undefined,
    raw: usage,
  };
}

/**
 * `message_delta.usage` carries cumulative totals: its non-null fields replace those of
 * `message_start` (never added), exactly as the SDK's MessageStream folds them. The result
 * is the usage object a non-streaming response would have carried.
 */
export function mergeAnthropicUsage(previous: AnthropicUsage | undefined, next: AnthropicUsage): AnthropicUsage {
  const merged: AnthropicUsage = { ...previous };
  for (const [key, value] of Object.entries(next)) {
    if (value !== null && value !== undefined) merged[key] = value;
    else if (!(key in merged)) merged[key] = value;
  }
  return merged;
}
