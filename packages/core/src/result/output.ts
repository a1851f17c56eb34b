import { z } from "zod";

/** Thinking blocks are kept verbatim: unknown fields (signatures, future additions) pass through. */
export const ThinkingBlockSchema = z
  .discriminatedUnion("type", [
    z.looseObject({ type: z.literal("thinking"), thinking: z.string(), signature: z.string().optional() }),
    z.looseObject({ type: z.literal("redacted_thinking"), data: z.string() }),
  ])
  .meta({ id: "ThinkingBlock" });
export type ThinkingBlock = z.infer<typeof ThinkingBlockSchema>;

export const REASONING_KINDS = ["full", "summary", "hidden", "none"] as const;
export const ReasoningKindSchema = z.enum(REASONING_KINDS);
export type ReasoningKind = z.infer<typeof ReasoningKindSchema>;

export const FINISH_REASONS = ["stop", "length", "content_filter", "error", "cancelled"] as const;
export const FinishReasonSchema = z.enum(FINISH_REASONS);
export type FinishReason = z.infer<typeof FinishReasonSchema>;

export const OUTPUT_SCHEMA_VERSION = 1;

export const OutputSchema = z
  .object({
    schema_version: z.literal(OUTPUT_SCHEMA_VERSION),
    answer: z.string(),
    reasoning: z.string(),
    reasoning_kind: ReasoningKindSchema,
    thinking_blocks: z.array(ThinkingBlockSchema),
    finish_reason: FinishReasonSchema,
    /** The provider's own finish value, verbatim (`end_turn`, `MAX_TOKENS`, …). */
    provider_finish_reason: z.string().nullable(),
    provider_response_id: z.string().nullable(),
    /** Provider data we do not interpret (raw usage, …), verbatim. */
    provider_metadata: z.record(z.string(), z.unknown()),
  })
  .meta({ id: "Output" });
export type Output = z.infer<typeof OutputSchema>;
