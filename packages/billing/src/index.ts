export { computeCost, sumCosts } from "./compute-cost.ts";
export { addDecimalStrings, type Money, money, toDecimalString, tokensCost } from "./money.ts";
export { createPriceCatalog, type PriceCatalog, priceCatalog, priceSnapshotFor } from "./price-catalog.ts";
export type { PriceEntry } from "./prices/price-entry.ts";
export { SIM_PRICES } from "./prices/sim-prices.ts";
