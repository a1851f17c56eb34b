import type { ServerResponse } from "node:http";
import { isTerminal } from "@reasonq/core";
import type { DisconnectedCalls } from "@reasonq/queue";
import type { Logger } from "pino";
import { type CancelDeps, cancelJob } from "./cancel-job.ts";

/**
 * Calls `gone` once when the client goes away before the response is finished, also when
 * it already went while the request was being handled (a timeout during the submit).
 */
export function onClientGone(response: ServerResponse, gone: () => void): void {
  if (response.destroyed || response.socket === null || response.socket.destroyed) {
    if (!response.writableEnded) gone();
    return;
  }
  response.once("close", () => {
    if (!response.writableEnded) gone();
  });
}

export interface DisconnectPolicy {
  /**
   * Whether a synchronous call whose client goes away cancels its job once the grace period
   * passes (REASONQ_CANCEL_ON_DISCONNECT). A retry can take the job over either way.
   */
  cancel: boolean;
  /** How long such a job waits for a retry of the same request to take it over. */
  graceMs: number;
  calls: DisconnectedCalls;
}

/** One synchronous call: the job it waits on, whose key owns it, and what identifies the request. */
export interface SyncCall {
  jobId: string;
  apiKeyId: string;
  requestHash: string;
  /** Sent with an Idempotency-Key: a retry attaches through the key and the job is never cancelled. */
  keyed: boolean;
}

/**
 * Synchronous calls whose client hung up before the answer. An SDK that times out retries
 * the same request at once, so the job is not cancelled on the spot: for a grace period a
 * retry (`x-stainless-retry-count` ≥ 1, same key, same body) takes it over; after it the job
 * is cancelled, so an abandoned call leaves no job running and billed (with cancelling
 * switched off it runs to its end; a retry still takes it over). With an Idempotency-Key
 * the key already leads a retry to the job, and the job runs to its end.
 */
export class AbandonedCalls {
  readonly #deps: CancelDeps;
  readonly #policy: DisconnectPolicy;
  readonly #logger: Logger;
  readonly #timers = new Set<NodeJS.Timeout>();

  constructor(deps: CancelDeps, policy: DisconnectPolicy, logger: Logger) {
    this.#deps = deps;
    this.#policy = policy;
    this.#logger = logger;
  }

  /** The job of an abandoned call with this request, if the caller is a client retry and one is waiting. */
  async takeOver(apiKeyId: string, requestHash: string, retryCount: string | undefined): Promise<string | undefined> {
    if (retryCount === undefined || !/^[1-9]\d{0,3}$/.test(retryCount)) return undefined;
    return this.#policy.calls.takeOver(apiKeyId, requestHash);
  }

  /** Watches the response: closed before it was finished means the client went away. */
  watch(response: ServerResponse, call: SyncCall): void {
    if (call.keyed) return;
    onClientGone(response, () =>
      this.#abandon(call).catch((err: unknown) =>
        this.#logger.error({ err, job_id: call.jobId }, "could not cancel the job of a disconnected call"),
      ),
    );
  }

  close(): void {
    for (const timer of this.#timers) clearTimeout(timer);
    this.#timers.clear();
  }

  async #abandon(call: SyncCall): Promise<void> {
    const row = await this.#deps.store.jobs.get(call.jobId);
    if (row === undefined || isTerminal(row.status)) return;
    const token = await this.#policy.calls.add(call.jobId, call.apiKeyId, call.requestHash, this.#policy.graceMs);
    if (!this.#policy.cancel) return;
    const timer = setTimeout(() => {
      this.#timers.delete(timer);
      this.#expire(call, token).catch((err: unknown) =>
        this.#logger.error({ err, job_id: call.jobId }, "could not cancel the job of a disconnected call"),
      );
    }, this.#policy.graceMs);
    timer.unref();
    this.#timers.add(timer);
  }

  async #expire(call: SyncCall, token: string): Promise<void> {
    if (!(await this.#policy.calls.expire(call.jobId, token))) return;
    const row = await this.#deps.store.jobs.get(call.jobId);
    if (row === undefined || isTerminal(row.status)) return;
    await cancelJob(this.#deps, call.jobId, call.apiKeyId);
    this.#logger.info({ job_id: call.jobId }, "cancelled the job of a call whose client went away");
  }
}
