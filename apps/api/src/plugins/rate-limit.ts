import rateLimit from "@fastify/rate-limit";
import { ReasonqError } from "@reasonq/core";
import type { FastifyInstance } from "fastify";
import type { Redis } from "ioredis";

export interface KeyRateLimits {
  /** Shared by every API process through Redis. */
  redis: Redis;
  prefix: string;
  /** Requests per minute for a key without its own limit. */
  perMinute: number;
  /** Per-key limits by API key id. */
  perKey: Record<string, number>;
}

/**
 * Per-key request limits, counted in Redis so all API processes share them: past the
 * limit a key gets 429 with Retry-After. Runs after authentication (the key is known);
 * with Redis away, requests pass (they get their own 503 where they need Redis).
 */
export async function registerKeyRateLimit(app: FastifyInstance, limits: KeyRateLimits): Promise<void> {
  await app.register(rateLimit, {
    global: true,
    hook: "preHandler",
    redis: limits.redis,
    nameSpace: `${limits.prefix}:rate-limit:`,
    skipOnError: true,
    timeWindow: 60_000,
    keyGenerator: (request) => request.apiKey?.id ?? request.ip,
    max: (_request, key) => limits.perKey[key] ?? limits.perMinute,
    errorResponseBuilder: (_request, context) =>
      new ReasonqError(
        "rate_limited",
        `this key is limited to ${context.max} requests a minute; retry in ${context.after}`,
        {
          retryAfterMs: context.ttl,
        },
      ),
  });
}
