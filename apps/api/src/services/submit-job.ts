import type { PriceCatalog } from "@reasonq/billing";
import { type ParsedJobRequest, ReasonqError } from "@reasonq/core";
import { needsAdmission, planJob, specOf, storePlannedJob } from "@reasonq/jobs";
import type { AdapterRegistry, Catalog } from "@reasonq/providers";
import type { JobEventLog, JobQueues } from "@reasonq/queue";
import type { ApiKeySummary, JobRow, Store } from "@reasonq/store";
import { requestHash } from "../request-hash.ts";
import { restoreThinkingBlocks } from "./restore-reasoning.ts";
import type { SubmitGroups } from "./submit-groups.ts";
import { checkWebhookUrl, type WebhookIntake } from "./webhook-intake.ts";

export interface SubmitDeps {
  store: Store;
  queues: JobQueues;
  catalog: Catalog;
  adapters: AdapterRegistry;
  events: JobEventLog;
  prices: PriceCatalog;
  /** Set when the server sends webhooks; without it a webhook_url is refused. */
  webhooks?: WebhookIntake;
  /** Writes plain submits (no spend cap, no Idempotency-Key) together with those arriving at the same time. */
  groups: SubmitGroups;
}

export interface SubmitOptions {
  /** Standard client fields that do not change the answer, recorded on the job as sent. */
  clientParams?: Record<string, unknown> | undefined;
}

export interface SubmitResult {
  job: JobRow;
  /** False when an idempotency key returned an earlier job. */
  created: boolean;
}

/** What makes two submissions the same request (an idempotent retry may not change it). */
export function submissionHash(request: ParsedJobRequest, options: SubmitOptions = {}): string {
  return options.clientParams === undefined
    ? requestHash(request)
    : requestHash({ request, client_params: options.clientParams });
}

/**
 * Plans the job (everything a model cannot honour, or that passes a budget, is refused
 * here, before a job exists), writes the row, then enqueues a pointer to it. Assistant
 * turns sent back without their thinking blocks get them restored first, whichever
 * endpoint the conversation came through. The idempotency hash is of the body as sent.
 */
export async function submitJob(
  deps: SubmitDeps,
  apiKey: Pick<ApiKeySummary, "id" | "spend_cap_usd">,
  request: ParsedJobRequest,
  idempotencyKey: string | undefined,
  options: SubmitOptions = {},
): Promise<SubmitResult> {
  await checkWebhookUrl(deps.webhooks, request.webhook_url);
  const hash = idempotencyKey === undefined ? null : submissionHash(request, options);
  const messages =
    request.messages === undefined ? undefined : await restoreThinkingBlocks(deps.store, apiKey.id, request.messages);
  const spec = specOf(messages === undefined ? request : { ...request, messages });
  if (options.clientParams !== undefined) spec.client_params = options.clientParams;
  const planned = planJob(spec, apiKey, deps, {
    ...(idempotencyKey === undefined ? {} : { idempotencyKey }),
    requestHash: hash,
  });
  // A plain submit (nothing to admit under a cap, no Idempotency-Key to look up) is written
  // together with the others arriving at the same time.
  if (!needsAdmission(planned) && idempotencyKey === undefined) {
    return { job: await deps.groups.submit(planned.row), created: true };
  }
  const { job, created } = await storePlannedJob(deps.store, planned);
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
    await deps.queues.enqueue(job.provider, job.id);
  } catch (cause) {
    await deps.store.jobs.discardUnstarted(job.id);
    throw new ReasonqError("service_unavailable", "the job queue is unreachable; nothing was submitted, try again", {
      cause,
    });
  }
  return { job, created };
}
