import { z } from "zod";

/** One POST to a webhook_url: what the receiver answered, or why no answer came. */
export const WebhookAttemptSchema = z
  .object({
    attempt: z.number().int(),
    at: z.string(),
    status_code: z.number().int().nullable(),
    error: z.string().nullable(),
    duration_ms: z.number().int(),
  })
  .meta({ id: "WebhookAttempt" });
export type WebhookAttempt = z.infer<typeof WebhookAttemptSchema>;

/**
 * The webhook of a finished job (`?include=webhook`): `pending` until a receiver answers
 * 2xx (`delivered`) or every attempt is spent (`failed`). `id` is the `webhook-id` header.
 */
export const WebhookDeliverySchema = z
  .object({
    id: z.string(),
    url: z.string(),
    event: z.string(),
    status: z.enum(["pending", "delivered", "failed"]),
    attempts: z.array(WebhookAttemptSchema),
  })
  .meta({ id: "WebhookDelivery" });
export type WebhookDelivery = z.infer<typeof WebhookDeliverySchema>;
