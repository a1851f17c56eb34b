import { z } from "zod";

/**
 * A list of `name=number` pairs (`openai=8,anthropic=4`), each number from 1 to `max`;
 * every bad pair is reported. `what` names the number in messages.
 */
export function namedLimits(what: string, max: number) {
  return z
    .string()
    .default("")
    .transform((s, ctx) => {
      const limits: Record<string, number> = {};
      for (const pair of s
        .split(",")
        .map((p) => p.trim())
        .filter((p) => p !== "")) {
        const match = /^([a-z][a-z0-9_-]{0,39})=(\d{1,9})$/.exec(pair);
        const value = Number(match?.[2]);
        if (match === null || value < 1 || value > max) {
          ctx.addIssue({ code: "custom", message: `"${pair}" is not provider=${what} (1 to ${max})` });
          continue;
        }
        limits[match[1] as string] = value;
      }
      return limits;
    });
}

/** Provider limits, shared by every worker through the provider's queue in Redis. */
export const ProviderLimitsEnv = {
  /** In-flight calls per provider family, `family=n,…`; unlisted families are unbounded. */
  REASONQ_PROVIDER_CONCURRENCY: namedLimits("calls_in_flight", 100_000),
  /** Calls started per minute per provider family, `family=n,…`; unlisted families are unbounded. */
  REASONQ_PROVIDER_RPM: namedLimits("requests_per_minute", 10_000_000),
};
