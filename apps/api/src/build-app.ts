import type { PriceCatalog } from "@reasonq/billing";
import type { AdapterRegistry, Catalog } from "@reasonq/providers";
import type { JobEventLog, JobQueues, SharedEventReader } from "@reasonq/queue";
import type { Store } from "@reasonq/store";
import Fastify, { type FastifyBaseLogger, type FastifyInstance, type FastifyReply } from "fastify";
import { serializerCompiler, validatorCompiler } from "fastify-type-provider-zod";
import type { Logger } from "pino";
import type { JobWaiter } from "./job-waiter.ts";
import { ApiKeyCache } from "./plugins/api-key-cache.ts";
import { authPlugin } from "./plugins/auth.ts";
import { consolePlugin } from "./plugins/console.ts";
import { registerErrorHandler } from "./plugins/error-handler.ts";
import { registerMetrics } from "./plugins/metrics.ts";
import { registerOpenApi } from "./plugins/openapi.ts";
import { type KeyRateLimits, registerKeyRateLimit } from "./plugins/rate-limit.ts";
import { refuseUnstorablePlugin } from "./plugins/refuse-unstorable.ts";
import { OneLineRequestLog } from "./plugins/request-log.ts";
import { healthRoutes } from "./routes/health.ts";
import { batchRoutes } from "./routes/v1/batches/index.ts";
import { chatCompletionRoutes } from "./routes/v1/chat-completions.ts";
import { datasetRoutes } from "./routes/v1/datasets.ts";
import { jobEventRoutes } from "./routes/v1/jobs/events.ts";
import { jobRoutes } from "./routes/v1/jobs/index.ts";
import { logRoutes } from "./routes/v1/logs.ts";
import { modelRoutes } from "./routes/v1/models.ts";
import { responseRoutes } from "./routes/v1/responses/index.ts";
import { usageRoutes } from "./routes/v1/usage.ts";
import { AbandonedCalls, type DisconnectPolicy } from "./services/abandoned-calls.ts";
import { SharedJobReads } from "./services/shared-job-reads.ts";
import { SubmitGroups } from "./services/submit-groups.ts";
import type { WebhookIntake } from "./services/webhook-intake.ts";
import { SseStreams } from "./sse.ts";

export interface AppDeps {
  store: Store;
  queues: JobQueues;
  catalog: Catalog;
  adapters: AdapterRegistry;
  prices: PriceCatalog;
  waiter: JobWaiter;
  events: JobEventLog;
  /** The one blocking reader that serves every SSE follower; closed with the app. */
  eventReader: SharedEventReader;
  logger: Logger;
  /** Checks that /readyz runs, by name. */
  readiness: Record<string, () => Promise<void>>;
  /** Per-key request limits; omitted, none. */
  rateLimits?: KeyRateLimits;
  /** Set when the server sends webhooks (a signing secret is configured); unset, webhook_url is refused. */
  webhooks?: WebhookIntake;
  /** Serves `/metrics` to scrapers sending this bearer token; unset, `/metrics` is not served. */
  metricsToken?: string;
  maxWaitSeconds: number;
  /** What happens to a synchronous call's job when its client goes away. */
  disconnect: DisconnectPolicy;
  version?: string;
  /** Known API keys; one listening for revocations in production, a private one otherwise. */
  apiKeys?: ApiKeyCache;
}

/** Request bodies are bounded; a batch upload gets its own larger limit on its own route. */
export const BODY_LIMIT_BYTES = 4 * 1024 * 1024;

/** Builds the HTTP app from explicit dependencies; only the process entry listens. */
export async function buildApp(deps: AppDeps): Promise<FastifyInstance> {
  const app = Fastify({
    loggerInstance: deps.logger as FastifyBaseLogger,
    bodyLimit: BODY_LIMIT_BYTES,
    requestIdHeader: "x-request-id",
    logController: new OneLineRequestLog(),
    ajv: { customOptions: { removeAdditional: false } },
    // A URL that does not decode (bad percent-encoding) is answered before routing, in our shape.
    frameworkErrors: (error, _request, reply) => {
      (reply as FastifyReply).code(400).send({ error: { type: "invalid_request", message: error.message } });
    },
  });
  // JSON only: a text body would otherwise reach validation and come back as a vague 400.
  app.removeContentTypeParser("text/plain");
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  registerErrorHandler(app);
  await app.register(refuseUnstorablePlugin);
  const sse = new SseStreams();
  const abandoned = new AbandonedCalls(
    { store: deps.store, queues: deps.queues, events: deps.events },
    deps.disconnect,
    deps.logger,
  );
  app.addHook("preClose", async () => {
    deps.waiter.close();
    sse.closeAll();
    abandoned.close();
    deps.eventReader.close();
  });
  await registerOpenApi(app, deps.version ?? "0.1.0");

  await app.register(healthRoutes, { checks: deps.readiness });
  await app.register(consolePlugin);
  app.get("/openapi.json", { schema: { hide: true } }, async () => app.swagger());
  if (deps.metricsToken !== undefined) {
    await registerMetrics(app, {
      store: deps.store,
      queues: deps.queues,
      waiter: deps.waiter,
      token: deps.metricsToken,
    });
  }

  await app.register(
    async (v1) => {
      await v1.register(authPlugin, { keys: deps.apiKeys ?? new ApiKeyCache(deps.store) });
      if (deps.rateLimits !== undefined) await registerKeyRateLimit(v1, deps.rateLimits);
      const submit = {
        store: deps.store,
        queues: deps.queues,
        catalog: deps.catalog,
        adapters: deps.adapters,
        events: deps.events,
        prices: deps.prices,
        ...(deps.webhooks === undefined ? {} : { webhooks: deps.webhooks }),
        groups: new SubmitGroups(deps),
      };
      const follow = {
        store: deps.store,
        events: deps.events,
        eventReader: deps.eventReader,
        jobReads: new SharedJobReads(deps.store),
      };
      await v1.register(jobRoutes, { ...submit, waiter: deps.waiter, maxWaitSeconds: deps.maxWaitSeconds });
      await v1.register(jobEventRoutes, { ...follow, sse });
      await v1.register(chatCompletionRoutes, { ...submit, ...follow, waiter: deps.waiter, sse, abandoned });
      await v1.register(responseRoutes, { ...submit, ...follow, waiter: deps.waiter, sse, abandoned });
      await v1.register(modelRoutes, { catalog: deps.catalog, prices: deps.prices });
      await v1.register(usageRoutes, { store: deps.store });
      await v1.register(datasetRoutes, { store: deps.store });
      await v1.register(batchRoutes, submit);
      await v1.register(logRoutes, {
        store: deps.store,
        catalog: deps.catalog,
        adapters: deps.adapters,
        prices: deps.prices,
      });
    },
    { prefix: "/v1" },
  );

  return app;
}
