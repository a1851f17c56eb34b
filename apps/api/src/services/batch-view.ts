import { money, providerBatchSaving, toDecimalString } from "@reasonq/billing";
import type { Batch } from "@reasonq/core";
import { COST_RATIO_DECIMALS, wilsonInterval } from "@reasonq/eval";
import { batchHeader, parseBatchSpec, type StoredVariant } from "@reasonq/jobs";
import { type BatchRow, type Store, toWebhookDelivery, type VariantStats } from "@reasonq/store";

const plain = (value: string) => toDecimalString(money(value));

/** The variant table, from counts and quantiles the database computed. */
function variantView(
  index: number,
  stored: StoredVariant,
  stats: VariantStats | undefined,
  failures: Record<string, number>,
) {
  const correct = stats?.correct ?? 0;
  const graded = correct + (stats?.incorrect ?? 0);
  const cost = plain(stats?.cost ?? "0");
  return {
    index,
    id: stored.id,
    label: stored.label,
    model: stored.model,
    reasoning: stored.reasoning ?? null,
    n: graded,
    correct,
    accuracy: graded === 0 ? null : correct / graded,
    accuracy_ci95: graded === 0 ? null : wilsonInterval(correct, graded),
    reasoning_tokens: {
      mean: stats?.reasoning_mean ?? null,
      p50: stats?.reasoning_p50 ?? null,
      p95: stats?.reasoning_p95 ?? null,
    },
    total_cost: cost,
    cost_per_correct:
      correct === 0 ? null : toDecimalString(money(cost).div(correct).toDecimalPlaces(COST_RATIO_DECIMALS)),
    latency_ms: { p50: stats?.latency_p50_ms ?? null, p95: stats?.latency_p95_ms ?? null },
    outcomes: {
      succeeded: stats?.succeeded ?? 0,
      incomplete: stats?.incomplete ?? 0,
      failed: stats?.failed ?? 0,
      cancelled: stats?.cancelled ?? 0,
      truncated_by_reasoning: stats?.truncated ?? 0,
      refused: stats?.refused ?? 0,
    },
    failures,
  };
}

/** The batch with live counts and per-variant aggregates, all computed in SQL. */
export async function batchView(store: Store, row: BatchRow): Promise<Batch> {
  const [counts, stats, failures, laneCosts, delivery] = await Promise.all([
    store.batches.statusCounts(row.id),
    store.batches.variantStats(row.id),
    store.batches.failureTypes(row.id),
    store.providerBatches.costsOfBatch(row.id),
    row.webhook_url === null ? undefined : store.webhooks.get(row.id),
  ]);
  const variants = parseBatchSpec(row.spec, row.id).variants;
  const header = batchHeader(row, counts);
  return {
    ...header,
    provider_batch_saving: header.lane === "provider_batch" ? providerBatchSaving(laneCosts) : null,
    ...(row.webhook_url === null ? {} : { webhook: toWebhookDelivery(delivery) }),
    variants: variants.map((variant, index) =>
      variantView(
        index,
        variant,
        stats.find((s) => s.variant_idx === index),
        Object.fromEntries(failures.filter((f) => f.variant_idx === index).map((f) => [f.type ?? "unknown", f.n])),
      ),
    ),
  };
}
