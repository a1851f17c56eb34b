import { z } from "zod";
import { JobErrorSchema } from "./errors/reasonq-error.ts";
import { CostSchema } from "./result/cost.ts";
import { OutputSchema } from "./result/output.ts";
import { UsageSchema } from "./result/usage.ts";
import { WarningSchema } from "./result/warning.ts";
import { JobStatusSchema } from "./status/job-status.ts";
import { WebhookDeliverySchema } from "./webhooks/webhook-delivery.ts";

export const IncompleteReasonSchema = z.enum(["max_output_tokens", "content_filter"]);
export type IncompleteReason = z.infer<typeof IncompleteReasonSchema>;

export const AttemptSchema = z
  .object({
    attempt: z.number().int(),
    started_at: z.string(),
    ended_at: z.string().nullable(),
    outcome: z.enum(["running", "succeeded", "incomplete", "failed", "retried", "cancelled", "lost"]),
    error: JobErrorSchema.nullable(),
    usage: UsageSchema.nullable(),
    cost_total: z.string().nullable(),
  })
  .meta({ id: "Attempt" });
export type Attempt = z.infer<typeof AttemptSchema>;

/** A job as the API returns it. */
export const JobSchema = z
  .object({
    id: z.string(),
    object: z.literal("job"),
    status: JobStatusSchema,
    model: z.string(),
    provider: z.string(),
    source: z.enum(["api", "logged"]),
    created_at: z.string(),
    started_at: z.string().nullable(),
    first_token_at: z.string().nullable(),
    completed_at: z.string().nullable(),
    attempts: z.number().int(),
    resolved_params: z.record(z.string(), z.unknown()).nullable(),
    batch_id: z.string().nullable(),
    /** The provider batch running the job, in the provider_batch lane (`pb_…`). */
    provider_batch_id: z.string().nullable(),
    metadata: z.record(z.string(), z.string()),
    output: OutputSchema.nullable(),
    usage: UsageSchema.nullable(),
    cost: CostSchema.nullable(),
    incomplete_reason: IncompleteReasonSchema.nullable(),
    warnings: z.array(WarningSchema),
    error: JobErrorSchema.nullable(),
    attempt_list: z.array(AttemptSchema).optional(),
    /** Standard fields an OpenAI-compatible client sent that do not change the answer, as sent. */
    client_params: z.record(z.string(), z.unknown()).optional(),
    /** The conversation sent (`?include=messages`), as stored: role plus content text or parts. */
    messages: z.array(z.looseObject({ role: z.string() })).optional(),
    /** The webhook_url's delivery (`?include=webhook`); null when the job has no webhook or has not ended. */
    webhook: WebhookDeliverySchema.nullable().optional(),
  })
  .meta({ id: "Job" });
export type Job = z.infer<typeof JobSchema>;

/** Every list endpoint answers in this shape. */
export function listSchema<T extends z.ZodType>(item: T) {
  return z.object({
    object: z.literal("list"),
    data: z.array(item),
    has_more: z.boolean(),
    next_cursor: z.string().nullable(),
  });
}
