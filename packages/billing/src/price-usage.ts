import { type Cost, type PriceSnapshot, ReasonqError, type Usage, type Warning } from "@reasonq/core";
import { computeCost } from "./compute-cost.ts";
import { type PriceCatalog, priceCatalog, priceFor } from "./price-catalog.ts";

export interface PricedUsage {
  cost: Cost | null;
  snapshot: PriceSnapshot | null;
  /** Set when the catalog has no price for the model: the usage is kept, no cost is invented. */
  warning?: Warning;
}

/**
 * Prices one provider call at `at` (its start: dated changes, peak hours) and for its
 * prompt size (long-context tiers). A model without a price is not an error here: the
 * call happened and its usage is kept, with a warning instead of a cost.
 */
export function priceUsage(
  modelId: string,
  at: Date,
  usage: Usage,
  catalog: PriceCatalog = priceCatalog,
  /** The call went through the provider's batch API: its batch discount applies. */
  options: { providerBatch?: boolean } = {},
): PricedUsage {
  try {
    const snapshot = priceFor(modelId, at, usage, catalog, options);
    return { cost: computeCost(usage, snapshot), snapshot };
  } catch (error) {
    if (!ReasonqError.is(error) || error.type !== "unknown_model") throw error;
    return {
      cost: null,
      snapshot: null,
      warning: { type: "unsupported", message: `${error.message}; the usage is kept, the cost is not computed` },
    };
  }
}
