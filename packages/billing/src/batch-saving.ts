import { money, sum, toDecimalString } from "./money.ts";
import { PROVIDER_BATCH_DISCOUNTS } from "./prices/batch-discounts.ts";

export interface ProviderBatchSaving {
  /** What the jobs sent through provider batch APIs cost. */
  spent_usd: string;
  /** What the same usage costs at the interactive price. */
  interactive_usd: string;
  saved_usd: string;
}

/**
 * The saving of the provider_batch lane: each family's batch cost divided by its batch
 * factor is the interactive price of the same usage (every line is scaled alike), exactly.
 */
export function providerBatchSaving(costs: ReadonlyArray<{ family: string; cost: string }>): ProviderBatchSaving {
  const spent = sum(costs.map((c) => money(c.cost)));
  const interactive = sum(
    costs.map((c) => {
      const discount = PROVIDER_BATCH_DISCOUNTS[c.family];
      return discount === undefined ? money(c.cost) : money(c.cost).div(discount.factor);
    }),
  );
  return {
    spent_usd: toDecimalString(spent),
    interactive_usd: toDecimalString(interactive),
    saved_usd: toDecimalString(interactive.minus(spent)),
  };
}
