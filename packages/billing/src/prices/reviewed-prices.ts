import { DEEPSEEK_PRICES } from "./deepseek-prices.ts";
import type { PriceEntry } from "./price-entry.ts";
import { SIM_PRICES } from "./sim-prices.ts";

/**
 * reasonq's own reviewed price table, which takes precedence over the library's data:
 * the offline `sim` models, DeepSeek (whose time-of-day rules the library cannot express),
 * and day-0 models that have a public price the pinned library does not list yet. A model without a public price (`theagentic/agentic-large`) is
 * deliberately absent: it has no cost until its provider publishes one, and a placeholder
 * number would bill users with a price nobody stated.
 */
/**
 * Catalog models that have no public per-token price, and so no price in reasonq: their
 * jobs are refused as "no price" rather than billed with a made-up number. A consistency
 * test across packages can require a price for every other catalog model.
 */
export const MODELS_WITHOUT_PUBLIC_PRICE: Readonly<Record<string, string>> = {
  "theagentic/agentic-large": "TheAgentic publishes no per-token price",
};

const ANTHROPIC_MODELS = "https://platform.claude.com/docs/en/models";
const day0 = (what: string) => `reasonq reviewed price list, checked 2026-11-22; Anthropic ${what}`;

/**
 * Models released after the pinned library's data (2026-09-23). Remove an entry once the
 * library lists the model with the same prices.
 */
export const DAY0_PRICES: readonly PriceEntry[] = [
  {
    model: "anthropic/claude-sonnet-5-5",
    effective_from: "2026-09-28",
    prices: { input: "2", cached_input: "0.20", cache_write: "2.50", output: "10" },
    source: day0(`model page ${ANTHROPIC_MODELS}/sonnet-5-5/overview (released 2026-09-28)`),
  },
  {
    model: "anthropic/claude-haiku-5-5",
    effective_from: "2026-10-07",
    prices: { input: "0.10", cached_input: "0.01", cache_write: "0.125", output: "0.50" },
    tiers: [
      {
        above_input_tokens: 100_000,
        prices: { input: "0.50", cached_input: "0.05", cache_write: "0.625", output: "2.50" },
      },
    ],
    source: day0(`model page ${ANTHROPIC_MODELS}/haiku-5-5/overview (released 2026-10-07)`),
  },
];

export const REVIEWED_PRICES: readonly PriceEntry[] = [...SIM_PRICES, ...DEEPSEEK_PRICES, ...DAY0_PRICES];
