import {
  addDecimalStrings,
  type CostEstimate,
  checkJobBudget,
  checkSpendCap,
  estimateMaxCost,
  type PriceCatalog,
} from "@reasonq/billing";
import { isSpecProblem, type JobSpec, newId, type ParsedJobRequest, ReasonqError, toJobSpec } from "@reasonq/core";
import type { AdapterRegistry, Catalog, ModelInfo, PreparedRequest } from "@reasonq/providers";
import type { NewJob, StoredRequest } from "@reasonq/store";

export interface PlanDeps {
  catalog: Catalog;
  adapters: AdapterRegistry;
  prices: PriceCatalog;
}

/** The API key a job is planned for: its spend cap bounds what the job may reserve. */
export interface JobOwner {
  id: string;
  spend_cap_usd: string | null;
}

export interface PlanOptions {
  batchId?: string;
  idempotencyKey?: string;
  requestHash?: string | null;
  /** A cost limit applies from elsewhere (a batch's `max_cost_usd`): an unpriced model is refused. */
  costLimited?: boolean;
  /** When the job is planned: prices in force then bound its maximum. */
  at?: Date;
}

/** A job ready to store: the row, and the most it can cost (null when the model has no price). */
export interface PlannedJob {
  row: NewJob;
  estimate: CostEstimate | null;
  owner: JobOwner;
}

/** A request → its spec, or a 400 naming the field (prefixed, e.g. `variants[0].`). */
export function specOf(request: ParsedJobRequest, fieldPrefix = ""): JobSpec {
  const spec = toJobSpec(request);
  if (isSpecProblem(spec)) {
    throw new ReasonqError("invalid_request", spec.message, { field: `${fieldPrefix}${spec.field}` });
  }
  return spec;
}

/**
 * The one place a job row is built: the model is resolved, the adapter prepares the
 * provider request (refusing what the model cannot honour), the maximum cost is estimated
 * and checked against the job's `max_cost_usd`. The prepared request is stored with the
 * row, so the worker sends exactly what was planned. The key's spend cap needs what the
 * key has spent and reserved, read under a lock when the row is inserted: `admitUnderCap`.
 */
export function planJob(spec: JobSpec, owner: JobOwner, deps: PlanDeps, options: PlanOptions = {}): PlannedJob {
  const { model, warnings } = deps.catalog.resolve(spec.model);
  const prepared = deps.adapters.get(model.provider).prepare(spec, model);
  const estimate = budgetEstimate(spec, owner, model, deps.prices, options);
  const row: NewJob = {
    id: newId("job"),
    api_key_id: owner.id,
    model: model.id,
    provider: model.provider,
    spec,
    resolved_params: prepared.resolvedParams,
    prepared_request: toStoredRequest(prepared),
    metadata: spec.metadata,
    warnings: [...warnings, ...prepared.warnings],
    batch_id: options.batchId ?? null,
    idempotency_key: options.idempotencyKey ?? null,
    request_hash: options.requestHash ?? null,
    max_cost_estimate: estimate?.maxCost ?? null,
  };
  return { row, estimate, owner };
}

/**
 * Whether a planned job fits under its key's spend cap beside what the key has spent and
 * holds in unfinished jobs (at their maxima). Throws `budget_exceeded` when it does not.
 */
export function admitUnderCap(planned: PlannedJob, committed: { spent: string; reserved: string }): void {
  const cap = planned.owner.spend_cap_usd;
  if (cap === null || planned.estimate === null) return;
  const check = checkSpendCap(cap, addDecimalStrings([committed.spent, committed.reserved]), planned.estimate);
  if (!check.ok) throw check.error;
}

/** Whether inserting the job must read the key's money first (it has a cap and the job a price). */
export function needsAdmission(planned: PlannedJob): boolean {
  return planned.owner.spend_cap_usd !== null && planned.estimate !== null;
}

function toStoredRequest(prepared: PreparedRequest): StoredRequest {
  return { model: { ...prepared.model }, body: prepared.body };
}

/**
 * The pre-flight maximum (prompt counted with a tokenizer when a cost limit applies, by
 * its UTF-8 bytes, a looser bound, when none does; plus every output token the job
 * may produce at the output price), checked against the job's `max_cost_usd`. Null when
 * the model has no price: then no limit can be enforced, and asking for one is refused.
 */
function budgetEstimate(
  spec: JobSpec,
  owner: JobOwner,
  model: ModelInfo,
  prices: PriceCatalog,
  options: PlanOptions,
): CostEstimate | null {
  const limited = spec.max_cost_usd !== undefined || owner.spend_cap_usd !== null || options.costLimited === true;
  let estimate: CostEstimate | null;
  try {
    estimate = estimateMaxCost({
      modelId: model.id,
      messages: spec.messages,
      ...(spec.tools === undefined ? {} : { tools: spec.tools }),
      maxOutputTokens: spec.max_output_tokens ?? model.default_max_output_tokens,
      at: options.at ?? new Date(),
      catalog: prices,
      // Tokenizing is most of a submit's planning; only a job a limit applies to needs the tighter count.
      countWith: limited ? "tokenizer" : "utf8_bytes",
    });
  } catch (error) {
    if (!ReasonqError.is(error) || error.type !== "unknown_model") throw error;
    estimate = null;
  }
  if (estimate === null) {
    if (!limited) return null;
    throw new ReasonqError(
      "unsupported_parameter",
      `${model.id} has no price, so no cost limit can be enforced for it`,
      {
        field: spec.max_cost_usd !== undefined ? "max_cost_usd" : "model",
      },
    );
  }
  const job = checkJobBudget(spec.max_cost_usd, estimate);
  if (!job.ok) throw job.error;
  return estimate;
}
