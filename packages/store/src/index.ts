export { createStore, type Store, type StoreOptions } from "./create-store.ts";
export {
  type ApiKeySummary,
  ApiKeysRepository,
  generateApiKey,
  hashApiKey,
} from "./repositories/api-keys-repository.ts";
export {
  type AttemptEnd,
  type CancelResult,
  type ClaimResult,
  type JobListFilter,
  JobsRepository,
  type NewJob,
} from "./repositories/jobs-repository.ts";
export type { ApiKeyRow, AttemptRow, Database, JobRow } from "./schema.ts";
export { toJob } from "./to-job.ts";
