import { addDecimalStrings } from "@reasonq/billing";
import { ReasonqError } from "@reasonq/core";
import type { DatasetItem } from "@reasonq/eval";
import type { BatchRow, GridCell, KeyCommitted } from "@reasonq/store";
import { type BatchSpec, variantRequest } from "./batch-spec.ts";
import { admitUnderCap, type PlanDeps, type PlannedJob, planJob, specOf } from "./plan-job.ts";

/** The job of one grid cell, planned exactly as POST /v1/jobs plans a job. */
export function planGridJob(
  deps: PlanDeps,
  batch: BatchRow,
  spec: BatchSpec,
  cell: GridCell,
  key: KeyCommitted | null,
): PlannedJob {
  const variant = spec.variants[cell.variantIdx];
  if (variant === undefined) throw new Error(`batch ${batch.id} has no variant ${cell.variantIdx}`);
  const item = { ...(cell.item as Omit<DatasetItem, "id">), id: cell.itemId };
  let jobSpec: ReturnType<typeof specOf>;
  try {
    const request = variantRequest(item, variant, { batch_id: batch.id, item_id: item.id });
    if (spec.lane !== undefined) request.lane = spec.lane;
    jobSpec = specOf(request);
  } catch (error) {
    if (!ReasonqError.is(error)) throw error;
    throw new ReasonqError(error.type, `item ${cell.itemId}: ${error.message}`, { field: error.field ?? "items" });
  }
  return planJob(jobSpec, { id: batch.api_key_id, spend_cap_usd: key?.spendCapUsd ?? null }, deps, {
    batchId: batch.id,
    costLimited: batch.max_cost_usd !== null,
  });
}

/**
 * The key's spend cap across one fan-out step: each admitted job's maximum is added to
 * what the key held when the step began, so a step cannot admit more than the cap leaves.
 */
export class StepAdmission {
  readonly #key: KeyCommitted | null;
  #reservedHere = "0";

  constructor(key: KeyCommitted | null) {
    this.#key = key;
  }

  /** True when the job fits (and is now counted); false when the key's cap has no room for it. */
  admit(planned: PlannedJob): boolean {
    if (this.#key === null || planned.estimate === null) return true;
    try {
      admitUnderCap(planned, {
        spent: this.#key.spent,
        reserved: addDecimalStrings([this.#key.reserved, this.#reservedHere]),
      });
    } catch (error) {
      if (ReasonqError.is(error) && error.type === "budget_exceeded") return false;
      throw error;
    }
    this.#reservedHere = addDecimalStrings([this.#reservedHere, planned.estimate.maxCost]);
    return true;
  }
}
