export { createStore, type Store, type StoreOptions } from "./create-store.ts";
export { jobRowFromText, jobRowToText } from "./job-row-text.ts";
export {
  type ApiKeySummary,
  ApiKeysRepository,
  generateApiKey,
  hashApiKey,
} from "./repositories/api-keys-repository.ts";
export type { AttemptHistograms, HistogramCounts } from "./repositories/attempt-histograms.ts";
export type { BudgetStop, CellPlan, FanOutResult, GridCell, KeyCommitted } from "./repositories/batch-fan-out.ts";
export {
  BatchesRepository,
  type NewBatch,
  type ResultInput,
  type ResultWithJob,
  type VariantStats,
} from "./repositories/batches-repository.ts";
export { type DatasetItemInput, DatasetsRepository } from "./repositories/datasets-repository.ts";
export {
  type AttemptEnd,
  type CancelResult,
  type ClaimResult,
  type JobListFilter,
  JobsRepository,
  type NewJob,
} from "./repositories/jobs-repository.ts";
export {
  type LoggedInsert,
  LoggedJobsRepository,
  type NewLoggedJob,
} from "./repositories/logged-jobs-repository.ts";
export { MetricsRepository, type MetricsSnapshot } from "./repositories/metrics-repository.ts";
export {
  type BatchEnd,
  type EnlistInput,
  type PollRecord,
  ProviderBatchesRepository,
} from "./repositories/provider-batches-repository.ts";
export { ResponsesRepository, type ResponseWithJob } from "./repositories/responses-repository.ts";
export { BATCH_ENDED } from "./repositories/settle-batch.ts";
export {
  type UsageGroupBy,
  type UsageQuery,
  UsageRepository,
  type UsageRow,
} from "./repositories/usage-repository.ts";
export {
  type NewDelivery,
  toWebhookDelivery,
  WebhookDeliveriesRepository,
} from "./repositories/webhook-deliveries-repository.ts";
export type {
  ApiKeyRow,
  AttemptRow,
  BatchResultRow,
  BatchRow,
  BatchStatus,
  Database,
  DatasetRow,
  JobRow,
  ProviderBatchCountsJson,
  ProviderBatchRow,
  ProviderBatchStatus,
  ResponseRow,
  StoredRequest,
  WebhookDeliveryRow,
} from "./schema.ts";
export { toJob } from "./to-job.ts";
export { isDatabaseUnavailable } from "./unavailable.ts";
