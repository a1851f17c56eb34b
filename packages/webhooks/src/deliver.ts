import { request as httpRequest } from "node:http";
import { request as httpsRequest } from "node:https";
import { pinDestination, pinnedLookup, type Resolve } from "./destination.ts";
import { type SignedHeaders, signWebhook } from "./sign.ts";

export interface WebhookSettings {
  secret: string;
  allowPrivate: boolean;
  timeoutMs: number;
  /** How a host name is resolved (tests answer without DNS); the system resolver otherwise. */
  resolve?: Resolve;
}

export interface DeliveryResult {
  ok: boolean;
  /** The receiver's HTTP status; null when no answer came (refused, timed out, unreachable). */
  statusCode: number | null;
  error: string | null;
  /** Trying again cannot help: the destination is refused (a blocked address, a malformed URL). */
  final: boolean;
  durationMs: number;
}

/** One POST over a connection whose every address lookup answers `addresses`; resolves to the status. */
function post(
  url: string,
  addresses: string[],
  headers: Record<string, string>,
  body: string,
  timeoutMs: number,
): Promise<number> {
  const request = new URL(url).protocol === "https:" ? httpsRequest : httpRequest;
  return new Promise((resolve, reject) => {
    const req = request(
      url,
      {
        method: "POST",
        headers: { ...headers, "content-length": Buffer.byteLength(body).toString() },
        lookup: pinnedLookup(addresses) as never,
        // A fresh connection: a pooled one may lead to an address checked for another delivery.
        agent: false,
        signal: AbortSignal.timeout(timeoutMs),
      },
      (response) => {
        response.resume();
        response.on("error", reject);
        response.on("end", () => resolve(response.statusCode ?? 0));
      },
    );
    req.on("error", reject);
    req.end(body);
  });
}

/**
 * One signed POST of `body` to `url`. Only a 2xx counts as delivered. Redirects are not
 * followed (they could lead to an address the destination check refuses), and the
 * destination is resolved and checked right before sending, the connection pinned to
 * the addresses that passed.
 */
export async function deliverWebhook(
  settings: WebhookSettings,
  delivery: { id: string; url: string; body: string; at?: Date },
): Promise<DeliveryResult> {
  const started = Date.now();
  const done = (statusCode: number | null, error: string | null, final = false): DeliveryResult => ({
    ok: statusCode !== null && statusCode >= 200 && statusCode < 300,
    statusCode,
    error,
    final,
    durationMs: Date.now() - started,
  });
  const destination = await pinDestination(delivery.url, settings);
  if (!destination.ok) {
    const verdict = destination.final ? "refused at delivery, not retried" : "not reached";
    return done(null, `webhook_url ${destination.reason}: ${verdict}`, destination.final);
  }
  const signed: SignedHeaders = signWebhook(settings.secret, delivery.id, delivery.at ?? new Date(), delivery.body);
  const headers = { "content-type": "application/json", "user-agent": "reasonq-webhooks", ...signed };
  try {
    const status = await post(delivery.url, destination.addresses, headers, delivery.body, settings.timeoutMs);
    return done(status, status >= 200 && status < 300 ? null : `the receiver answered ${status}`);
  } catch (error) {
    const { code, name, message } = error as NodeJS.ErrnoException;
    return done(
      null,
      `no answer: ${name === "TimeoutError" || name === "AbortError" ? "timed out" : (code ?? message)}`,
    );
  }
}
