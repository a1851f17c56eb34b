import { isSpecProblem, newId, type ParsedJobRequest, ReasonqError, toJobSpec } from "@reasonq/core";
import type { AdapterRegistry, Catalog } from "@reasonq/providers";
import type { JobEventLog, JobQueues } from "@reasonq/queue";
import type { JobRow, Store } from "@reasonq/store";
import { requestHash } from "../request-hash.ts";

export interface SubmitDeps {
  store: Store;
  queues: JobQueues;
  catalog: Catalog;
  adapters: AdapterRegistry;
  events: JobEventLog;
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
  apiKeyId: string,
  request: ParsedJobRequest,
  idempotencyKey: string | undefined,
): Promise<SubmitResult> {
  const spec = toJobSpec(request);
  if (isSpecProblem(spec)) throw new ReasonqError("invalid_request", spec.message, { field: spec.field });
  const { model, warnings } = deps.catalog.resolve(spec.model);
  const prepared = deps.adapters.get(model.provider).prepare(spec, model);

  const hash = idempotencyKey === undefined ? null : requestHash(request);
  const { job, created } = await deps.store.jobs.create({
    id: newId("job"),
    api_key_id: apiKeyId,
    model: model.id,
    provider: model.provider,
    spec,
    resolved_params: prepared.resolvedParams,
    metadata: spec.metadata,
    warnings: [...warnings, ...prepared.warnings],
    idempotency_key: idempotencyKey ?? null,
    request_hash: hash,
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
