import { checkDestination } from "./destination.ts";
import { type SignedHeaders, signWebhook } from "./sign.ts";

export interface WebhookSettings {
  secret: string;
  allowPrivate: boolean;
  timeoutMs: number;
}

export interface DeliveryResult {
  ok: boolean;
  /** The receiver's HTTP status; null when no answer came (refused, timed out, unreachable). */
  statusCode: number | null;
  error: string | null;
  durationMs: number;
}

/**
 * One signed POST of `body` to `url`. Only a 2xx counts as delivered. Redirects are not
 * followed (they could lead to an address the destination check refuses), and the
 * destination is checked again right before sending.
 */
export async function deliverWebhook(
  settings: WebhookSettings,
  delivery: { id: string; url: string; body: string; at?: Date },
): Promise<DeliveryResult> {
  const started = Date.now();
  const done = (statusCode: number | null, error: string | null): DeliveryResult => ({
    ok: statusCode !== null && statusCode >= 200 && statusCode < 300,
    statusCode,
    error,
    durationMs: Date.now() - started,
  });
  const destination = await checkDestination(delivery.url, { allowPrivate: settings.allowPrivate });
  if (!destination.ok) return done(null, `webhook_url ${destination.reason}`);
  const signed: SignedHeaders = signWebhook(settings.secret, delivery.id, delivery.at ?? new Date(), delivery.body);
  try {
    const response = await fetch(delivery.url, {
      method: "POST",
      headers: { "content-type": "application/json", "user-agent": "reasonq-webhooks", ...signed },
      body: delivery.body,
      redirect: "manual",
      signal: AbortSignal.timeout(settings.timeoutMs),
    });
    await response.body?.cancel();
    return done(response.status, response.ok ? null : `the receiver answered ${response.status}`);
  } catch (error) {
    const cause = (error as { cause?: { code?: string } }).cause?.code;
    return done(null, `no answer: ${cause ?? (error as Error).message}`);
  }
}
