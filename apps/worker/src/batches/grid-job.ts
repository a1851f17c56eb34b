import {
  type BatchItem,
  isSpecProblem,
  newId,
  type ParsedJobRequest,
  ReasonqError,
  toJobSpec,
  type Variant,
} from "@reasonq/core";
import type { AdapterRegistry, Catalog } from "@reasonq/providers";
import type { BatchRow, GridCell, NewJob } from "@reasonq/store";

/** What a batch stores about how to run and score its grid (`batches.spec`). */
export interface BatchSpec {
  variants: Array<Variant & { label: string }>;
  scorer: { type: string } & Record<string, unknown>;
  repeats: number;
}

const LETTERS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ";

/** The user message of an item; multiple-choice options are listed as lettered lines. */
export function itemPrompt(item: BatchItem): string | undefined {
  if (item.prompt === undefined) return undefined;
  if (item.choices === undefined || item.choices.length === 0) return item.prompt;
  const options = item.choices.map((choice, i) => `${LETTERS[i]}) ${choice}`).join("\n");
  return `${item.prompt}\n\n${options}\n\nAnswer with the letter of the correct option.`;
}

/** The job request of one grid cell: the item's messages with the variant's model and reasoning. */
export function gridRequest(item: BatchItem, variant: Variant, batchId: string, itemId: string): ParsedJobRequest {
  const request: ParsedJobRequest = {
    model: variant.model,
    metadata: { batch_id: batchId, item_id: itemId },
  };
  const prompt = itemPrompt(item);
  if (prompt !== undefined) request.prompt = prompt;
  if (item.messages !== undefined) request.messages = item.messages;
  if (item.system !== undefined) request.system = item.system;
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
  const jobSpec = toJobSpec(gridRequest(cell.item as BatchItem, variant, batch.id, cell.itemId));
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
