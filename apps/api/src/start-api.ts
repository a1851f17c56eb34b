import type { PriceCatalog } from "@reasonq/billing";
import type { Config } from "@reasonq/core";
import type { AdapterRegistry, Catalog } from "@reasonq/providers";
import {
  ChannelSubscriber,
  channels,
  createRedis,
  DisconnectedCalls,
  JobEventLog,
  JobQueues,
  SharedEventReader,
  WebhookQueue,
} from "@reasonq/queue";
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
    | "REASONQ_MAX_LONG_POLLS"
    | "REASONQ_MAX_LONG_POLLS_PER_KEY"
    | "REASONQ_CANCEL_ON_DISCONNECT"
    | "REASONQ_DISCONNECT_GRACE_MS"
    | "REASONQ_METRICS_TOKEN"
    | "REASONQ_RATE_LIMIT_PER_MINUTE"
    | "REASONQ_KEY_RATE_LIMITS"
    | "REASONQ_WEBHOOK_SECRET"
    | "REASONQ_WEBHOOK_ALLOW_PRIVATE"
    | "REASONQ_WEBHOOK_ATTEMPTS"
    | "REASONQ_WEBHOOK_BACKOFF_MS"
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

  const onError = (connection: string) => (err: Error) => logger.warn({ err, connection }, "redis connection error");
  const producer = createRedis(config.REDIS_URL, "producer", { onError: onError("producer") });
  // Not `producer`: BullMQ defines its scripts there, and every ioredis pipeline copies them all.
  const eventRedis = createRedis(config.REDIS_URL, "producer", { onError: onError("events") });
  const subscriber = new ChannelSubscriber(
    createRedis(config.REDIS_URL, "consumer", { onError: onError("subscriber") }),
  );
  const queues = new JobQueues({
    connection: producer,
    prefix: config.REASONQ_QUEUE_PREFIX,
    families: deps.adapters.families(),
    attempts: config.REASONQ_JOB_ATTEMPTS,
    onError: onError("queue"),
  });
  // Deliveries are the workers'; the API only schedules those of jobs it ends itself.
  const webhookQueue =
    config.REASONQ_WEBHOOK_SECRET === undefined
      ? undefined
      : new WebhookQueue({
          connection: producer,
          prefix: config.REASONQ_QUEUE_PREFIX,
          attempts: config.REASONQ_WEBHOOK_ATTEMPTS,
          backoffMs: config.REASONQ_WEBHOOK_BACKOFF_MS,
          onError: onError("webhooks"),
        });
  const names = channels(config.REASONQ_QUEUE_PREFIX);
  const waiter = await JobWaiter.start(subscriber, names.jobDone, {
    max: config.REASONQ_MAX_LONG_POLLS,
    perKey: config.REASONQ_MAX_LONG_POLLS_PER_KEY,
  });
  const apiKeys = new ApiKeyCache(store);
  await apiKeys.listen(subscriber, names.apiKeys);
  const events = new JobEventLog(eventRedis, config.REASONQ_QUEUE_PREFIX, {
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
    eventReader: new SharedEventReader(
      events,
      createRedis(config.REDIS_URL, "consumer", { onError: onError("reader") }),
      producer,
    ),
    apiKeys,
    logger,
    maxWaitSeconds: config.REASONQ_MAX_WAIT_SECONDS,
    disconnect: {
      cancel: config.REASONQ_CANCEL_ON_DISCONNECT,
      graceMs: config.REASONQ_DISCONNECT_GRACE_MS,
      calls: new DisconnectedCalls(producer, config.REASONQ_QUEUE_PREFIX),
    },
    ...(webhookQueue === undefined
      ? {}
      : { webhooks: { queue: webhookQueue, allowPrivate: config.REASONQ_WEBHOOK_ALLOW_PRIVATE } }),
    ...(config.REASONQ_METRICS_TOKEN === undefined ? {} : { metricsToken: config.REASONQ_METRICS_TOKEN }),
    ...(config.REASONQ_RATE_LIMIT_PER_MINUTE === 0
      ? {}
      : {
          rateLimits: {
            redis: producer,
            prefix: config.REASONQ_QUEUE_PREFIX,
            perMinute: config.REASONQ_RATE_LIMIT_PER_MINUTE,
            perKey: config.REASONQ_KEY_RATE_LIMITS,
          },
        }),
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
        await Promise.all([queues.close(), webhookQueue?.close()]);
        await producer.quit().catch(() => producer.disconnect());
        await eventRedis.quit().catch(() => eventRedis.disconnect());
      })();
      return closing;
    },
  };
}
