import type { UnitPrices } from "@reasonq/core";

/**
 * One price of one model, in force from `effective_from` until the next entry for the same
 * model. A price change is a new entry, never an edit, so a job can always be re-priced as
 * it was billed.
 */
export interface PriceEntry {
  /** The catalog id, `provider/model`. */
  model: string;
  /**
   * When the price starts: a UTC date (`2026-08-17`, from 00:00 UTC) or an instant
   * (`2026-08-16T16:00:00Z`) for providers that change prices at another hour.
   */
  effective_from: string;
  /** USD per million tokens, as decimal strings: the standard (or off-peak) prices. */
  prices: UnitPrices;
  /**
   * Long-context prices: when the request's `input_tokens` (every prompt token, cache reads
   * and writes included) is above `above_input_tokens`, the whole request is billed at the
   * tier's prices (Gemini 2.5 Pro above 200k, gpt-5.x above 272k). The highest tier the
   * request is above wins.
   */
  tiers?: readonly PriceTier[];
  /** Time-of-day prices (DeepSeek's peak hours): inside these hours `peak.prices` apply instead. */
  peak?: PeakHours;
  /** Where the price comes from and when it was checked; frozen on every job. */
  source: string;
}

export interface PriceTier {
  above_input_tokens: number;
  prices: UnitPrices;
}

export interface PeakHours {
  /** The clock the provider states its hours in, as minutes east of UTC (Beijing: 480). */
  utc_offset_minutes: number;
  /** ISO weekdays on that clock (1 = Monday … 7 = Sunday) that have peak hours. */
  days: readonly number[];
  /** `["09:00", "12:00"]`: from the first time (inclusive) to the second (exclusive), on that clock. */
  windows: ReadonlyArray<readonly [string, string]>;
  prices: UnitPrices;
  /** How a snapshot names the two rates, e.g. `peak hours` / `off-peak`. */
  label: string;
  otherwise_label: string;
}
