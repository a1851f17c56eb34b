import {
  LaneSchema,
  type ParsedJobRequest,
  ReasoningControlSchema,
  ReasoningEffortSchema,
  VariantSchema,
} from "@reasonq/core";
import { type DatasetItem, itemPrompt, ScorerConfigSchema } from "@reasonq/eval";
import { z } from "zod";

/** eval's `ReasoningSetting`: what a variant's label and grid id were made from. */
const ReasoningSettingSchema = z.discriminatedUnion("kind", [
  z.object({ kind: z.literal("default") }),
  z.object({ kind: z.literal("off") }),
  z.object({ kind: z.literal("effort"), effort: ReasoningEffortSchema }),
  z.object({ kind: z.literal("budget"), budget_tokens: z.number().int() }),
]);

/** A variant as a batch stores it: the canonical model id, its grid id, label and setting. */
const StoredVariantSchema = VariantSchema.extend({
  id: z.string(),
  label: z.string(),
  setting: ReasoningSettingSchema,
  reasoning: ReasoningControlSchema.nullish(),
});
export type StoredVariant = z.output<typeof StoredVariantSchema>;

/** What a batch stores about how to run and score its grid (`batches.spec`). */
export const BatchSpecSchema = z.object({
  variants: z.array(StoredVariantSchema).min(1),
  scorer: ScorerConfigSchema,
  repeats: z.number().int().min(1),
  /** Absent means `interactive`. */
  lane: LaneSchema.optional(),
});
export type BatchSpec = z.output<typeof BatchSpecSchema>;

/** A stored `batches.spec`, checked: a row that does not fit is a bug, not user input. */
export function parseBatchSpec(value: unknown, batchId: string): BatchSpec {
  const parsed = BatchSpecSchema.safeParse(value);
  if (!parsed.success) throw new Error(`batch ${batchId} has a malformed spec: ${parsed.error.message}`);
  return parsed.data;
}

type VariantControls = Pick<
  StoredVariant,
  "model" | "reasoning" | "reasoning_effort" | "max_output_tokens" | "temperature"
>;

/**
 * The job request of one grid cell: the item's messages with the variant's model and
 * controls. The one mapping from a variant to a request: batch creation checks the
 * variants through it, and fan-out builds every grid job with it.
 */
export function variantRequest(
  item: DatasetItem,
  variant: VariantControls,
  metadata: Record<string, string> = {},
): ParsedJobRequest {
  const request: ParsedJobRequest = { model: variant.model, ...itemPrompt(item), metadata };
  if (variant.reasoning !== undefined && variant.reasoning !== null) request.reasoning = variant.reasoning;
  if (variant.reasoning_effort !== undefined) request.reasoning_effort = variant.reasoning_effort;
  if (variant.max_output_tokens !== undefined) request.max_output_tokens = variant.max_output_tokens;
  if (variant.temperature !== undefined) request.temperature = variant.temperature;
  return request;
}
