import { z } from "zod";
import { LaneSchema, MetadataSchema, UsdAmountSchema, WebhookUrlSchema } from "./job-request.ts";
import { ReasoningControlSchema, ReasoningEffortSchema } from "./reasoning-control.ts";

export const MAX_INLINE_ITEMS = 10_000;
export const MAX_VARIANTS = 50;
export const MAX_REPEATS = 20;

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
    /** Dataset items, inline; each is checked by the dataset item rules of packages/eval. */
    items: z.array(z.unknown()).min(1).max(MAX_INLINE_ITEMS).optional(),
    dataset_id: z.string().min(1).max(64).optional(),
    variants: z.array(VariantSchema).min(1).max(MAX_VARIANTS),
    scorer: ScorerConfigSchema,
    repeats: z.number().int().min(1).max(MAX_REPEATS).default(1),
    max_cost_usd: UsdAmountSchema.optional(),
    metadata: MetadataSchema.optional(),
    /** `provider_batch`: every job goes through its provider's batch API, at the batch price. */
    lane: LaneSchema.optional(),
    /** POSTed once when the batch ends (every job in, or cancelled), signed like a job's. */
    webhook_url: WebhookUrlSchema.optional(),
  })
  .refine((b) => (b.items === undefined) !== (b.dataset_id === undefined), {
    message: "give exactly one of items or dataset_id",
    path: ["items"],
  })
  .meta({ id: "BatchRequest" });
export type BatchRequest = z.input<typeof BatchRequestSchema>;
export type ParsedBatchRequest = z.output<typeof BatchRequestSchema>;
