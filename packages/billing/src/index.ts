export { type ProviderBatchSaving, providerBatchSaving } from "./batch-saving.ts";
export { type BudgetCheck, checkBatchBudget, checkJobBudget, checkSpendCap, type MaxCost } from "./budgets.ts";
export { computeCost, sumCosts } from "./compute-cost.ts";
export {
  type CostEstimate,
  countInputTokens,
  DEFAULT_INPUT_SAFETY_MARGIN,
  type EstimateRequest,
  estimateMaxCost,
  estimateMaxTokens,
  INPUT_SAFETY_MARGIN,
} from "./estimate-cost.ts";
export { addDecimalStrings, type Money, money, toDecimalString, tokensCost } from "./money.ts";
export {
  createPriceCatalog,
  isPeak,
  type PriceCatalog,
  type PriceCatalogOptions,
  type PriceQuery,
  priceCatalog,
  priceFor,
  priceSnapshotFor,
} from "./price-catalog.ts";
export { type PricedUsage, priceUsage } from "./price-usage.ts";
export { type BatchDiscount, PROVIDER_BATCH_DISCOUNTS } from "./prices/batch-discounts.ts";
export { DEEPSEEK_PRICES } from "./prices/deepseek-prices.ts";
export { LIBRARY_DATA_DATE, LIBRARY_NAME, LIBRARY_VERSION } from "./prices/library-prices.ts";
export type { PeakHours, PriceEntry, PriceTier } from "./prices/price-entry.ts";
export { DAY0_PRICES, MODELS_WITHOUT_PUBLIC_PRICE, REVIEWED_PRICES } from "./prices/reviewed-prices.ts";
export { SIM_PRICES } from "./prices/sim-prices.ts";
export { DEFAULT_IMAGE_INPUT_TOKENS, IMAGE_INPUT_TOKENS, TOOL_SYSTEM_PROMPT_TOKENS } from "./prompt-extras.ts";
