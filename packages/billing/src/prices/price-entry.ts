import type { UnitPrices } from "@reasonq/core";

/**
 * One price of one model, in force from `effective_from` (a UTC date, inclusive) until the
 * next entry for the same model. A price change is a new entry, never an edit, so a job
 * can always be re-priced as it was billed.
 */
export interface PriceEntry {
  /** The catalog id, `provider/model`. */
  model: string;
  effective_from: string;
  /** USD per million tokens, as decimal strings. */
  prices: UnitPrices;
  /** Where the price comes from and when it was checked; frozen on every job. */
  source: string;
}
