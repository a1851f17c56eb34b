import { type PriceSnapshot, ReasonqError, UnitPricesSchema } from "@reasonq/core";
import type { PriceEntry } from "./prices/price-entry.ts";
import { SIM_PRICES } from "./prices/sim-prices.ts";

export interface PriceCatalog {
  /** The prices in force for `modelId` at `at`, frozen into a snapshot for the job. */
  snapshotFor(modelId: string, at: Date): PriceSnapshot;
  entries(): readonly PriceEntry[];
}

const DATE = /^\d{4}-\d{2}-\d{2}$/;

/** Each price list (sim, later the real providers' and config overrides) is a list of entries. */
export function createPriceCatalog(entries: readonly PriceEntry[]): PriceCatalog {
  const byModel = new Map<string, Array<PriceEntry & { from: number }>>();
  for (const entry of entries) {
    if (!DATE.test(entry.effective_from) || Number.isNaN(Date.parse(entry.effective_from))) {
      throw new Error(`price for ${entry.model}: effective_from must be YYYY-MM-DD, got ${entry.effective_from}`);
    }
    UnitPricesSchema.parse(entry.prices);
    const list = byModel.get(entry.model) ?? [];
    if (list.some((e) => e.effective_from === entry.effective_from)) {
      throw new Error(`two prices for ${entry.model} from ${entry.effective_from}`);
    }
    list.push({ ...entry, from: Date.parse(entry.effective_from) });
    list.sort((a, b) => b.from - a.from);
    byModel.set(entry.model, list);
  }

  return {
    entries: () => entries,
    snapshotFor(modelId, at) {
      const list = byModel.get(modelId);
      if (list === undefined) {
        throw new ReasonqError(
          "unknown_model",
          `there is no price for model "${modelId}", so its cost cannot be computed`,
          {
            field: "model",
          },
        );
      }
      const entry = list.find((e) => e.from <= at.getTime());
      if (entry === undefined) {
        const first = list[list.length - 1]?.effective_from;
        throw new ReasonqError(
          "unknown_model",
          `there is no price for model "${modelId}" on ${at.toISOString()}: its prices start on ${first}`,
          { field: "model" },
        );
      }
      return { currency: "USD", unit_prices_per_million: { ...entry.prices }, price_source: entry.source };
    },
  };
}

export const priceCatalog: PriceCatalog = createPriceCatalog(SIM_PRICES);

export function priceSnapshotFor(modelId: string, at: Date): PriceSnapshot {
  return priceCatalog.snapshotFor(modelId, at);
}
