import { priceCatalog } from "@reasonq/billing";
import { type ProviderConnection, parseConfig } from "@reasonq/core";
import { catalog, createAdapters, createBatchClients } from "@reasonq/providers";
import { ChannelSubscriber, channels, createRedis, JobEventLog, JobQueues, SharedEventReader } from "@reasonq/queue";
import { createStore, type Store, type StoreOptions } from "@reasonq/store";
import { dropSchema, type TestRedis, testRedis } from "@reasonq/testkit";
import { type RunningWorker, startWorker } from "@reasonq/worker";
import type { FastifyInstance } from "fastify";
import { pino } from "pino";
import { buildApp } from "../src/build-app.ts";
import { JobWaiter } from "../src/job-waiter.ts";

export interface Harness {
  app: FastifyInstance;
  store: Store;
  redis: TestRedis;
  /** Two keys, to show that one never sees the other's jobs. */
  keys: { a: string; b: string };
  startWorker(): Promise<RunningWorker>;
  /** Listens on a free loopback port (once; for clients that need a real socket) and returns the base URL. */
  listen(): Promise<string>;
  close(): Promise<void>;
}

/** The API on a real Redis (own prefix) and a real database, with the worker started on demand. */
export interface HarnessOptions {
  /** Provider keys and base URLs, e.g. pointing a family at its mock server. */
  connections?: Record<string, ProviderConnection>;
  /** More environment for the config (provider batch lane timings, …). */
  env?: Record<string, string>;
}

export async function startHarness(storeOptions: StoreOptions, options: HarnessOptions = {}): Promise<Harness> {
  const redis = await testRedis();
  const config = parseConfig({
    REDIS_URL: redis.url,
    REASONQ_QUEUE_PREFIX: redis.prefix,
    REASONQ_SIM_TOKENS_PER_SECOND: "20000",
    REASONQ_LOCK_DURATION_MS: "5000",
    LOG_LEVEL: "silent",
    ...options.env,
  });
  const logger = pino({ level: process.env.TEST_LOG_LEVEL ?? "silent" });
  const store = await createStore(storeOptions);
  const adapters = createAdapters({
    simTokensPerSecond: config.REASONQ_SIM_TOKENS_PER_SECOND,
    ...(options.connections === undefined ? {} : { connections: options.connections }),
  });
  const producer = createRedis(redis.url, "producer");
  const subscriber = new ChannelSubscriber(createRedis(redis.url, "consumer"));
  const queues = new JobQueues({
    connection: producer,
    prefix: redis.prefix,
    families: adapters.families(),
    attempts: config.REASONQ_JOB_ATTEMPTS,
  });
  const waiter = await JobWaiter.start(subscriber, channels(redis.prefix).jobDone);
  const events = new JobEventLog(producer, redis.prefix, {
    retentionSeconds: 600,
    doneChannel: channels(redis.prefix).jobDone,
  });
  const app = await buildApp({
    store,
    queues,
    catalog,
    adapters,
    prices: priceCatalog,
    waiter,
    events,
    eventReader: new SharedEventReader(events, createRedis(redis.url, "consumer"), producer),
    logger,
    maxWaitSeconds: 60,
    readiness: { redis: async () => void (await producer.ping()), database: () => store.ping() },
  });
  const keys = { a: (await store.apiKeys.create("a")).key, b: (await store.apiKeys.create("b")).key };
  const workers: RunningWorker[] = [];
  let listening: Promise<string> | undefined;
  return {
    app,
    store,
    redis,
    keys,
    async listen() {
      listening ??= app.listen({ port: 0, host: "127.0.0.1" });
      return listening;
    },
    async startWorker() {
      const worker = await startWorker({
        config,
        store,
        adapters,
        catalog,
        prices: priceCatalog,
        logger,
        batchClients: createBatchClients(options.connections === undefined ? {} : { connections: options.connections }),
        providerBatchTickMs: 20,
      });
      workers.push(worker);
      return worker;
    },
    async close() {
      await app.close();
      for (const worker of workers) await worker.close(1000);
      await subscriber.close();
      await queues.close();
      await producer.quit();
      await store.close();
      if (storeOptions.kind === "postgres" && storeOptions.schema !== undefined) await dropSchema(storeOptions.schema);
      await redis.stop();
    },
  };
}

export function auth(key: string): Record<string, string> {
  return { authorization: `Bearer ${key}` };
}
