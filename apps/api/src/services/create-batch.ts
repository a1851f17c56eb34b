import { newId, type ParsedBatchRequest, ReasonqError } from "@reasonq/core";
import { type DatasetItem, DatasetStream, ScorerConfigSchema, variantsFrom } from "@reasonq/eval";
import { type BatchSpec, type JobOwner, type PlanDeps, planJob, specOf, variantRequest } from "@reasonq/jobs";
import type { JobQueues } from "@reasonq/queue";
import type { BatchRow, Store } from "@reasonq/store";
import { storeDataset } from "./store-dataset.ts";
import { checkWebhookUrl, type WebhookIntake } from "./webhook-intake.ts";

export interface BatchDeps extends PlanDeps {
  store: Store;
  queues: JobQueues;
  /** Set when the server sends webhooks; without it a webhook_url is refused. */
  webhooks?: WebhookIntake;
}

/** Stands in for the dataset's items while the variants are checked. */
const PROBE_ITEM: DatasetItem = { id: "probe", prompt: "probe" };

/**
 * Checks every variant by planning its job the way fan-out will (same request mapping,
 * same planner, so a control a model cannot honour is refused now, not 100,000 times
 * later), stores inline items as a dataset, writes the batch and asks for its first
 * fan-out step.
 */
export async function createBatch(deps: BatchDeps, owner: JobOwner, body: ParsedBatchRequest): Promise<BatchRow> {
  const scorer = ScorerConfigSchema.safeParse(body.scorer);
  if (!scorer.success) {
    const issue = scorer.error.issues[0];
    throw new ReasonqError("invalid_request", `scorer: ${issue?.message ?? "invalid"}`, {
      field: ["scorer", ...(issue?.path ?? [])].join("."),
    });
  }

  const variants = body.variants.map((variant, i) => {
    const spec = specOf(variantRequest(PROBE_ITEM, variant), `variants[${i}].`);
    try {
      const { row } = planJob(spec, owner, deps, { costLimited: body.max_cost_usd !== undefined });
      const reasoning =
        spec.reasoning.effort === undefined
          ? variant.reasoning
          : { ...variant.reasoning, effort: spec.reasoning.effort };
      return { ...variant, model: row.model, ...(reasoning === undefined ? {} : { reasoning }) };
    } catch (error) {
      if (ReasonqError.is(error)) {
        throw new ReasonqError(error.type, `variants[${i}]: ${error.message}`, {
          field: `variants[${i}].${error.field ?? "model"}`,
        });
      }
      throw error;
    }
  });
  const labelled = variantsFrom(
    variants.map((v) => ({
      model: v.model,
      ...(v.reasoning === undefined ? {} : { reasoning: v.reasoning }),
      ...(v.label === undefined ? {} : { label: v.label }),
    })),
  );
  const spec: BatchSpec = {
    variants: variants.map((v, i) => {
      const grid = labelled[i];
      if (grid === undefined) throw new Error(`variant ${i} has no label`);
      return { ...v, id: grid.id, label: grid.label, setting: grid.setting };
    }),
    scorer: scorer.data,
    repeats: body.repeats,
    ...(body.lane === "provider_batch" ? { lane: body.lane } : {}),
  };

  await checkWebhookUrl(deps.webhooks, body.webhook_url);
  const dataset = await datasetOf(deps.store, owner.id, body);
  const batch = await deps.store.batches.create({
    id: newId("batch"),
    api_key_id: owner.id,
    name: body.name,
    dataset_id: dataset.id,
    spec,
    item_count: dataset.item_count,
    variant_count: variants.length,
    repeats: body.repeats,
    max_cost_usd: body.max_cost_usd ?? null,
    metadata: body.metadata ?? {},
    webhook_url: body.webhook_url ?? null,
  });
  await deps.queues.requestFanOut(batch.id, 0);
  return batch;
}

/** The batch's dataset: inline items stored now, or the key's uploaded dataset. */
async function datasetOf(
  store: Store,
  apiKeyId: string,
  body: ParsedBatchRequest,
): Promise<{ id: string; item_count: number }> {
  if (body.items !== undefined) {
    const lines = (async function* () {
      for (const item of body.items ?? []) yield JSON.stringify(item);
    })();
    return storeDataset(store, apiKeyId, `${body.name} (inline)`, "inline", new DatasetStream(lines, "jsonl"));
  }
  const dataset = await store.datasets.get(body.dataset_id ?? "", apiKeyId);
  if (dataset === undefined)
    throw new ReasonqError("not_found", `no dataset ${body.dataset_id}`, { field: "dataset_id" });
  return dataset;
}
