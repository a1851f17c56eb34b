import { z } from "zod";
import { ToolCallSchema } from "../request/tools.ts";

/** The provider family a block came from; it goes back to that provider only. */
const provider = z.string().max(64).optional();

/**
 * Thinking blocks are kept verbatim: unknown fields (signatures, future additions) pass
 * through. Each names its `provider` (reasonq adds it; it is never sent to the provider):
 * - `thinking` / `redacted_thinking`: Anthropic's blocks as sent, signature included; Gemini
 *   thought signatures use `thinking` too, with `tool_call_id` when the signature sat on a
 *   function-call part; OpenRouter's `reasoning_details` items ride in `detail`.
 * - `reasoning`: an OpenAI Responses reasoning item as sent (`id`, `summary`,
 *   `encrypted_content`).
 */
export const ThinkingBlockSchema = z
  .discriminatedUnion("type", [
    z.looseObject({ type: z.literal("thinking"), thinking: z.string(), signature: z.string().optional(), provider }),
    z.looseObject({ type: z.literal("redacted_thinking"), data: z.string(), provider }),
    z.looseObject({ type: z.literal("reasoning"), id: z.string(), provider }),
  ])
  .meta({ id: "ThinkingBlock" });
export type ThinkingBlock = z.infer<typeof ThinkingBlockSchema>;

export const REASONING_KINDS = ["full", "summary", "hidden", "none"] as const;
export const ReasoningKindSchema = z.enum(REASONING_KINDS);
export type ReasoningKind = z.infer<typeof ReasoningKindSchema>;

export const FINISH_REASONS = ["stop", "length", "tool_calls", "content_filter", "error", "cancelled"] as const;
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
    /** The tools the model called (finish_reason `tool_calls`); absent on outputs stored before tools existed. */
    tool_calls: z.array(ToolCallSchema).optional(),
    finish_reason: FinishReasonSchema,
    /** The provider's own finish value, verbatim (`end_turn`, `MAX_TOKENS`, …). */
    provider_finish_reason: z.string().nullable(),
    provider_response_id: z.string().nullable(),
    /** Provider data we do not interpret (raw usage, …), verbatim. */
    provider_metadata: z.record(z.string(), z.unknown()),
  })
  .meta({ id: "Output" });
export type Output = z.infer<typeof OutputSchema>;
