import { providerBatchSaving } from "@reasonq/billing";
import {
  Aggregator,
  type DatasetItem,
  itemPromptText,
  type ReportItem,
  type ResultRow,
  renderReport,
  type Variant,
} from "@reasonq/eval";
import { parseBatchSpec } from "@reasonq/jobs";
import type { BatchRow, Store } from "@reasonq/store";

const PAGE = 1000;
const TERMINAL = new Set(["succeeded", "incomplete", "failed", "cancelled"]);

function expectedText(item: Omit<DatasetItem, "id">): string | null {
  if (item.expected === undefined) return null;
  return typeof item.expected === "string" ? item.expected : JSON.stringify(item.expected);
}

function scorerText(scorer: Record<string, unknown>): string {
  const { type, ...options } = scorer;
  const rest = Object.entries(options).map(([k, v]) => `${k} ${typeof v === "string" ? v : JSON.stringify(v)}`);
  return rest.length === 0 ? String(type) : `${String(type)} (${rest.join(", ")})`;
}

/**
 * The HTML report of a batch. Results are folded a page at a time (bounded memory: the
 * aggregator keeps counters and per-variant numbers, not rows); only the few notable rows
 * are read back in full, with their prompt and reasoning.
 */
export async function renderBatchReport(store: Store, batch: BatchRow): Promise<string> {
  const spec = parseBatchSpec(batch.spec, batch.id);
  const gridVariants: Variant[] = spec.variants.map((v) => ({ ...v, reasoning: v.reasoning ?? null }));
  const aggregator = new Aggregator({ variants: gridVariants, repeats: batch.repeats, trackPairs: true });
  const jobOf = new Map<string, string>();
  let after = -1;
  for (;;) {
    const rows = await store.batches.resultRows(batch.id, after, PAGE);
    if (rows.length === 0) break;
    for (const row of rows) {
      after = row.ordinal;
      if (!TERMINAL.has(row.status)) continue;
      const variantId = spec.variants[row.variant_idx]?.id ?? String(row.variant_idx);
      jobOf.set(`${row.item_id}\u0000${variantId}\u0000${row.repeat}`, row.job_id);
      const result: ResultRow = {
        item_id: row.item_id,
        variant_id: variantId,
        repeat: row.repeat,
        status: row.status as ResultRow["status"],
        correct: row.correct,
        extracted: row.extracted,
        reasoning_tokens: row.reasoning_tokens,
        output_tokens: row.output_tokens,
        cost: row.cost ?? "0",
        latency_ms: row.latency_ms,
        error_type: row.error_type,
        incomplete_reason: row.incomplete_reason as ResultRow["incomplete_reason"],
      };
      aggregator.add(result);
    }
  }

  const notable = aggregator.notable();
  const refs = new Map(
    [...notable.slowest, ...notable.most_expensive].map((ref) => [
      `${ref.item_id}\u0000${ref.variant_id}\u0000${ref.repeat}`,
      ref,
    ]),
  );
  const items: ReportItem[] = [];
  for (const [cell, ref] of refs) {
    const jobId = jobOf.get(cell);
    const job = jobId === undefined ? undefined : await store.jobs.get(jobId);
    const result = jobId === undefined ? undefined : await store.batches.resultFor(jobId);
    if (job === undefined || result === undefined) continue;
    const [stored] = await store.datasets.items(batch.dataset_id, result.item_idx, result.item_idx + 1);
    const item = { ...((stored?.item ?? {}) as Omit<DatasetItem, "id">), id: ref.item_id };
    items.push({
      item_id: ref.item_id,
      variant_id: ref.variant_id,
      repeat: ref.repeat,
      status: job.status as ReportItem["status"],
      correct: result.correct,
      prompt: itemPromptText(item as DatasetItem),
      expected: expectedText(item),
      answer: job.output?.answer ?? null,
      reasoning: job.output?.reasoning ?? null,
      extracted: result.extracted,
      cost: job.cost_total ?? "0",
      latency_ms: ref.latency_ms,
      reasoning_tokens: job.usage?.reasoning_tokens ?? null,
    });
  }

  const variants = aggregator.summary();
  const [first, ...others] = variants;
  const comparisons =
    first !== undefined && others.length > 0 && others.length <= 5
      ? others.map((v) => aggregator.compare(first.variant.id, v.variant.id))
      : [];
  return renderReport({
    batch: {
      id: batch.id,
      name: batch.name,
      created_at: batch.created_at.toISOString(),
      completed_at: batch.completed_at?.toISOString() ?? null,
      status: batch.status,
      dataset: batch.dataset_id,
      scorer: scorerText(spec.scorer),
      items: batch.item_count,
      repeats: batch.repeats,
      max_cost_usd: batch.max_cost_usd,
      ...(spec.lane === "provider_batch"
        ? {
            lane: spec.lane,
            provider_batch_saving: providerBatchSaving(await store.providerBatches.costsOfBatch(batch.id)),
          }
        : {}),
    },
    variants,
    comparisons,
    items,
    generated_at: new Date().toISOString(),
  });
}
