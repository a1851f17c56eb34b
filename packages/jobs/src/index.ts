export { batchHeader } from "./batch-header.ts";
export {
  type BatchSpec,
  BatchSpecSchema,
  parseBatchSpec,
  type StoredVariant,
  variantRequest,
} from "./batch-spec.ts";
export { incompleteReason } from "./incomplete-reason.ts";
export { planGridJob, StepAdmission } from "./plan-grid-job.ts";
export {
  admitUnderCap,
  type JobOwner,
  needsAdmission,
  type PlanDeps,
  type PlannedJob,
  type PlanOptions,
  planJob,
  specOf,
} from "./plan-job.ts";
export { planLoggedJob } from "./plan-logged-job.ts";
export { storePlannedJob } from "./store-planned.ts";
export { requestToSend } from "./stored-request.ts";
