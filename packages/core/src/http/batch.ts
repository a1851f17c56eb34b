import { z } from "zod";
import { LaneSchema } from "../request/job-request.ts";
import { JobStatusSchema } from "../status/job-status.ts";
import { WebhookDeliverySchema } from "../webhooks/webhook-delivery.ts";

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
    lane: LaneSchema,
    /** provider_batch lane: what its jobs cost, what they would have cost interactively, the difference. */
    provider_batch_saving: z
      .object({ spent_usd: z.string(), interactive_usd: z.string(), saved_usd: z.string() })
      .nullable()
      .optional(),
    variants: z.array(BatchVariantSchema).optional(),
    /** POSTed once when the batch ends; null when none was given. */
    webhook_url: z.string().nullable(),
    /** The webhook_url's delivery (`GET /v1/batches/:id`); null until the batch ends. */
    webhook: WebhookDeliverySchema.nullable().optional(),
  })
  .meta({ id: "Batch" });
export type Batch = z.infer<typeof BatchSchema>;
export type BatchVariant = z.infer<typeof BatchVariantSchema>;

/** One line of `GET /v1/batches/:id/results` (JSONL), or one CSV row with these columns in this order. */
export const BatchResultLineSchema = z.object({
  item_id: z.string(),
  variant_id: z.string(),
  variant_label: z.string(),
  repeat: z.number().int(),
  job_id: z.string(),
  status: JobStatusSchema,
  correct: z.boolean().nullable(),
  score: z.number().nullable(),
  extracted: z.string().nullable(),
  answer: z.string().nullable(),
  input_tokens: z.number().int().nullable(),
  output_tokens: z.number().int().nullable(),
  reasoning_tokens: z.number().int().nullable(),
  cost: z.string().nullable(),
  latency_ms: z.number().int().nullable(),
  error_type: z.string().nullable(),
  incomplete_reason: z.string().nullable(),
});
export type BatchResultLine = z.infer<typeof BatchResultLineSchema>;
