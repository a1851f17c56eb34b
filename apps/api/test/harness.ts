import { priceCatalog } from "@reasonq/billing";
import { type Job, type ProviderConnection, parseConfig, type SecretRedactor } from "@reasonq/core";
import { FAMILY_MOCKS, type FamilyMock, type MockServer } from "@reasonq/mock-providers";
import { catalog, createAdapters, createBatchClients } from "@reasonq/providers";
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
import { createStore, type Store, type StoreOptions } from "@reasonq/store";
import { dropSchema, type TestRedis, testRedis } from "@reasonq/testkit";
import { type RunningWorker, startWorker } from "@reasonq/worker";
import type { FastifyInstance } from "fastify";
import OpenAI from "openai";
import { type Logger, pino } from "pino";
import { afterAll, beforeAll } from "vitest";
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
  /** A Redis of the test's own (one it may stop); default: the shared one under a fresh prefix. */
  redis?: TestRedis;
  /** Where the API and workers log (default: silent, or TEST_LOG_LEVEL). */
  logger?: Logger;
  /** Secret values the workers redact out of job errors. */
  secrets?: SecretRedactor;
  /** Per-key request limits (requests a minute; per key id); omitted, none. */
  rateLimit?: { perMinute: number; perKey?: Record<string, number> };
  /** Serves `/metrics` to this bearer token. */
  metricsToken?: string;
  /** The longest `wait` a request may ask for (default 60). */
  maxWaitSeconds?: number;
}

export async function startHarness(storeOptions: StoreOptions, options: HarnessOptions = {}): Promise<Harness> {
  const redis = options.redis ?? (await testRedis());
  const config = parseConfig({
    REDIS_URL: redis.url,
    REASONQ_QUEUE_PREFIX: redis.prefix,
    REASONQ_SIM_TOKENS_PER_SECOND: "20000",
    REASONQ_LOCK_DURATION_MS: "5000",
    LOG_LEVEL: "silent",
    ...options.env,
  });
  const logger = options.logger ?? pino({ level: process.env.TEST_LOG_LEVEL ?? "silent" });
  const store = await createStore(storeOptions);
  const adapters = createAdapters({
    simTokensPerSecond: config.REASONQ_SIM_TOKENS_PER_SECOND,
    ...(options.connections === undefined ? {} : { connections: options.connections }),
  });
  const producer = createRedis(redis.url, "producer", { onError: ignore });
  const subscriber = new ChannelSubscriber(createRedis(redis.url, "consumer", { onError: ignore }));
  const queues = new JobQueues({
    connection: producer,
    prefix: redis.prefix,
    families: adapters.families(),
    attempts: config.REASONQ_JOB_ATTEMPTS,
    onError: ignore,
  });
  // Webhooks are on when the test's env gives a signing secret, as in a deployment.
  const webhookQueue =
    config.REASONQ_WEBHOOK_SECRET === undefined
      ? undefined
      : new WebhookQueue({
          connection: producer,
          prefix: redis.prefix,
          attempts: config.REASONQ_WEBHOOK_ATTEMPTS,
          backoffMs: config.REASONQ_WEBHOOK_BACKOFF_MS,
          onError: ignore,
        });
  const waiter = await JobWaiter.start(subscriber, channels(redis.prefix).jobDone, {
    max: config.REASONQ_MAX_LONG_POLLS,
    perKey: config.REASONQ_MAX_LONG_POLLS_PER_KEY,
  });
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
    eventReader: new SharedEventReader(events, createRedis(redis.url, "consumer", { onError: ignore }), producer),
    logger,
    maxWaitSeconds: options.maxWaitSeconds ?? 60,
    disconnect: {
      cancel: config.REASONQ_CANCEL_ON_DISCONNECT,
      graceMs: config.REASONQ_DISCONNECT_GRACE_MS,
      calls: new DisconnectedCalls(producer, redis.prefix),
    },
    ...(webhookQueue === undefined
      ? {}
      : { webhooks: { queue: webhookQueue, allowPrivate: config.REASONQ_WEBHOOK_ALLOW_PRIVATE } }),
    ...(options.metricsToken === undefined ? {} : { metricsToken: options.metricsToken }),
    ...(options.rateLimit === undefined
      ? {}
      : {
          rateLimits: {
            redis: producer,
            prefix: redis.prefix,
            perMinute: options.rateLimit.perMinute,
            perKey: options.rateLimit.perKey ?? {},
          },
        }),
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
        ...(options.secrets === undefined ? {} : { secrets: options.secrets }),
      });
      workers.push(worker);
      return worker;
    },
    async close() {
      await app.close();
      for (const worker of workers) await worker.close(1000);
      await subscriber.close();
      await Promise.all([queues.close(), webhookQueue?.close()]);
      await producer.quit();
      await store.close();
      if (storeOptions.kind === "postgres" && storeOptions.schema !== undefined) await dropSchema(storeOptions.schema);
      await redis.stop();
    },
  };
}

/** Connection errors while a test stops Redis on purpose. */
const ignore = () => {};

export function auth(key: string): Record<string, string> {
  return { authorization: `Bearer ${key}` };
}

/** The key every mock started by `useHarness` expects, and every connection to one sends. */
export const MOCK_KEY = "test-provider-key-0123456789";

type MockFamily = keyof typeof FAMILY_MOCKS;
/** Each family a test can run against its mock server, with that mock's own options. */
type MockSet = { [F in MockFamily]?: Parameters<(typeof FAMILY_MOCKS)[F]["start"]>[0] };

export interface HarnessSetup<M extends MockSet> extends HarnessOptions {
  /** Mocks started first, each on MOCK_KEY, with its family's connection pointed at it. */
  mocks?: M;
  /** Workers started with the API (default none). */
  workers?: number;
}

export type SetUpHarness<M extends MockSet> = Harness & { mocks: { [F in keyof M]: MockServer } };

/**
 * Starts the harness (and any mocks) in a `beforeAll` of the calling suite and closes them
 * in its `afterAll`. The object it returns stands for that harness: read it in hooks and
 * tests, not while the suite is being collected.
 */
export function useHarness<M extends MockSet = Record<never, never>>(
  storeOptions: StoreOptions,
  setup: HarnessSetup<M> = {},
): SetUpHarness<M> {
  const { mocks: wanted, workers = 0, ...options } = setup;
  let current: SetUpHarness<M> | undefined;
  const mocks: Record<string, MockServer> = {};
  beforeAll(async () => {
    const connections: Record<string, ProviderConnection> = {};
    for (const [family, mockOptions] of Object.entries(wanted ?? {})) {
      const mock: FamilyMock<object> = FAMILY_MOCKS[family as MockFamily];
      // No silent reasoning phase (OpenAI's) unless a test asks for one: tests wait on answers, not on time.
      const quick = family === "openai" ? { reasoningDelayMs: 0 } : {};
      const server = await mock.start({ apiKey: MOCK_KEY, ...quick, ...mockOptions });
      mocks[family] = server;
      connections[family] = { apiKey: MOCK_KEY, baseUrl: `${server.url}${mock.path}` };
    }
    const harness = await startHarness(storeOptions, {
      ...options,
      connections: { ...connections, ...options.connections },
    });
    current = { ...harness, mocks: mocks as SetUpHarness<M>["mocks"] };
    for (let i = 0; i < workers; i++) await current.startWorker();
  });
  afterAll(async () => {
    await current?.close();
    await Promise.all(Object.values(mocks).map((mock) => mock.close()));
  });
  return new Proxy({} as SetUpHarness<M>, {
    get(_, property) {
      if (current === undefined) throw new Error(`harness.${String(property)} read before its beforeAll started it`);
      return current[property as keyof SetUpHarness<M>];
    },
  });
}

/** The official SDK on the harness's socket, as key a, without the SDK's own retries. */
export async function openAIClient(h: Harness): Promise<OpenAI> {
  return new OpenAI({ baseURL: `${await h.listen()}/v1`, apiKey: h.keys.a, maxRetries: 0 });
}

/** Reads a job of key a, with its attempts, until it leaves queued, running and retrying. */
export async function settle(h: Harness, id: string): Promise<Job> {
  for (;;) {
    const read = await h.app.inject({
      method: "GET",
      url: `/v1/jobs/${id}?wait=30&include=attempts`,
      headers: auth(h.keys.a),
    });
    const job = read.json<Job>();
    if (!["queued", "running", "retrying"].includes(job.status)) return job;
  }
}
