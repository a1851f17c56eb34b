import { createHmac } from "node:crypto";

/** Standard Webhooks secrets are `whsec_` + base64 of the key bytes; any other text is the key itself. */
const PREFIX = "whsec_";

function keyBytes(secret: string): Buffer {
  return secret.startsWith(PREFIX) ? Buffer.from(secret.slice(PREFIX.length), "base64") : Buffer.from(secret, "utf8");
}

export interface SignedHeaders {
  "webhook-id": string;
  "webhook-timestamp": string;
  "webhook-signature": string;
}

/**
 * The Standard Webhooks headers for one delivery: the signature is the base64 HMAC-SHA256
 * of `id.timestamp.body` under the secret, so a receiver can check the body and refuse
 * replays (the id stays the same across retries; the timestamp is the attempt's).
 */
export function signWebhook(secret: string, id: string, timestamp: Date, body: string): SignedHeaders {
  const seconds = Math.floor(timestamp.getTime() / 1000).toString();
  const signature = createHmac("sha256", keyBytes(secret)).update(`${id}.${seconds}.${body}`).digest("base64");
  return { "webhook-id": id, "webhook-timestamp": seconds, "webhook-signature": `v1,${signature}` };
}
