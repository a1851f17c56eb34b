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
 * Runs `stop` once on SIGINT or SIGTERM and exits when it is done. A second signal
 * exits at once, for the operator who does not want to wait for the drain.
 */
export function onShutdownSignal(logger: Logger, stop: () => Promise<void>): void {
  let stopping = false;
  const handler = (signal: NodeJS.Signals) => {
    if (stopping) process.exit(130);
    stopping = true;
    logger.info({ signal }, "shutting down");
    stop().then(
      () => process.exit(0),
      (err: unknown) => {
        logger.error({ err }, "shutdown failed");
        process.exit(1);
      },
    );
  };
  process.on("SIGINT", handler);
  process.on("SIGTERM", handler);
}
