import { estimateMaxTokens } from "@reasonq/billing";
import { type Config, ReasonqError, type Usage } from "@reasonq/core";
import { requestToSend } from "@reasonq/jobs";
import type { AdapterRegistry, Catalog } from "@reasonq/providers";
import { type ModelLimits, type TokenLimits, type TokenReservation, UNBOUNDED } from "@reasonq/queue";
import type { JobRow, Store } from "@reasonq/store";
import type { Queue } from "bullmq";

export type ProviderLimitsConfig = Pick<Config, "REASONQ_PROVIDER_CONCURRENCY" | "REASONQ_PROVIDER_RPM">;

/** The limiter of a provider's queue: its configured rate, or one that only a 429's pause binds. */
export function perMinuteFor(config: ProviderLimitsConfig, family: string): number {
  return config.REASONQ_PROVIDER_RPM[family] ?? UNBOUNDED;
}

/**
 * Puts each provider's bound on calls in flight on its queue, in Redis, where BullMQ counts
 * the queue's active jobs for all workers together (a killed worker's jobs leave the count
 * when BullMQ moves them back as stalled). A family no longer listed loses its bound; every
 * worker writes the same values, so they share one configuration.
 */
export async function applyProviderConcurrency(
  config: ProviderLimitsConfig,
  queues: ReadonlyArray<{ family: string; queue: Pick<Queue, "setGlobalConcurrency" | "removeGlobalConcurrency"> }>,
): Promise<void> {
  await Promise.all(
    queues.map(({ family, queue }) => {
      const bound = config.REASONQ_PROVIDER_CONCURRENCY[family];
      return bound === undefined ? queue.removeGlobalConcurrency() : queue.setGlobalConcurrency(bound);
    }),
  );
}

/** What bounds a call before it starts: model slots, and tokens per minute by provider and model. */
export interface CallLimitsDeps {
  limits: ModelLimits;
  tokens: TokenLimits;
  store: Pick<Store, "jobs">;
  catalog: Catalog;
  adapters: AdapterRegistry;
}

/** A call may start (`end` with what it consumed), must wait, or can never fit its token limits. */
export type CallAdmission =
  | { kind: "admitted"; end: (usage: Usage | null) => Promise<void> }
  | { kind: "wait"; waitMs: number }
  | { kind: "refused"; error: ReasonqError };

const FREE: CallAdmission = { kind: "admitted", end: async () => {} };

/**
 * Admits one call of the job under its limits (its row is read only when some limit
 * applies; a job gone from the store passes: its delivery claims nothing). Tokens are
 * reserved first, as that is the one step that can be undone: a call that must then wait
 * for its model's slot gives them back, where the slot's per-minute count cannot be.
 */
export async function admitCall(deps: CallLimitsDeps, jobId: string, holder: string): Promise<CallAdmission> {
  if (!deps.limits.active && !deps.tokens.active) return FREE;
  const row = await deps.store.jobs.get(jobId);
  if (row === undefined) return FREE;
  let reservation: TokenReservation | undefined;
  if (deps.tokens.bounds(row.provider, row.model)) {
    const tokens = callTokens(deps, row);
    const grant = await deps.tokens.reserve(row.provider, row.model, tokens);
    if (grant.kind === "too_large") {
      const error = new ReasonqError(
        "token_limit_exceeded",
        `the call may use up to ${tokens} tokens (its prompt plus max_output_tokens), more than the ${grant.limit} tokens a minute configured for ${grant.scope}; lower max_output_tokens or raise the limit`,
      );
      return { kind: "refused", error };
    }
    if (grant.kind === "wait") return spread(grant.waitMs);
    reservation = grant.reservation;
  }
  const slot = await deps.limits.take(row.model, holder);
  if (slot.kind === "wait") {
    await reservation?.settle(0);
    return spread(slot.waitMs);
  }
  return {
    kind: "admitted",
    end: async (usage) => {
      await Promise.all([
        slot.release(),
        reservation?.settle(usage === null ? 0 : usage.input_tokens + usage.output_tokens),
      ]);
    },
  };
}

/** The most a call may consume: its prompt as the cost maximum counts it, and its whole output budget (reasoning included). */
function callTokens(deps: Pick<CallLimitsDeps, "catalog" | "adapters">, row: JobRow): number {
  const model = requestToSend(row, deps).model;
  const estimate = estimateMaxTokens({
    modelId: row.model,
    messages: row.spec.messages,
    ...(row.spec.tools === undefined ? {} : { tools: row.spec.tools }),
    maxOutputTokens: row.spec.max_output_tokens ?? model.default_max_output_tokens,
  });
  return estimate.inputTokens + estimate.maxOutputTokens;
}

/** Waiters spread out rather than all asking again at the same moment. */
function spread(waitMs: number): CallAdmission {
  return { kind: "wait", waitMs: Math.round(waitMs * (1 + Math.random() / 4)) };
}
