import { z } from "zod";
import { UnitPricesSchema } from "../result/cost.ts";
import { FileLimitsSchema, namedLimits, ProviderLimitsEnv } from "./limits.ts";

const intFrom = (min: number, max: number) => z.coerce.number().int().min(min).max(max);
const boolFrom = () => z.enum(["true", "false", "1", "0"]).transform((v) => v === "true" || v === "1");
const LOG_LEVELS = ["fatal", "error", "warn", "info", "debug", "trace", "silent"] as const;

/**
 * Providers whose key and base URL come from the environment, by family, with the
 * prefix of their variables (`<PREFIX>_API_KEY`, `<PREFIX>_BASE_URL`).
 */
export const PROVIDER_ENV_PREFIXES = {
  openai: "OPENAI",
  anthropic: "ANTHROPIC",
  google: "GEMINI",
  deepseek: "DEEPSEEK",
  xai: "XAI",
  openrouter: "OPENROUTER",
  theagentic: "THEAGENTIC",
  vllm: "VLLM",
  sglang: "SGLANG",
  ollama: "OLLAMA",
} as const;

const providerEnv = Object.fromEntries(
  Object.values(PROVIDER_ENV_PREFIXES).flatMap((prefix) => [
    [`${prefix}_API_KEY`, z.string().min(1).optional()],
    [`${prefix}_BASE_URL`, z.url({ protocol: /^https?$/ }).optional()],
  ]),
) as Record<
  `${(typeof PROVIDER_ENV_PREFIXES)[keyof typeof PROVIDER_ENV_PREFIXES]}_${"API_KEY" | "BASE_URL"}`,
  z.ZodOptional<z.ZodString>
>;

/**
 * Every environment variable reasonq reads, with its default. Only the apps' `main.ts`
 * files read `process.env`; everything else receives the parsed `Config`.
 */
export const ConfigSchema = z.object({
  PORT: intFrom(0, 65535).default(8787),
  HOST: z.string().min(1).default("127.0.0.1"),
  REDIS_URL: z.url({ protocol: /^rediss?$/ }).default("redis://127.0.0.1:6379"),
  DATABASE_URL: z.url({ protocol: /^postgres(ql)?$/ }).optional(),
  REASONQ_DATA_DIR: z.string().min(1).default("./.reasonq"),
  REASONQ_API_KEYS: z
    .string()
    .default("")
    .transform((s) =>
      s
        .split(",")
        .map((k) => k.trim())
        .filter((k) => k.length > 0),
    )
    .refine((keys) => keys.every((k) => k.length >= 16), { message: "every key must be at least 16 characters" }),
  REASONQ_QUEUE_PREFIX: z
    .string()
    .regex(/^[A-Za-z0-9_.-]{1,64}$/, "letters, digits, '_', '.', '-' only (no ':')")
    .default("reasonq"),
  LOG_LEVEL: z.enum(LOG_LEVELS).default("info"),
  REASONQ_WORKER_CONCURRENCY: intFrom(1, 1000).default(8),
  /**
   * How long a worker's hold on a job lasts without renewal (renewed every half of it while
   * the worker lives); a killed worker's job is taken over within this plus a fifth of it.
   */
  REASONQ_LOCK_DURATION_MS: intFrom(1000, 600_000).default(10_000),
  REASONQ_JOB_ATTEMPTS: intFrom(1, 100).default(6),
  REASONQ_SIM_TOKENS_PER_SECOND: intFrom(1, 1_000_000).default(400),
  /** provider_batch lane: how long a provider batch gathers jobs before it is sent. */
  REASONQ_PROVIDER_BATCH_WINDOW_MS: intFrom(0, 3_600_000).default(5_000),
  /** provider_batch lane: the first poll of a sent batch, and the step of the backoff. */
  REASONQ_PROVIDER_BATCH_POLL_MS: intFrom(10, 3_600_000).default(15_000),
  /** provider_batch lane: the longest wait between two polls. */
  REASONQ_PROVIDER_BATCH_MAX_POLL_MS: intFrom(10, 3_600_000).default(300_000),
  REASONQ_MAX_WAIT_SECONDS: intFrom(0, 60).default(60),
  /** Requests held open waiting for a job (`?wait=`, synchronous calls) per API process; past it 429. */
  REASONQ_MAX_LONG_POLLS: intFrom(1, 1_000_000).default(5000),
  /** The same bound for one API key, per API process. */
  REASONQ_MAX_LONG_POLLS_PER_KEY: intFrom(1, 1_000_000).default(1000),
  /**
   * A synchronous OpenAI-compatible call (not background) whose client goes away cancels
   * its job, unless a retry of the same request takes the job over within the grace period
   * (a retry takes it over also when this is off).
   */
  REASONQ_CANCEL_ON_DISCONNECT: boolFrom().default(true),
  /** How long a disconnected call's job waits for a client retry to take it over before it is cancelled. */
  REASONQ_DISCONNECT_GRACE_MS: intFrom(0, 600_000).default(10_000),
  /** Requests a minute per API key, shared by all API processes; 0 turns the limit off. */
  REASONQ_RATE_LIMIT_PER_MINUTE: intFrom(0, 10_000_000).default(1200),
  /** Per-key limits, `key_id=requests_per_minute,…`, overriding the default for those keys. */
  REASONQ_KEY_RATE_LIMITS: namedLimits("requests_per_minute", 99_999_999, "key_id", /^[A-Za-z0-9_]+$/, 0),
  /** The bearer token Prometheus sends to scrape `/metrics`; unset, `/metrics` is not served. */
  REASONQ_METRICS_TOKEN: z.string().min(16, "at least 16 characters").optional(),
  /**
   * Signs webhook deliveries (Standard Webhooks: `whsec_` + base64, or any text of 24+
   * characters used as is); unset, `webhook_url` is refused at submit.
   */
  REASONQ_WEBHOOK_SECRET: z.string().min(24, "at least 24 characters").optional(),
  /** Lets webhooks reach private, loopback and link-local addresses (a receiver on this host or network). */
  REASONQ_WEBHOOK_ALLOW_PRIVATE: z.stringbool().default(false),
  /** POSTs per webhook before it is given up (retried with exponential backoff). */
  REASONQ_WEBHOOK_ATTEMPTS: intFrom(1, 30).default(8),
  /** The first retry's delay; each next one doubles it. */
  REASONQ_WEBHOOK_BACKOFF_MS: intFrom(10, 3_600_000).default(5_000),
  /** Optional `reasonq.config.json|yaml` (custom OpenAI-compatible providers, price overrides). */
  REASONQ_CONFIG: z.string().min(1).optional(),
  ...ProviderLimitsEnv,
  ...providerEnv,
});
export type Config = z.infer<typeof ConfigSchema>;

export class ConfigError extends Error {
  readonly problems: string[];
  constructor(problems: string[]) {
    super(`invalid configuration:\n${problems.map((p) => `  - ${p}`).join("\n")}`);
    this.name = "ConfigError";
    this.problems = problems;
  }
}

export interface ProviderConnection {
  apiKey?: string;
  baseUrl?: string;
}

/** Each provider family's key and base URL from the parsed environment. */
export function providerConnections(config: Config): Record<string, ProviderConnection> {
  const env = config as unknown as Record<string, string | undefined>;
  return Object.fromEntries(
    Object.entries(PROVIDER_ENV_PREFIXES).map(([family, prefix]) => {
      const connection: ProviderConnection = {};
      const apiKey = env[`${prefix}_API_KEY`];
      const baseUrl = env[`${prefix}_BASE_URL`];
      if (apiKey !== undefined) connection.apiKey = apiKey;
      if (baseUrl !== undefined) connection.baseUrl = baseUrl;
      return [family, connection];
    }),
  );
}

/** Parses the whole environment at once and reports every bad value in one message. */
export function parseConfig(env: Record<string, string | undefined>): Config {
  const present = Object.fromEntries(
    Object.keys(ConfigSchema.shape)
      .filter((key) => env[key] !== undefined && env[key] !== "")
      .map((key) => [key, env[key]]),
  );
  const parsed = ConfigSchema.safeParse(present);
  if (parsed.success) return parsed.data;
  throw new ConfigError(parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`));
}

const PriceOverrideSchema = z.strictObject({
  model: z.string().min(3).regex(/\//, "a catalog id, provider/model"),
  effective_from: z.union([z.iso.date(), z.iso.datetime()]),
  prices: UnitPricesSchema,
  tiers: z
    .array(z.strictObject({ above_input_tokens: z.number().int().positive(), prices: UnitPricesSchema }))
    .optional(),
  source: z.string().min(1).max(500),
});

/**
 * `reasonq.config.json|yaml`: custom OpenAI-compatible providers (checked by the
 * providers package, which knows their rules), reviewed price overrides, which take
 * precedence over the price catalog from their `effective_from` on, and provider and
 * model limits (merged under the environment's: `withFileLimits`).
 */
export const ConfigFileSchema = z.strictObject({
  providers: z.array(z.unknown()).optional(),
  prices: z.array(PriceOverrideSchema).optional(),
  limits: FileLimitsSchema.optional(),
});
export type ConfigFile = z.infer<typeof ConfigFileSchema>;

/** Validates a parsed config file, reporting every problem at once. */
export function parseConfigFile(value: unknown, source: string): ConfigFile {
  const parsed = ConfigFileSchema.safeParse(value ?? {});
  if (parsed.success) return parsed.data;
  throw new ConfigError(parsed.error.issues.map((i) => `${source}: ${i.path.join(".")}: ${i.message}`));
}
