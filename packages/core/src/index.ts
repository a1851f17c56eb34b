export { assertNever } from "./assert-never.ts";
export { Groups, type GroupsOptions } from "./concurrency/groups.ts";
export {
  type Config,
  ConfigError,
  type ConfigFile,
  ConfigFileSchema,
  ConfigSchema,
  PROVIDER_ENV_PREFIXES,
  type ProviderConnection,
  parseConfig,
  parseConfigFile,
  providerConnections,
} from "./config/config-schema.ts";
export { withFileLimits } from "./config/limits.ts";
export { ERROR_TYPES, type ErrorType, type RetryDisposition } from "./errors/error-types.ts";
export {
  ErrorBodySchema,
  ErrorTypeSchema,
  type JobError,
  JobErrorSchema,
  ReasonqError,
  type ReasonqErrorOptions,
  toReasonqError,
} from "./errors/reasonq-error.ts";
export { requestErrorFrom } from "./errors/request-error.ts";
export { type JobEvent, JobEventSchema, type JobEventType } from "./events/job-event.ts";
export type { ProviderEvent } from "./events/provider-event.ts";
export {
  type Batch,
  type BatchResultLine,
  BatchResultLineSchema,
  BatchSchema,
  type BatchVariant,
  BatchVariantSchema,
} from "./http/batch.ts";
export { type Dataset, DatasetErrorsBodySchema, DatasetSchema } from "./http/dataset.ts";
export {
  LOG_FORMATS,
  type LogFormat,
  type LogImportLine,
  LogImportLineSchema,
  type LogLineError,
  type LogRequest,
  LogRequestSchema,
  LogResultSchema,
} from "./http/log.ts";
export {
  FunctionCallItemSchema,
  FunctionCallOutputItemSchema,
  RESPONSE_INCLUDES,
  ReasoningItemSchema,
  type ResponseCreateRequest,
  ResponseCreateRequestSchema,
  type ResponseFunctionTool,
  ResponseFunctionToolSchema,
  type ResponseInputItem,
  ResponseInputItemSchema,
  ResponseMessageItemSchema,
  type ResponseOutputItem,
  ResponseOutputItemSchema,
  type ResponseStatus,
  ResponseStatusSchema,
  ResponseToolChoiceSchema,
  type ResponseUsage,
  ResponseUsageSchema,
  type StoredResponseRequest,
  StoredResponseRequestSchema,
} from "./http/responses.ts";
export {
  USAGE_GROUPS,
  type UsageQuery,
  UsageQuerySchema,
  type UsageReport,
  UsageReportSchema,
  UsageRowSchema,
} from "./http/usage.ts";
export { ID_PREFIXES, type IdKind, isId, newId } from "./ids.ts";
export {
  type Attempt,
  AttemptSchema,
  type IncompleteReason,
  IncompleteReasonSchema,
  type Job,
  JobSchema,
  listSchema,
} from "./job.ts";
export { formatModelRef, type ModelRef, parseModelRef } from "./model-ref.ts";
export {
  type BatchRequest,
  BatchRequestSchema,
  MAX_INLINE_ITEMS,
  MAX_REPEATS,
  MAX_VARIANTS,
  type ParsedBatchRequest,
  ScorerConfigSchema,
  type Variant,
  VariantSchema,
} from "./request/batch-request.ts";
export {
  isSpecProblem,
  type JobRequest,
  JobRequestSchema,
  type JobSpec,
  type Lane,
  LaneSchema,
  MAX_OUTPUT_TOKENS_LIMIT,
  MetadataSchema,
  type ParsedJobRequest,
  type SamplingParams,
  type SpecProblem,
  toJobSpec,
  UsdAmountSchema,
} from "./request/job-request.ts";
export {
  type ContentPart,
  type ImageInput,
  MAX_IMAGE_URL_CHARS,
  MAX_MESSAGES,
  type Message,
  type MessageInput,
  MessageSchema,
  messageText,
} from "./request/message.ts";
export {
  isReasoningConflict,
  MAX_BUDGET_TOKENS,
  NativeThinkingSchema,
  REASONING_EFFORTS,
  type ReasoningControl,
  ReasoningControlSchema,
  type ReasoningEffort,
  type ReasoningEffortParam,
  ReasoningEffortParamSchema,
  ReasoningEffortSchema,
  type ResolvedReasoning,
  resolveReasoning,
} from "./request/reasoning-control.ts";
export {
  type ResponseFormat,
  ResponseFormatSchema,
  type StructuredOutput,
  structuredOutputOf,
  type TextFormat,
  TextFormatSchema,
} from "./request/response-format.ts";
export {
  type Tool,
  type ToolCall,
  ToolCallSchema,
  type ToolChoice,
  ToolChoiceSchema,
  ToolSchema,
} from "./request/tools.ts";
export {
  type Cost,
  CostSchema,
  DecimalStringSchema,
  type PriceSnapshot,
  PriceSnapshotSchema,
  type UnitPrices,
  UnitPricesSchema,
} from "./result/cost.ts";
export {
  FINISH_REASONS,
  type FinishReason,
  OUTPUT_SCHEMA_VERSION,
  type Output,
  OutputSchema,
  type ReasoningKind,
  ReasoningKindSchema,
  type ThinkingBlock,
  ThinkingBlockSchema,
} from "./result/output.ts";
export {
  addUsage,
  estimateTokens,
  finalizeUsage,
  type ReportedUsage,
  type Usage,
  UsageSchema,
  ZERO_USAGE,
} from "./result/usage.ts";
export { type Warning, WarningSchema } from "./result/warning.ts";
export { SecretRedactor } from "./secrets/secret-redactor.ts";
export { isTerminal, JOB_STATUSES, type JobStatus, JobStatusSchema, TERMINAL_STATUSES } from "./status/job-status.ts";
export { findUnstorableText, type UnstorableText } from "./text/unstorable.ts";
export {
  type WebhookAttempt,
  WebhookAttemptSchema,
  type WebhookDelivery,
  WebhookDeliverySchema,
} from "./webhooks/webhook-delivery.ts";
