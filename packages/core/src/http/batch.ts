import { z } from "zod";

/** `GET /v1/batches/:id` and the batch list: progress, money and (on one batch) the variant table. */
const Quantiles = z.object({ mean: z.number().nullable(), p50: z.number().nullable(), p95: z.number().nullable() });

export const BatchVariantSchema = z.object({
  index: z.number().int(),
  id: z.string(),
  label: z.string(),
  model: z.string(),
  reasoning: z.record(z.string(), z.unknown()).nullable(),
  n: z.number().int(),
  correct: z.number().int(),
  accuracy: z.number().nullable(),
  accuracy_ci95: z.object({ low: z.number(), high: z.number() }).nullable(),
  reasoning_tokens: Quantiles,
  total_cost: z.string(),
  cost_per_correct: z.string().nullable(),
  latency_ms: z.object({ p50: z.number().nullable(), p95: z.number().nullable() }),
  outcomes: z.object({
    succeeded: z.number().int(),
    incomplete: z.number().int(),
    failed: z.number().int(),
    cancelled: z.number().int(),
    truncated_by_reasoning: z.number().int(),
    refused: z.number().int(),
  }),
  failures: z.record(z.string(), z.number().int()),
});

export const BatchSchema = z
  .object({
    id: z.string(),
    object: z.literal("batch"),
    name: z.string(),
    status: z.enum(["running", "completed", "cancelled", "budget_exhausted"]),
    stop_reason: z.string().nullable(),
    dataset_id: z.string(),
    scorer: z.record(z.string(), z.unknown()),
    repeats: z.number().int(),
    created_at: z.string(),
    completed_at: z.string().nullable(),
    progress: z.object({
      total_jobs: z.number().int(),
      created_jobs: z.number().int(),
      finished_jobs: z.number().int(),
      jobs_by_status: z.record(z.string(), z.number().int()),
    }),
    max_cost_usd: z.string().nullable(),
    spent_usd: z.string(),
    metadata: z.record(z.string(), z.string()),
    variants: z.array(BatchVariantSchema).optional(),
  })
  .meta({ id: "Batch" });
export type Batch = z.infer<typeof BatchSchema>;
export type BatchVariant = z.infer<typeof BatchVariantSchema>;
