import type { Config } from "@reasonq/core";
import { type ModelLimits, type ModelSlot, UNBOUNDED } from "@reasonq/queue";
import type { Store } from "@reasonq/store";
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

/**
 * A slot under the job's model limits (read from its row only when some model is bounded).
 * The lease ends with the delivery; a killed worker's lapses by itself. A job gone from the
 * store passes: its delivery claims nothing.
 */
export async function takeModelSlot(
  deps: { limits: ModelLimits; store: Pick<Store, "jobs"> },
  jobId: string,
  holder: string,
): Promise<ModelSlot> {
  const free: ModelSlot = { kind: "taken", release: async () => {} };
  if (!deps.limits.active) return free;
  const row = await deps.store.jobs.get(jobId);
  if (row === undefined) return free;
  const slot = await deps.limits.take(row.model, holder);
  // Waiters spread out rather than all asking again at the same moment.
  return slot.kind === "wait" ? { kind: "wait", waitMs: Math.round(slot.waitMs * (1 + Math.random() / 4)) } : slot;
}
