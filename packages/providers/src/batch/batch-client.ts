/**
 * Provider batch APIs (OpenAI Batch, Anthropic Message Batches, Gemini batch mode): many
 * prepared requests sent as one provider batch, billed at the provider's batch price, with
 * results that arrive minutes or hours later. One client per family with such an API,
 * behind this interface; each maps a result with its adapter's `mapResponse`, so a batch
 * result assembles exactly as the interactive call's stream would have.
 */
import { type ProviderEvent, ReasonqError } from "@reasonq/core";
import type { ModelInfo, PreparedRequest } from "../adapter.ts";

export interface BatchEntry {
  /** Ours, echoed by the provider with the result: the job id. */
  customId: string;
  request: PreparedRequest;
}

export interface ProviderBatchCounts {
  total: number;
  succeeded: number;
  errored: number;
  expired: number;
  canceled: number;
  processing: number;
}

export interface ProviderBatchState {
  /** Whether the provider has finished with the batch (results, if any, can be read). */
  ended: boolean;
  /** The provider's own word for the state (`in_progress`, `ended`, `JOB_STATE_SUCCEEDED`, …). */
  status: string;
  counts: ProviderBatchCounts;
  /** Set when the batch as a whole expired or was refused: requests without a result fail with it. */
  failure?: ReasonqError;
}

export type BatchItemOutcome =
  | { kind: "succeeded"; events: ProviderEvent[] }
  | { kind: "errored"; error: ReasonqError }
  | { kind: "expired"; error: ReasonqError }
  | { kind: "canceled" };

/** What is known of a batch whose submission may or may not have reached the provider. */
export interface FindHint {
  /** When the intent to submit was recorded. */
  since: Date;
  count: number;
  /** Provider batch ids already recorded for other batches of ours. */
  known: ReadonlySet<string>;
}

export interface ProviderBatchLimits {
  maxRequests: number;
  /** Total request bytes (JSON) in one batch. */
  maxBytes: number;
}

export interface ProviderBatchClient {
  readonly family: string;
  readonly limits: ProviderBatchLimits;
  /** Requests with the same group may share one provider batch (OpenAI: one endpoint per batch). */
  groupOf(request: PreparedRequest): string;
  /** Submits the entries as one provider batch tagged with `ourId`; returns the provider's batch id. */
  submit(ourId: string, entries: BatchEntry[]): Promise<string>;
  /** The provider batch an earlier, interrupted `submit(ourId)` created, if any. */
  find(ourId: string, hint: FindHint): Promise<string | null>;
  status(providerBatchId: string): Promise<ProviderBatchState>;
  /** Every result of an ended batch, by custom id. */
  results(
    providerBatchId: string,
    customIds: readonly string[],
    model: ModelInfo,
  ): Promise<Map<string, BatchItemOutcome>>;
  cancel(providerBatchId: string): Promise<void>;
}

/** The provider's batch window closed before the request ran. */
export function expiredError(provider: string, detail: string): ReasonqError {
  return new ReasonqError("provider_timeout", `the ${provider} batch expired before this request ran: ${detail}`);
}

/** Clock skew allowed between us and a provider when matching an interrupted submit. */
const FIND_SKEW_MS = 60_000;

/**
 * How every family's `find` looks for an interrupted submit: down the provider's batch list
 * (newest first) until a batch older than the recorded intent (less clock skew), the id of
 * the first batch `ours` claims. A batch with no creation time is looked at, not a stop.
 */
export async function findSince<B>(
  batches: AsyncIterable<B>,
  since: Date,
  createdAtMs: (batch: B) => number | undefined,
  ours: (batch: B) => string | null,
): Promise<string | null> {
  const from = since.getTime() - FIND_SKEW_MS;
  for await (const batch of batches) {
    const created = createdAtMs(batch);
    if (created !== undefined && created < from) break;
    const id = ours(batch);
    if (id !== null) return id;
  }
  return null;
}
