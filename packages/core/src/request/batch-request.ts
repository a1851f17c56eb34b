import { z } from "zod";
import { MetadataSchema, UsdAmountSchema } from "./job-request.ts";
import { MessageSchema } from "./message.ts";
import { ReasoningControlSchema, ReasoningEffortSchema } from "./reasoning-control.ts";

export const MAX_INLINE_ITEMS = 10_000;
export const MAX_VARIANTS = 50;
export const MAX_REPEATS = 20;

/** One dataset item as sent inline in a batch (an uploaded dataset has the same fields). */
export const BatchItemSchema = z
  .strictObject({
    id: z.string().min(1).max(200).optional(),
    prompt: z.string().min(1).max(200_000).optional(),
    messages: z.array(MessageSchema).min(1).max(100).optional(),
    system: z.string().max(200_000).optional(),
    expected: z.unknown().optional(),
    choices: z.array(z.string().max(10_000)).max(26).optional(),
    metadata: MetadataSchema.optional(),
  })
  .refine((item) => (item.prompt === undefined) !== (item.messages === undefined), {
    message: "give exactly one of prompt or messages",
    path: ["prompt"],
  })
  .meta({ id: "BatchItem" });
export type BatchItem = z.infer<typeof BatchItemSchema>;

/** A model and its reasoning settings: one column of the evaluation grid. */
export const VariantSchema = z
  .strictObject({
    model: z.string().min(1).max(200),
    label: z.string().min(1).max(200).optional(),
    reasoning: ReasoningControlSchema.optional(),
    reasoning_effort: ReasoningEffortSchema.optional(),
    max_output_tokens: z.number().int().min(1).max(1_000_000).optional(),
    temperature: z.number().min(0).max(2).optional(),
  })
  .meta({ id: "Variant" });
export type Variant = z.infer<typeof VariantSchema>;

/** The scorer's own fields are checked by the scorer registry (packages/eval). */
export const ScorerConfigSchema = z.looseObject({ type: z.string().min(1).max(50) }).meta({ id: "ScorerConfig" });

export const BatchRequestSchema = z
  .strictObject({
    name: z.string().min(1).max(200),
    items: z.array(BatchItemSchema).min(1).max(MAX_INLINE_ITEMS).optional(),
    dataset_id: z.string().min(1).max(64).optional(),
    variants: z.array(VariantSchema).min(1).max(MAX_VARIANTS),
    scorer: ScorerConfigSchema,
    repeats: z.number().int().min(1).max(MAX_REPEATS).default(1),
    max_cost_usd: UsdAmountSchema.optional(),
    metadata: MetadataSchema.optional(),
  })
  .refine((b) => (b.items === undefined) !== (b.dataset_id === undefined), {
    message: "give exactly one of items or dataset_id",
    path: ["items"],
  })
  .meta({ id: "BatchRequest" });
export type BatchRequest = z.input<typeof BatchRequestSchema>;
export type ParsedBatchRequest = z.output<typeof BatchRequestSchema>;
