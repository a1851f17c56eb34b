import {
  addDecimalStrings,
  type CostEstimate,
  checkJobBudget,
  checkSpendCap,
  estimateMaxCost,
  type PriceCatalog,
} from "@reasonq/billing";
import type { JobSpec } from "@reasonq/core";
import { isSpecProblem, newId, type ParsedJobRequest, ReasonqError, toJobSpec } from "@reasonq/core";
import type { AdapterRegistry, Catalog, ModelInfo } from "@reasonq/providers";
import type { JobEventLog, JobQueues } from "@reasonq/queue";
import type { ApiKeySummary, JobRow, Store } from "@reasonq/store";
import { requestHash } from "../request-hash.ts";
import type { SubmitGroups } from "./submit-groups.ts";

export interface SubmitDeps {
  store: Store;
  queues: JobQueues;
  catalog: Catalog;
  adapters: AdapterRegistry;
  events: JobEventLog;
  prices: PriceCatalog;
  /** Writes plain submits (no spend cap, no Idempotency-Key) together with those arriving at the same time. */
  groups: SubmitGroups;
}

export interface SubmitResult {
  job: JobRow;
  /** False when an idempotency key returned an earlier job. */
  created: boolean;
}

/**
 * Validates a request against the model it names, writes the job row, then enqueues a
 * pointer to it. Everything a model cannot honour is refused here, before a job exists.
 */
export async function submitJob(
  deps: SubmitDeps,
  apiKey: Pick<ApiKeySummary, "id" | "spend_cap_usd">,
  request: ParsedJobRequest,
  idempotencyKey: string | undefined,
): Promise<SubmitResult> {
  const spec = toJobSpec(request);
  if (isSpecProblem(spec)) throw new ReasonqError("invalid_request", spec.message, { field: spec.field });
  const { model, warnings } = deps.catalog.resolve(spec.model);
  const prepared = deps.adapters.get(model.provider).prepare(spec, model);
  const estimate = await checkBudgets(deps, apiKey, spec, model);

  const hash = idempotencyKey === undefined ? null : requestHash(request);
  const row = {
    id: newId("job"),
    api_key_id: apiKey.id,
    model: model.id,
    provider: model.provider,
    spec,
    resolved_params: prepared.resolvedParams,
    metadata: spec.metadata,
    warnings: [...warnings, ...prepared.warnings],
    idempotency_key: idempotencyKey ?? null,
    request_hash: hash,
    max_cost_estimate: estimate?.maxCost ?? null,
  };
  const cap = apiKey.spend_cap_usd;
  if ((cap === null || estimate === null) && idempotencyKey === undefined) {
    return { job: await deps.groups.submit(row), created: true };
  }
  const { job, created } =
    cap === null || estimate === null
      ? await deps.store.jobs.create(row)
      : await deps.store.jobs.createAdmitted(row, ({ spent, reserved }) => {
          const check = checkSpendCap(cap, addDecimalStrings([spent, reserved]), estimate);
          if (!check.ok) throw check.error;
        });
  if (!created) {
    if (job.request_hash !== hash) {
      throw new ReasonqError("conflict", "this Idempotency-Key was used with a different request body", {
        field: "idempotency-key",
      });
    }
    return { job, created };
  }
  try {
    await deps.events.append(job.id, [{ type: "status", status: "queued", attempt: 0 }]);
    await deps.queues.enqueue(model.provider, job.id);
  } catch (cause) {
    await deps.store.jobs.discardUnstarted(job.id);
    throw new ReasonqError("service_unavailable", "the job queue is unreachable; nothing was submitted, try again", {
      cause,
    });
  }
  return { job, created };
}

/**
 * The pre-flight maximum (prompt counted with a tokenizer, plus every output token the job
 * may produce at the output price), checked against the job's `max_cost_usd`. The key's
 * spend cap (what it spent plus the maximum still to come of its unfinished jobs) is
 * checked when the row is inserted, under a lock per key. Null when the model has no
 * price (then no limit can be enforced, and asking for one is refused).
 */
async function checkBudgets(
  deps: SubmitDeps,
  apiKey: Pick<ApiKeySummary, "id" | "spend_cap_usd">,
  spec: JobSpec,
  model: ModelInfo,
): Promise<CostEstimate | null> {
  let estimate: CostEstimate | null;
  try {
    estimate = estimateMaxCost({
      modelId: model.id,
      messages: spec.messages,
      maxOutputTokens: spec.max_output_tokens ?? model.default_max_output_tokens,
      at: new Date(),
      catalog: deps.prices,
    });
  } catch (error) {
    if (!ReasonqError.is(error) || error.type !== "unknown_model") throw error;
    estimate = null;
  }
  const limited = spec.max_cost_usd !== undefined || apiKey.spend_cap_usd !== null;
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
