import { existsSync, readFileSync } from "node:fs";
import { extname, join, resolve } from "node:path";
import { createPriceCatalog, type PriceCatalog } from "@reasonq/billing";
import {
  type Config,
  type ConfigFile,
  parseConfigFile,
  providerConnections,
  SecretRedactor,
  withFileLimits,
} from "@reasonq/core";
import {
  type AdapterRegistry,
  type BatchClients,
  catalog as builtinCatalog,
  type Catalog,
  createAdapters,
  createBatchClients,
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
  /** The provider batch APIs (provider_batch lane). */
  batchClients: BatchClients;
  prices: PriceCatalog;
}

export interface LogOutput {
  /** Readable lines (pino-pretty) instead of JSON: for a person at a terminal. */
  pretty: boolean;
  destination?: NodeJS.WritableStream;
  /** Secret values redacted out of every line, whatever field carried them. */
  secrets?: SecretRedactor;
}

/**
 * JSON lines for machines; on a terminal, readable lines (pino-pretty is loaded only then).
 * JSON lines to stdout are buffered and written off the hot path, a block at a time (pino
 * flushes what is left on exit; a process killed with SIGKILL loses at most the last 250 ms),
 * so a busy request or job never waits on a write to stdout.
 */
export async function createLogger(
  config: Config,
  service: string,
  output: LogOutput = { pretty: process.stdout.isTTY === true },
): Promise<Logger> {
  const secrets = output.secrets;
  const options = {
    level: config.LOG_LEVEL,
    base: { service },
    redact: ["req.headers.authorization", "headers.authorization", "apiKey", "api_key"],
    ...(secrets === undefined || secrets.size === 0
      ? {}
      : { hooks: { streamWrite: (line: string) => secrets.redact(line) } }),
  };
  if (!output.pretty) return pino(options, output.destination ?? bufferedStdout());
  const { default: pretty } = await import("pino-pretty");
  return pino(
    options,
    pretty({
      colorize: output.destination === undefined,
      translateTime: "SYS:HH:MM:ss.l",
      ignore: "pid,hostname,service",
      sync: true,
      ...(output.destination === undefined ? {} : { destination: output.destination }),
    }),
  );
}

/** Lines wait until 4 KB are pending, or this long on a quiet process. */
const LOG_FLUSH_MS = 250;

/** stdout written a block of lines at a time: one write per line was a tenth of a busy API's CPU. */
function bufferedStdout() {
  const destination = pino.destination({ dest: 1, sync: false, minLength: 4096 });
  setInterval(() => {
    try {
      destination.flush();
    } catch {
      // Ended at shutdown, after its last lines were written.
    }
  }, LOG_FLUSH_MS).unref();
  return destination;
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
 * take precedence over the catalog from their date on; the file's limits join the
 * environment's (`config`), which win where both set one.
 */
export function providerSetup(config: Config, env: Readonly<Record<string, string | undefined>>) {
  const file = loadConfigFile(config);
  const custom = parseCustomProviders(file.providers);
  const prices = createPriceCatalog(file.prices ?? []);
  // A dated or newer model of a known family runs when the price data knows it.
  const priced = (id: string) => {
    try {
      prices.snapshotFor(id, new Date());
      return true;
    } catch {
      return false;
    }
  };
  const connections = { ...providerConnections(config), ...customProviderConnections(custom, env) };
  return {
    config: withFileLimits(config, file.limits),
    secrets: new SecretRedactor([
      ...Object.values(connections).map((c) => c.apiKey),
      ...config.REASONQ_API_KEYS,
      config.REASONQ_WEBHOOK_SECRET,
    ]),
    catalog: createCatalog([...builtinCatalog.list(), ...custom.models], { priced }),
    adapters: createAdapters({
      simTokensPerSecond: config.REASONQ_SIM_TOKENS_PER_SECOND,
      connections,
      customProviders: custom,
    }),
    batchClients: createBatchClients({ connections }),
    prices,
  };
}

/** PostgreSQL when DATABASE_URL is set, else the embedded PGlite under the data directory. */
export async function openRuntime(
  config: Config,
  service: string,
  env: Readonly<Record<string, string | undefined>>,
): Promise<Runtime> {
  const providers = providerSetup(config, env);
  const logger = await createLogger(config, service, {
    pretty: process.stdout.isTTY === true,
    secrets: providers.secrets,
  });
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
