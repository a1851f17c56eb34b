import {
  isSpecProblem,
  type Lane,
  newId,
  type ParsedJobRequest,
  ReasonqError,
  toJobSpec,
  type Variant,
} from "@reasonq/core";
import { type DatasetItem, itemPrompt, type ScorerConfig } from "@reasonq/eval";
import type { AdapterRegistry, Catalog } from "@reasonq/providers";
import type { BatchRow, GridCell, NewJob } from "@reasonq/store";

/** What a batch stores about how to run and score its grid (`batches.spec`). */
export interface BatchSpec {
  variants: Array<Variant & { id: string; label: string }>;
  scorer: ScorerConfig;
  repeats: number;
  lane?: Lane;
}

/** The job request of one grid cell: the item's messages with the variant's model and reasoning. */
export function gridRequest(item: DatasetItem, variant: Variant, batchId: string): ParsedJobRequest {
  const request: ParsedJobRequest = {
    model: variant.model,
    ...itemPrompt(item),
    metadata: { batch_id: batchId, item_id: item.id },
  };
  if (variant.reasoning !== undefined) request.reasoning = variant.reasoning;
  if (variant.reasoning_effort !== undefined) request.reasoning_effort = variant.reasoning_effort;
  if (variant.max_output_tokens !== undefined) request.max_output_tokens = variant.max_output_tokens;
  if (variant.temperature !== undefined) request.temperature = variant.temperature;
  return request;
}

export interface GridDeps {
  catalog: Catalog;
  adapters: AdapterRegistry;
}

/** Builds the job row of a grid cell exactly as POST /v1/jobs would. */
export function gridJob(deps: GridDeps, batch: BatchRow, cell: GridCell): NewJob {
  const spec = batch.spec as unknown as BatchSpec;
  const variant = spec.variants[cell.variantIdx];
  if (variant === undefined) throw new Error(`batch ${batch.id} has no variant ${cell.variantIdx}`);
  const item = { ...(cell.item as Omit<DatasetItem, "id">), id: cell.itemId };
  const jobSpec = toJobSpec({ ...gridRequest(item, variant, batch.id), ...(spec.lane ? { lane: spec.lane } : {}) });
  if (isSpecProblem(jobSpec)) {
    throw new ReasonqError("invalid_request", `item ${cell.itemId}: ${jobSpec.message}`, { field: jobSpec.field });
  }
  const { model, warnings } = deps.catalog.resolve(jobSpec.model);
  const prepared = deps.adapters.get(model.provider).prepare(jobSpec, model);
  return {
    id: newId("job"),
    api_key_id: batch.api_key_id,
    model: model.id,
    provider: model.provider,
    spec: jobSpec,
    resolved_params: prepared.resolvedParams,
    metadata: jobSpec.metadata,
    warnings: [...warnings, ...prepared.warnings],
    batch_id: batch.id,
  };
}
