import { z } from "zod";

/**
 * Token usage with one meaning for every provider. Adapters convert their provider's
 * convention into this; nothing downstream reinterprets it.
 *
 * - `input_tokens` counts every prompt token. `cached_input_tokens` (read from the
 *   provider's cache) and `cache_write_tokens` (written to it) are parts of it, never
 *   added on top.
 * - `output_tokens` is all billable output, reasoning included.
 *   `reasoning_tokens + answer_tokens = output_tokens`, always: reasoning is a breakdown
 *   of output, never added again.
 * - `reasoning_tokens_source` is `provider` when the provider reported the count and
 *   `estimated` when it was counted from the reasoning text (billing never uses the
 *   estimate for the total: the provider's `output_tokens` is billed).
 */
export const UsageSchema = z
  .object({
    input_tokens: z.number().int().nonnegative(),
    cached_input_tokens: z.number().int().nonnegative(),
    cache_write_tokens: z.number().int().nonnegative(),
    /** The part of `cache_write_tokens` written with a 1-hour lifetime (Anthropic), priced at its own rate. */
    cache_write_1h_tokens: z.number().int().nonnegative().optional(),
    output_tokens: z.number().int().nonnegative(),
    reasoning_tokens: z.number().int().nonnegative(),
    answer_tokens: z.number().int().nonnegative(),
    reasoning_tokens_source: z.enum(["provider", "estimated"]),
  })
  .meta({ id: "Usage" });
export type Usage = z.infer<typeof UsageSchema>;

export const ZERO_USAGE: Usage = {
  input_tokens: 0,
  cached_input_tokens: 0,
  cache_write_tokens: 0,
  output_tokens: 0,
  reasoning_tokens: 0,
  answer_tokens: 0,
  reasoning_tokens_source: "provider",
};

/** Usage as an adapter reports it, already in reasonq's convention. */
export interface ReportedUsage {
  input_tokens: number;
  cached_input_tokens: number;
  cache_write_tokens: number;
  /** The part of `cache_write_tokens` written with a 1-hour lifetime, where the provider splits them. */
  cache_write_1h_tokens?: number;
  output_tokens: number;
  /** Undefined when the provider gives no reasoning count (it is then estimated). */
  reasoning_tokens: number | undefined;
  /** The provider's usage object, verbatim. */
  raw: unknown;
}

/** Crude but stable: about four characters per token, as the providers' docs estimate. */
export function estimateTokens(text: string): number {
  return text.length === 0 ? 0 : Math.max(1, Math.round(text.length / 4));
}

/**
 * Completes a reported usage into the invariant form. Without a provider count, the answer
 * is what is estimated (it arrived whole, as text, tool calls included) and the reasoning is
 * the rest of the billed output: the visible reasoning is often a summary (Claude 4+) or
 * nothing at all (omitted), so counting its text would book hidden thinking as answer.
 *
 * @param reasoned whether the model reasoned at all (text or blocks arrived); without
 *   reasoning the whole output is answer.
 */
export function finalizeUsage(
  reported: ReportedUsage,
  reasoningText: string,
  answerText = "",
  reasoned = reasoningText !== "",
): Usage {
  const provided = reported.reasoning_tokens !== undefined;
  const estimatedAnswer = Math.min(estimateTokens(answerText), reported.output_tokens);
  const raw = provided
    ? (reported.reasoning_tokens as number)
    : reasoned
      ? reported.output_tokens - estimatedAnswer
      : 0;
  const reasoning = Math.min(raw, reported.output_tokens);
  return {
    input_tokens: reported.input_tokens,
    cached_input_tokens: reported.cached_input_tokens,
    cache_write_tokens: reported.cache_write_tokens,
    ...(reported.cache_write_1h_tokens ? { cache_write_1h_tokens: reported.cache_write_1h_tokens } : {}),
    output_tokens: reported.output_tokens,
    reasoning_tokens: reasoning,
    answer_tokens: reported.output_tokens - reasoning,
    reasoning_tokens_source: provided ? "provider" : "estimated",
  };
}

export function addUsage(a: Usage, b: Usage): Usage {
  const longWrites = (a.cache_write_1h_tokens ?? 0) + (b.cache_write_1h_tokens ?? 0);
  return {
    input_tokens: a.input_tokens + b.input_tokens,
    cached_input_tokens: a.cached_input_tokens + b.cached_input_tokens,
    cache_write_tokens: a.cache_write_tokens + b.cache_write_tokens,
    ...(longWrites > 0 ? { cache_write_1h_tokens: longWrites } : {}),
    output_tokens: a.output_tokens + b.output_tokens,
    reasoning_tokens: a.reasoning_tokens + b.reasoning_tokens,
    answer_tokens: a.answer_tokens + b.answer_tokens,
    reasoning_tokens_source:
      a.reasoning_tokens_source === "estimated" || b.reasoning_tokens_source === "estimated" ? "estimated" : "provider",
  };
}
