import { existsSync, readFileSync } from "node:fs";
import { extname, join, resolve } from "node:path";
import { createPriceCatalog, type PriceCatalog } from "@reasonq/billing";
import { type Config, type ConfigFile, parseConfigFile, providerConnections, SecretRedactor } from "@reasonq/core";
import {
  type AdapterRegistry,
  catalog as builtinCatalog,
  type Catalog,
  createAdapters,
  createCatalog,
  customProviderConnections,
  parseCustomProviders,
} from "@reasonq/providers";
import { createStore, type Store } from "@reasonq/store";
import { type Logger, pino } from "pino";
import { parse as parseYaml } from "yaml";

export type Env = Readonly<Record<string, string | undefined>>;

export interface Runtime {
  config: Config;
  /** Every secret value this process holds, so logs, jobs and errors never show them. */
  secrets: SecretRedactor;
  logger: Logger;
  store: Store;
  catalog: Catalog;
  adapters: AdapterRegistry;
  prices: PriceCatalog;
}

/** Every line is redacted by the secret values themselves, whatever field carried them. */
export function createLogger(config: Config, service: string, secrets: SecretRedactor): Logger {
  return pino({
    level: config.LOG_LEVEL,
    base: { service },
    redact: ["req.headers.authorization", "headers.authorization", "apiKey", "api_key"],
    ...(secrets.size === 0 ? {} : { hooks: { streamWrite: (line: string) => secrets.redact(line) } }),
  });
}

export function dataDir(config: Config): string {
  return resolve(config.REASONQ_DATA_DIR);
}

const DEFAULT_CONFIG_FILES = ["reasonq.config.json", "reasonq.config.yaml", "reasonq.config.yml"];

/** `REASONQ_CONFIG`, else the first `reasonq.config.(json|yaml)` in the working directory. */
export function loadConfigFile(config: Config): ConfigFile {
  const path = config.REASONQ_CONFIG ?? DEFAULT_CONFIG_FILES.find((name) => existsSync(name));
  if (path === undefined) return {};
  const text = readFileSync(path, "utf8");
  let value: unknown;
  try {
    value = extname(path) === ".json" ? JSON.parse(text) : parseYaml(text);
  } catch (error) {
    throw new Error(`${path} is not valid ${extname(path) === ".json" ? "JSON" : "YAML"}: ${(error as Error).message}`);
  }
  return parseConfigFile(value, path);
}

/**
 * Providers and prices from the environment plus the config file: custom OpenAI-compatible
 * providers become families (queues) and catalog models of their own; price overrides
 * take precedence over the catalog from their date on.
 */
export function providerSetup(config: Config, env: Readonly<Record<string, string | undefined>>) {
  const file = loadConfigFile(config);
  const custom = parseCustomProviders(file.providers);
  const connections = { ...providerConnections(config), ...customProviderConnections(custom, env) };
  return {
    secrets: new SecretRedactor([...Object.values(connections).map((c) => c.apiKey), ...config.REASONQ_API_KEYS]),
    catalog: custom.models.length === 0 ? builtinCatalog : createCatalog([...builtinCatalog.list(), ...custom.models]),
    adapters: createAdapters({
      simTokensPerSecond: config.REASONQ_SIM_TOKENS_PER_SECOND,
      connections,
      customProviders: custom,
    }),
    prices: createPriceCatalog(file.prices ?? []),
  };
}

/** PostgreSQL when DATABASE_URL is set, else the embedded PGlite under the data directory. */
export async function openRuntime(
  config: Config,
  service: string,
  env: Readonly<Record<string, string | undefined>>,
): Promise<Runtime> {
  const providers = providerSetup(config, env);
  const logger = createLogger(config, service, providers.secrets);
  const store = await createStore(
    config.DATABASE_URL === undefined
      ? { kind: "pglite", dataDir: join(dataDir(config), "db") }
      : {
          kind: "postgres",
          url: config.DATABASE_URL,
          // An idle connection the server dropped; the pool replaces it, the process carries on.
          onError: (err) => logger.warn({ err }, "database connection error"),
        },
  );
  logger.info({ database: store.kind }, "database ready");
  return {
    config,
    logger,
    store,
    ...providers,
  };
}

/**
 * What a long-running command started, stopped in reverse order on SIGINT or SIGTERM:
 * intake first (API), then the worker, then the connections they used. Installed before
 * anything starts, so a signal during start-up stops what exists so far. A second signal
 * exits at once, for the operator who does not want to wait for the drain.
 */
export class Lifecycle {
  readonly #stops: Array<{ name: string; stop: () => Promise<void> }> = [];
  #logger: Logger | undefined;
  #stopping = false;

  constructor() {
    process.on("SIGINT", (signal) => this.#onSignal(signal));
    process.on("SIGTERM", (signal) => this.#onSignal(signal));
  }

  useLogger(logger: Logger): void {
    this.#logger = logger;
  }

  /** Registers what to stop; later registrations stop first. */
  add(name: string, stop: () => Promise<void>): void {
    this.#stops.push({ name, stop });
  }

  #onSignal(signal: NodeJS.Signals): void {
    if (this.#stopping) process.exit(130);
    this.#stopping = true;
    this.#logger?.info({ signal }, "shutting down");
    (async () => {
      for (const { name, stop } of [...this.#stops].reverse()) {
        try {
          await stop();
        } catch (err) {
          this.#logger?.error({ err, component: name }, "stop failed");
          process.exitCode = 1;
        }
      }
    })().then(() => process.exit());
  }
}
