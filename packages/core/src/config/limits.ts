import { z } from "zod";

/**
 * A list of `name=number` pairs (`openai=8,anthropic=4`), each number from `min` to `max`;
 * every bad pair is reported. `what` names the number in messages.
 */
export function namedLimits(what: string, max: number, name = "provider", pattern = FAMILY, min = 1) {
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
        if (at < 0 || !pattern.test(key) || !(value >= min && value <= max)) {
          ctx.addIssue({ code: "custom", message: `"${pair}" is not ${name}=${what} (${min} to ${max})` });
          continue;
        }
        limits[key] = value;
      }
      return limits;
    });
}

/** The most tokens per minute a limit may name. */
const MAX_TPM = 999_999_999;
/** A provider family's name. */
const FAMILY = /^[a-z][a-z0-9_-]{0,39}$/;
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
  /**
   * Tokens per minute per provider family (`openai=2000000,…`): a call reserves its prompt
   * estimate plus its whole output budget, corrected to its usage when it ends.
   */
  REASONQ_PROVIDER_TPM: namedLimits("tokens_per_minute", MAX_TPM),
  /** Tokens per minute per catalog model (`openai/o3=500000,…`), across all workers. */
  REASONQ_MODEL_TPM: namedLimits("tokens_per_minute", MAX_TPM, "model", MODEL_ID),
};

/** One scope's bounds in the config file's `limits` section. */
const ScopeLimitsSchema = z.strictObject({
  concurrency: z.number().int().min(1).max(100_000).optional(),
  rpm: z.number().int().min(1).max(10_000_000).optional(),
  tpm: z.number().int().min(1).max(MAX_TPM).optional(),
});

/** Bounds by name; a bad name is reported at its own path (zod's record keys report no message of ours). */
function scopes(pattern: RegExp, rule: string) {
  return z.record(z.string(), ScopeLimitsSchema).superRefine((record, ctx) => {
    for (const name of Object.keys(record)) {
      if (!pattern.test(name)) ctx.addIssue({ code: "custom", path: [name], message: `"${name}" ${rule}` });
    }
  });
}

/** `limits:` in `reasonq.config.json|yaml`: the same bounds as the environment's, by provider family and by model. */
export const FileLimitsSchema = z.strictObject({
  providers: scopes(FAMILY, "is not a provider family (lowercase letters, digits, '_', '-')").optional(),
  models: scopes(MODEL_ID, "is not a catalog model id (provider/model)").optional(),
});
type FileLimits = z.infer<typeof FileLimitsSchema>;

type LimitsConfig = { [K in keyof typeof ProviderLimitsEnv]: Record<string, number> };

const FILE_FIELDS = [
  ["providers", "concurrency", "REASONQ_PROVIDER_CONCURRENCY"],
  ["providers", "rpm", "REASONQ_PROVIDER_RPM"],
  ["providers", "tpm", "REASONQ_PROVIDER_TPM"],
  ["models", "concurrency", "REASONQ_MODEL_CONCURRENCY"],
  ["models", "rpm", "REASONQ_MODEL_RPM"],
  ["models", "tpm", "REASONQ_MODEL_TPM"],
] as const;

/**
 * The config file's limits merged under the environment's: every bound the file sets
 * holds, except where the environment sets the same bound for the same name, which wins
 * (an operator can override one value without editing the file).
 */
export function withFileLimits<C extends LimitsConfig>(config: C, limits: FileLimits | undefined): C {
  if (limits === undefined) return config;
  const merged = { ...config };
  for (const [scope, field, env] of FILE_FIELDS) {
    const fromFile = Object.entries(limits[scope] ?? {}).flatMap(([name, bounds]) =>
      bounds[field] === undefined ? [] : [[name, bounds[field]] as const],
    );
    merged[env] = { ...Object.fromEntries(fromFile), ...config[env] };
  }
  return merged;
}
