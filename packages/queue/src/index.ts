export {
  BATCH_QUEUE,
  channels,
  type FanOutPayload,
  FanOutPayloadSchema,
  PROVIDER_BACKOFF,
  queueNameFor,
  type RunJobPayload,
  RunJobPayloadSchema,
  runJobOptions,
} from "./catalog.ts";
export { createJobWorker, type JobWorkerOptions, UNBOUNDED, type WorkerEvent } from "./create-worker.ts";
export { DisconnectedCalls } from "./disconnected-calls.ts";
export {
  doneAnnouncement,
  JobEventLog,
  type JobEventLogOptions,
  type LogEvent,
  type LoggedEvent,
  readDoneAnnouncement,
} from "./event-log.ts";
export { JobQueues, type JobQueuesOptions } from "./job-queues.ts";
export { ModelLimits, type ModelLimitsOptions, type ModelSlot } from "./model-limits.ts";
export { createRedis, isRedisUnavailable, ready } from "./redis.ts";
export { SharedEventReader } from "./shared-event-reader.ts";
export { ChannelSubscriber } from "./subscriber.ts";
export { type TokenGrant, TokenLimits, type TokenLimitsOptions, type TokenReservation } from "./token-limits.ts";
export {
  WEBHOOK_QUEUE,
  type WebhookPayload,
  WebhookPayloadSchema,
  WebhookQueue,
  type WebhookQueueOptions,
} from "./webhook-queue.ts";
