import {
  isSpecProblem,
  newId,
  type ParsedBatchRequest,
  type ReasoningControl,
  ReasonqError,
  toJobSpec,
  type Variant,
} from "@reasonq/core";
import { DatasetStream, ScorerConfigSchema, variantsFrom } from "@reasonq/eval";
import type { AdapterRegistry, Catalog } from "@reasonq/providers";
import type { JobQueues } from "@reasonq/queue";
import type { BatchRow, Store } from "@reasonq/store";
import { storeDataset } from "../routes/v1/datasets.ts";

export interface BatchDeps {
  store: Store;
  queues: JobQueues;
  catalog: Catalog;
  adapters: AdapterRegistry;
}

function reasoningOf(variant: Variant): ReasoningControl | undefined {
  if (variant.reasoning_effort === undefined) return variant.reasoning;
  if (variant.reasoning?.effort !== undefined && variant.reasoning.effort !== variant.reasoning_effort)
    return variant.reasoning;
  return { ...variant.reasoning, effort: variant.reasoning_effort };
}

/**
 * Checks every variant against its model the way a job would be checked (so a control a
 * model cannot honour is refused now, not 100,000 times later), stores inline items as a
 * dataset, writes the batch and asks for its first fan-out step.
 */
export async function createBatch(deps: BatchDeps, apiKeyId: string, body: ParsedBatchRequest): Promise<BatchRow> {
  const scorer = ScorerConfigSchema.safeParse(body.scorer);
  if (!scorer.success) {
    const issue = scorer.error.issues[0];
    throw new ReasonqError("invalid_request", `scorer: ${issue?.message ?? "invalid"}`, {
      field: ["scorer", ...(issue?.path ?? [])].join("."),
    });
  }

  const variants = body.variants.map((variant, i) => {
    const reasoning = reasoningOf(variant);
    const probe = toJobSpec({
      model: variant.model,
      prompt: "probe",
      ...(reasoning === undefined ? {} : { reasoning }),
      ...(variant.max_output_tokens === undefined ? {} : { max_output_tokens: variant.max_output_tokens }),
      ...(variant.temperature === undefined ? {} : { temperature: variant.temperature }),
    });
    if (isSpecProblem(probe)) {
      throw new ReasonqError("invalid_request", probe.message, { field: `variants[${i}].${probe.field}` });
    }
    try {
      const { model } = deps.catalog.resolve(variant.model);
      deps.adapters.get(model.provider).prepare(probe, model);
      return { ...variant, model: model.id, ...(reasoning === undefined ? {} : { reasoning }) };
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

  let datasetId: string;
  let itemCount: number;
  if (body.items !== undefined) {
    const lines = (async function* () {
      for (const item of body.items ?? []) yield JSON.stringify(item);
    })();
    const dataset = await storeDataset(
      deps.store,
      apiKeyId,
      `${body.name} (inline)`,
      "inline",
      new DatasetStream(lines, "jsonl"),
    );
    datasetId = dataset.id;
    itemCount = dataset.item_count;
  } else {
    const dataset = await deps.store.datasets.get(body.dataset_id ?? "", apiKeyId);
    if (dataset === undefined)
      throw new ReasonqError("not_found", `no dataset ${body.dataset_id}`, { field: "dataset_id" });
    datasetId = dataset.id;
    itemCount = dataset.item_count;
  }

  const batch = await deps.store.batches.create({
    id: newId("batch"),
    api_key_id: apiKeyId,
    name: body.name,
    dataset_id: datasetId,
    spec: {
      variants: variants.map((v, i) => ({
        ...v,
        id: labelled[i]?.id,
        label: labelled[i]?.label,
        setting: labelled[i]?.setting,
      })),
      scorer: scorer.data,
      repeats: body.repeats,
      ...(body.lane === "provider_batch" ? { lane: body.lane } : {}),
    },
    item_count: itemCount,
    variant_count: variants.length,
    repeats: body.repeats,
    max_cost_usd: body.max_cost_usd ?? null,
    metadata: body.metadata ?? {},
  });
  await deps.queues.requestFanOut(batch.id, 0);
  return batch;
}
