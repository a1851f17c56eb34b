import type { PriceCatalog } from "@reasonq/billing";
import type { Config } from "@reasonq/core";
import type { AdapterRegistry, Catalog } from "@reasonq/providers";
import { ChannelSubscriber, channels, createRedis, JobEventLog, JobQueues, SharedEventReader } from "@reasonq/queue";
import type { Store } from "@reasonq/store";
import type { FastifyInstance } from "fastify";
import type { Logger } from "pino";
import { buildApp } from "./build-app.ts";
import { JobWaiter } from "./job-waiter.ts";
import { ApiKeyCache } from "./plugins/api-key-cache.ts";

export interface ApiDeps {
  config: Pick<
    Config,
    | "PORT"
    | "HOST"
    | "REDIS_URL"
    | "REASONQ_QUEUE_PREFIX"
    | "REASONQ_API_KEYS"
    | "REASONQ_JOB_ATTEMPTS"
    | "REASONQ_MAX_WAIT_SECONDS"
  >;
  store: Store;
  catalog: Catalog;
  adapters: AdapterRegistry;
  prices: PriceCatalog;
  logger: Logger;
}

export interface RunningApi {
  app: FastifyInstance;
  /** Where it listens, e.g. http://127.0.0.1:8787 */
  url: string;
  /** Stops accepting, drains in-flight requests, then lets go of Redis. */
  close(): Promise<void>;
}

/** How long a finished job's live events can still be replayed. */
const EVENT_RETENTION_SECONDS = 24 * 3600;

/** Registers the configured keys, connects the queues and listens. The store stays the caller's. */
export async function startApi(deps: ApiDeps): Promise<RunningApi> {
  const { config, store, logger } = deps;
  for (const key of config.REASONQ_API_KEYS) await store.apiKeys.register(key, "from REASONQ_API_KEYS");

  const producer = createRedis(config.REDIS_URL, "producer");
  producer.on("error", (err) => logger.warn({ err }, "redis connection error"));
  const subscriber = new ChannelSubscriber(createRedis(config.REDIS_URL, "consumer"));
  const queues = new JobQueues({
    connection: producer,
    prefix: config.REASONQ_QUEUE_PREFIX,
    families: deps.adapters.families(),
    attempts: config.REASONQ_JOB_ATTEMPTS,
  });
  const names = channels(config.REASONQ_QUEUE_PREFIX);
  const waiter = await JobWaiter.start(subscriber, names.jobDone);
  const apiKeys = new ApiKeyCache(store);
  await apiKeys.listen(subscriber, names.apiKeys);
  const events = new JobEventLog(producer, config.REASONQ_QUEUE_PREFIX, {
    retentionSeconds: EVENT_RETENTION_SECONDS,
    doneChannel: names.jobDone,
  });
  const app = await buildApp({
    store,
    queues,
    catalog: deps.catalog,
    adapters: deps.adapters,
    prices: deps.prices,
    waiter,
    events,
    eventReader: new SharedEventReader(events, createRedis(config.REDIS_URL, "consumer"), producer),
    logger,
    maxWaitSeconds: config.REASONQ_MAX_WAIT_SECONDS,
    apiKeys,
    readiness: {
      redis: async () => {
        await producer.ping();
      },
      database: () => store.ping(),
    },
  });
  const url = await app.listen({ port: config.PORT, host: config.HOST });

  let closing: Promise<void> | undefined;
  return {
    app,
    url,
    close() {
      closing ??= (async () => {
        await app.close();
        apiKeys.close();
        await subscriber.close();
        await queues.close();
        await producer.quit().catch(() => producer.disconnect());
      })();
      return closing;
    },
  };
}
