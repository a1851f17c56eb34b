import { z } from "zod";

/**
 * A list of `name=number` pairs (`openai=8,anthropic=4`), each number from 1 to `max`;
 * every bad pair is reported. `what` names the number in messages.
 */
export function namedLimits(what: string, max: number, name = "provider", pattern = /^[a-z][a-z0-9_-]{0,39}$/) {
  return z
    .string()
    .default("")
    .transform((s, ctx) => {
      const limits: Record<string, number> = {};
      for (const pair of s
        .split(",")
        .map((p) => p.trim())
        .filter((p) => p !== "")) {
        const at = pair.lastIndexOf("=");
        const key = pair.slice(0, at);
        const value = /^\d{1,9}$/.test(pair.slice(at + 1)) ? Number(pair.slice(at + 1)) : Number.NaN;
        if (at < 0 || !pattern.test(key) || !(value >= 1 && value <= max)) {
          ctx.addIssue({ code: "custom", message: `"${pair}" is not ${name}=${what} (1 to ${max})` });
          continue;
        }
        limits[key] = value;
      }
      return limits;
    });
}

/** A catalog model id: `family/model`, as jobs record it. */
const MODEL_ID = /^[a-z][a-z0-9_-]{0,39}\/[A-Za-z0-9._:@-]{1,200}$/;

/** Provider limits, shared by every worker through the provider's queue in Redis. */
export const ProviderLimitsEnv = {
  /** In-flight calls per provider family, `family=n,…`; unlisted families are unbounded. */
  REASONQ_PROVIDER_CONCURRENCY: namedLimits("calls_in_flight", 100_000),
  /** Calls started per minute per provider family, `family=n,…`; unlisted families are unbounded. */
  REASONQ_PROVIDER_RPM: namedLimits("requests_per_minute", 10_000_000),
  /** In-flight calls per catalog model (`openai/o3=4,…`), across all workers; unlisted models are unbounded. */
  REASONQ_MODEL_CONCURRENCY: namedLimits("calls_in_flight", 100_000, "model", MODEL_ID),
  /** Calls started per minute per catalog model (`openai/o3=100,…`), across all workers. */
  REASONQ_MODEL_RPM: namedLimits("requests_per_minute", 10_000_000, "model", MODEL_ID),
};
