import { z } from "zod";

export const UsageRowSchema = z.object({
  group: z.string(),
  input_tokens: z.number().int(),
  cached_input_tokens: z.number().int(),
  cache_write_tokens: z.number().int(),
  output_tokens: z.number().int(),
  reasoning_tokens: z.number().int(),
  cost: z.string(),
  jobs: z.number().int(),
  attempts: z.number().int(),
});

export const USAGE_GROUPS = ["model", "provider", "day", "key"] as const;

/** `GET /v1/usage`'s query: `from` defaults to 30 days ago, `to` to now. */
export const UsageQuerySchema = z.strictObject({
  from: z.iso.datetime({ offset: true }).or(z.iso.date()).optional(),
  to: z.iso.datetime({ offset: true }).or(z.iso.date()).optional(),
  group_by: z.enum(USAGE_GROUPS).default("model"),
});
export type UsageQuery = z.input<typeof UsageQuerySchema>;

/** `GET /v1/usage`: tokens and exact cost from the usage ledger, grouped, with the total. */
export const UsageReportSchema = z.object({
  object: z.literal("usage"),
  from: z.string(),
  to: z.string(),
  group_by: z.string(),
  data: z.array(UsageRowSchema),
  total: UsageRowSchema.omit({ group: true }),
});
export type UsageReport = z.infer<typeof UsageReportSchema>;
