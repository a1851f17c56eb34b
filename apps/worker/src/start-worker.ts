import type { PriceCatalog } from "@reasonq/billing";
import type { Config, SecretRedactor, Usage } from "@reasonq/core";
import type { AdapterRegistry, BatchClients, Catalog } from "@reasonq/providers";
import {
  BATCH_QUEUE,
  ChannelSubscriber,
  channels,
  createJobWorker,
  createRedis,
  type FanOutPayload,
  FanOutPayloadSchema,
  JobEventLog,
  JobQueues,
  ModelLimits,
  queueNameFor,
  type RunJobPayload,
  RunJobPayloadSchema,
  ready,
  TokenLimits,
  WEBHOOK_QUEUE,
  WebhookQueue,
  type WorkerEvent,
} from "@reasonq/queue";
import { isDatabaseUnavailable, type Store } from "@reasonq/store";
import { DelayedError, type Worker } from "bullmq";
import type { Logger } from "pino";
import { type FanOutDeps, fanOutStep } from "./batches/fan-out.ts";
import { onJobTerminal } from "./batches/score-grid-job.ts";
import { startProviderBatchLane } from "./provider-batches/provider-batch-lane.ts";
import {
  admitCall,
  applyProviderConcurrency,
  type CallAdmission,
  type CallLimitsDeps,
  perMinuteFor,
} from "./provider-limits.ts";
import { reconcileBatches, reconcileUnfinished } from "./reconcile.ts";
import { type RunJobDeps, runJob } from "./run-job.ts";
import { retryDelayMs, toBullmqOutcome } from "./to-bullmq-outcome.ts";
import { announceBatchEnd, reconcileWebhooks, scheduleJobWebhook } from "./webhooks/job-webhooks.ts";
import { startWebhookWorker } from "./webhooks/webhook-worker.ts";

export interface WorkerDeps {
  config: Pick<
    Config,
    | "REDIS_URL"
    | "REASONQ_QUEUE_PREFIX"
    | "REASONQ_WORKER_CONCURRENCY"
    | "REASONQ_LOCK_DURATION_MS"
    | "REASONQ_JOB_ATTEMPTS"
    | "REASONQ_PROVIDER_BATCH_WINDOW_MS"
    | "REASONQ_PROVIDER_BATCH_POLL_MS"
    | "REASONQ_PROVIDER_BATCH_MAX_POLL_MS"
    | "REASONQ_WEBHOOK_SECRET"
    | "REASONQ_WEBHOOK_ALLOW_PRIVATE"
    | "REASONQ_WEBHOOK_ATTEMPTS"
    | "REASONQ_WEBHOOK_BACKOFF_MS"
    | "REASONQ_PROVIDER_CONCURRENCY"
    | "REASONQ_PROVIDER_RPM"
    | "REASONQ_MODEL_CONCURRENCY"
    | "REASONQ_MODEL_RPM"
    | "REASONQ_PROVIDER_TPM"
    | "REASONQ_MODEL_TPM"
  >;
  store: Store;
  adapters: AdapterRegistry;
  catalog: Catalog;
  prices: PriceCatalog;
  logger: Logger;
  /** Provider keys and other secrets, redacted out of every job error and attempt. */
  secrets?: SecretRedactor;
  /** How long a finished job's live events stay readable. */
  eventRetentionSeconds?: number;
  /** How often unfinished jobs are checked against the queues (tests shorten it). */
  reconcileEveryMs?: number;
  /** The provider batch APIs (provider_batch lane); without them that lane runs interactively. */
  batchClients?: BatchClients;
  /** How often the lane looks for provider batches due (tests shorten it). */
  providerBatchTickMs?: number;
}

export interface RunningWorker {
  /** Stops taking jobs, lets running ones finish until the deadline, then hands them back. */
  close(deadlineMs?: number): Promise<void>;
}

const DEFAULT_DRAIN_MS = 30_000;
const DATABASE_RETRY_MS = 2_000;
/** A worker starting while Redis restarts waits this long for it before giving up. */
const STARTUP_WAIT_MS = 60_000;

export async function startWorker(deps: WorkerDeps): Promise<RunningWorker> {
  const { config, logger } = deps;
  const prefix = config.REASONQ_QUEUE_PREFIX;
  const onError = (name: string) => (err: Error) => logger.warn({ err, connection: name }, "redis connection error");
  const connection = createRedis(config.REDIS_URL, "consumer", { onError: onError("worker") });
  const publisher = createRedis(config.REDIS_URL, "consumer", { onError: onError("publisher") });
  const subscriber = new ChannelSubscriber(
    createRedis(config.REDIS_URL, "consumer", { onError: onError("subscriber") }),
  );
  await Promise.all([ready(connection, STARTUP_WAIT_MS, true), ready(publisher, STARTUP_WAIT_MS, true)]);
  const names = channels(prefix);
  const families = deps.adapters.families();
  const queues = new JobQueues({
    connection: publisher,
    prefix,
    families,
    attempts: config.REASONQ_JOB_ATTEMPTS,
    onError: onError("queue"),
  });
  const modelLimits = new ModelLimits({
    redis: publisher,
    prefix,
    concurrency: config.REASONQ_MODEL_CONCURRENCY,
    perMinute: config.REASONQ_MODEL_RPM,
    leaseMs: config.REASONQ_LOCK_DURATION_MS,
  });
  const callLimits: CallLimitsDeps = {
    limits: modelLimits,
    tokens: new TokenLimits({
      redis: publisher,
      prefix,
      perProvider: config.REASONQ_PROVIDER_TPM,
      perModel: config.REASONQ_MODEL_TPM,
    }),
    store: deps.store,
    catalog: deps.catalog,
    adapters: deps.adapters,
  };
  await applyProviderConcurrency(
    config,
    families.map((family) => ({ family, queue: queues.queue(family) })),
  );

  /** The jobs this process holds, so a cancel or a shutdown can reach their provider call. */
  const held = new Map<string, AbortController>();
  await subscriber.subscribe(names.cancel, (jobId) => held.get(jobId)?.abort("cancel"));

  // A connection of its own: BullMQ defines its scripts on `publisher`, and every ioredis
  // pipeline copies them all, which made the per-flush pipeline a tenth of a job's CPU.
  const eventRedis = createRedis(config.REDIS_URL, "consumer", { onError: onError("events") });
  const events = new JobEventLog(eventRedis, prefix, {
    retentionSeconds: deps.eventRetentionSeconds ?? 24 * 3600,
    doneChannel: names.jobDone,
  });
  const webhookQueue = new WebhookQueue({
    connection: publisher,
    prefix,
    attempts: config.REASONQ_WEBHOOK_ATTEMPTS,
    backoffMs: config.REASONQ_WEBHOOK_BACKOFF_MS,
    onError: onError("webhooks"),
  });
  const batchDeps: FanOutDeps = {
    store: deps.store,
    queues,
    catalog: deps.catalog,
    adapters: deps.adapters,
    prices: deps.prices,
    batchEnded: (batch) =>
      announceBatchEnd({ queue: webhookQueue }, batch).catch((err: unknown) =>
        // The delivery row is written; the reconciler puts a lost pointer back.
        logger.error({ err, batch_id: batch.id }, "could not queue the batch webhook"),
      ),
  };
  const onTerminal = async (job: Parameters<typeof onJobTerminal>[1]) => {
    await scheduleJobWebhook({ store: deps.store, queue: webhookQueue }, job).catch((err: unknown) =>
      // The reconciler creates it later from the job row.
      logger.error({ err, job_id: job.id }, "could not schedule the webhook"),
    );
    await onJobTerminal(batchDeps, job).catch((err: unknown) =>
      logger.error({ err, job_id: job.id, batch_id: job.batch_id }, "could not record the batch result"),
    );
  };
  const runDeps: RunJobDeps = {
    store: deps.store,
    adapters: deps.adapters,
    catalog: deps.catalog,
    prices: deps.prices,
    logger,
    ...(deps.secrets === undefined ? {} : { secrets: deps.secrets }),
    events,
    onTerminal,
  };
  const lane = startProviderBatchLane(runDeps, deps.batchClients ?? { get: () => null, families: () => [] }, {
    windowMs: config.REASONQ_PROVIDER_BATCH_WINDOW_MS,
    pollMs: config.REASONQ_PROVIDER_BATCH_POLL_MS,
    maxPollMs: config.REASONQ_PROVIDER_BATCH_MAX_POLL_MS,
    tickMs: deps.providerBatchTickMs ?? 500,
    leaseMs: config.REASONQ_LOCK_DURATION_MS,
    // The delivery that put the job in a batch has ended, so its queue entry is replaced.
    retry: { attempts: config.REASONQ_JOB_ATTEMPTS, requeue: (job) => queues.reenqueue(job.provider, job.id) },
  });
  runDeps.lane = lane;
  const logQueueEvent = (queue: string) => (event: WorkerEvent) => {
    if (event.type === "error") logger.error({ err: event.error, queue }, "queue error");
    else if (event.type === "stalled") logger.warn({ job_id: event.jobId, queue }, "job stalled; redelivered");
    else if (event.type === "lock-renewal-failed") logger.warn({ job_ids: event.jobIds, queue }, "lock renewal failed");
    else logger.warn({ err: event.error, job_id: event.job?.id, queue }, "queue delivery failed");
  };
  const batchWorker = createJobWorker<FanOutPayload>({
    queue: BATCH_QUEUE,
    connection,
    prefix,
    concurrency: 1,
    lockDurationMs: config.REASONQ_LOCK_DURATION_MS,
    retryDelayMs,
    onEvent: logQueueEvent(BATCH_QUEUE),
    processor: async (bullJob) => fanOutStep(batchDeps, FanOutPayloadSchema.parse(bullJob.data).batchId),
  });
  const webhookWorker = startWebhookWorker(config, {
    store: deps.store,
    queue: webhookQueue,
    logger,
    connection,
    prefix,
    onEvent: logQueueEvent(WEBHOOK_QUEUE),
  });
  const workers: Worker[] = families.map((family) => {
    const queue = queues.queue(family);
    return createJobWorker<RunJobPayload>({
      queue: queueNameFor(family),
      connection,
      prefix,
      concurrency: config.REASONQ_WORKER_CONCURRENCY,
      perMinute: perMinuteFor(config, family),
      lockDurationMs: config.REASONQ_LOCK_DURATION_MS,
      retryDelayMs,
      onEvent: logQueueEvent(queueNameFor(family)),
      processor: async (bullJob, token, bullSignal) => {
        const payload = RunJobPayloadSchema.parse(bullJob.data);
        const controller = new AbortController();
        bullSignal?.addEventListener("abort", () => controller.abort("cancel"), { once: true });
        held.set(payload.jobId, controller);
        let admission: CallAdmission | undefined;
        let usage: Usage | null = null;
        try {
          admission = await admitCall(callLimits, payload.jobId, `${payload.jobId}:${bullJob.attemptsStarted}`);
          if (admission.kind === "wait") {
            if (token === undefined) throw new Error("a delivery without a lock token cannot wait for its limits");
            // Not an attempt: the job waits its turn in the delayed set, the worker's slot is free meanwhile.
            await bullJob.moveToDelayed(Date.now() + admission.waitMs, token);
            throw new DelayedError();
          }
          const outcome = await runJob(runDeps, {
            jobId: payload.jobId,
            delivery: bullJob.attemptsStarted,
            attemptsLeft: bullJob.attemptsMade + 1 < (bullJob.opts.attempts ?? 1),
            signal: controller.signal,
            onUsage: (used) => {
              usage = used;
            },
            ...(admission.kind === "refused" ? { refusal: admission.error } : {}),
          });
          if (outcome.kind === "again") await toBullmqOutcome(outcome.verdict, queue);
        } catch (error) {
          // The database is away (the claim could not be made): try later without spending an attempt.
          if (!isDatabaseUnavailable(error) || token === undefined) throw error;
          logger.warn({ err: error, job_id: payload.jobId }, "database unreachable; job delayed");
          await bullJob.moveToDelayed(Date.now() + DATABASE_RETRY_MS, token);
          throw new DelayedError();
        } finally {
          held.delete(payload.jobId);
          if (admission?.kind === "admitted")
            await admission.end(usage).catch((err: unknown) => logger.warn({ err }, "call limits release failed"));
        }
      },
    });
  });

  const reconcileEveryMs = deps.reconcileEveryMs ?? 60_000;
  const staleAfterMs = Math.max(3 * config.REASONQ_LOCK_DURATION_MS, reconcileEveryMs);
  const reconcile = () =>
    Promise.all([
      reconcileUnfinished(deps.store, queues, staleAfterMs),
      reconcileBatches(deps.store, onTerminal, staleAfterMs),
      reconcileWebhooks(
        { store: deps.store, queue: webhookQueue, logger, delivering: webhookWorker !== null },
        staleAfterMs,
      ),
    ]).catch((err) => logger.error({ err }, "reconcile failed"));
  const reconciler = setInterval(reconcile, reconcileEveryMs);
  reconciler.unref();
  void reconcile();
  logger.info({ families, prefix, concurrency: config.REASONQ_WORKER_CONCURRENCY }, "worker started");

  let closing: Promise<void> | undefined;
  return {
    close(deadlineMs = DEFAULT_DRAIN_MS) {
      closing ??= (async () => {
        clearInterval(reconciler);
        await lane.close();
        const drained = Promise.all(
          [...workers, batchWorker, ...(webhookWorker === null ? [] : [webhookWorker])].map((w) => w.close()),
        );
        const timer = setTimeout(() => {
          for (const controller of held.values()) controller.abort("shutdown");
        }, deadlineMs);
        await drained;
        clearTimeout(timer);
        await subscriber.close();
        await Promise.all([queues.close(), webhookQueue.close()]);
        await Promise.all([connection.quit(), publisher.quit(), eventRedis.quit()]);
        logger.info("worker stopped");
      })();
      return closing;
    },
  };
}
