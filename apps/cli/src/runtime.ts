import { join, resolve } from "node:path";
import { type Config, providerConnections } from "@reasonq/core";
import { type AdapterRegistry, type Catalog, catalog, createAdapters } from "@reasonq/providers";
import { createStore, type Store } from "@reasonq/store";
import { type Logger, pino } from "pino";

export interface Runtime {
  config: Config;
  logger: Logger;
  store: Store;
  catalog: Catalog;
  adapters: AdapterRegistry;
}

export function createLogger(config: Config, service: string): Logger {
  return pino({ level: config.LOG_LEVEL, base: { service } });
}

export function dataDir(config: Config): string {
  return resolve(config.REASONQ_DATA_DIR);
}

/** PostgreSQL when DATABASE_URL is set, else the embedded PGlite under the data directory. */
export async function openRuntime(config: Config, service: string): Promise<Runtime> {
  const logger = createLogger(config, service);
  const store = await createStore(
    config.DATABASE_URL === undefined
      ? { kind: "pglite", dataDir: join(dataDir(config), "db") }
      : { kind: "postgres", url: config.DATABASE_URL },
  );
  logger.info({ database: store.kind }, "database ready");
  return {
    config,
    logger,
    store,
    catalog,
    adapters: createAdapters({
      simTokensPerSecond: config.REASONQ_SIM_TOKENS_PER_SECOND,
      connections: providerConnections(config),
    }),
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
