import type { PriceEntry } from "./price-entry.ts";

const SOURCE = "reasonq sim price list, as of 2026-11-01";
/** The sim has had these prices since before any reasonq job existed. */
const SINCE = "2026-01-01";

/** Non-zero on purpose: offline runs show real-looking costs. Sim models never cache, but are priced as if they could. */
export const SIM_PRICES: readonly PriceEntry[] = [
  {
    model: "sim/reasoner",
    effective_from: SINCE,
    prices: { input: "1.00", cached_input: "0.10", cache_write: "1.25", output: "4.00" },
    source: SOURCE,
  },
  {
    model: "sim/hasty",
    effective_from: SINCE,
    prices: { input: "0.20", cached_input: "0.02", cache_write: "0.25", output: "0.80" },
    source: SOURCE,
  },
  {
    model: "sim/echo",
    effective_from: SINCE,
    prices: { input: "0.10", cached_input: "0.01", cache_write: "0.125", output: "0.40" },
    source: SOURCE,
  },
];
