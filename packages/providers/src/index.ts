export type { ModelInfo, PreparedRequest, ProviderAdapter, StreamOptions } from "./adapter.ts";
export { type AnthropicAdapterOptions, createAnthropicAdapter } from "./anthropic/anthropic-adapter.ts";
export type {
  BatchEntry,
  BatchItemOutcome,
  FindHint,
  ProviderBatchClient,
  ProviderBatchCounts,
  ProviderBatchLimits,
  ProviderBatchState,
} from "./batch/batch-client.ts";
export { type BatchClients, createBatchClients } from "./batch/batch-clients.ts";
export {
  type Catalog,
  type CatalogOptions,
  catalog,
  createCatalog,
  type ResolvedModel,
  resolveModel,
} from "./catalog/resolve-model.ts";
export { createDeepSeekAdapter, type DeepSeekAdapterOptions } from "./deepseek/deepseek-adapter.ts";
export { createGoogleAdapter, type GoogleAdapterOptions } from "./google/google-adapter.ts";
export { type LoggedExchange, normaliseLoggedExchange } from "./logged/normalise-logged-exchange.ts";
export { createOpenAIAdapter, type OpenAIAdapterOptions } from "./openai/openai-adapter.ts";
export {
  type CustomProviders,
  customProviderConnections,
  parseCustomProviders,
} from "./openai-compatible/custom-providers.ts";
export { createOpenAICompatibleAdapter } from "./openai-compatible/openai-compatible-adapter.ts";
export { BUILTIN_PROFILES, type OpenAICompatibleProfile } from "./openai-compatible/openai-compatible-profiles.ts";
export {
  type AdapterOptions,
  type AdapterRegistry,
  createAdapters,
  PROVIDER_FAMILIES,
  type ProviderFamily,
} from "./registry.ts";
export { type AssembledResult, type AssemblerOptions, ResultAssembler } from "./shared/assemble-result.ts";
export {
  classifyHttpError,
  type HeaderSource,
  type HttpErrorInput,
  parseRetryAfter,
  redactSecrets,
} from "./shared/classify-http-error.ts";
export { DEFAULT_IDLE_TIMEOUT_MS, withIdleTimeout } from "./shared/idle-timeout.ts";
export {
  budgetToEffort,
  clampBudget,
  DEFAULT_EFFORT_BUDGETS,
  type EffortBudgets,
  effortToBudget,
  type Mapped,
  nearestEffort,
} from "./shared/map-reasoning.ts";
export { createSimAdapter, type SimAdapterOptions, type SimClock } from "./sim/sim-adapter.ts";
