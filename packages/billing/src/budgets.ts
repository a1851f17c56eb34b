import { ReasonqError } from "@reasonq/core";
import { type Money, money, sum, toDecimalString } from "./money.ts";

/** The outcome of a budget check: a refusal carries the `budget_exceeded` error (HTTP 402) to answer with. */
export type BudgetCheck = { ok: true } | { ok: false; error: ReasonqError };

const OK: BudgetCheck = { ok: true };
const usd = (value: Money) => `$${toDecimalString(value)}`;

function amount(value: string, what: string): Money {
  try {
    const parsed = money(value);
    if (parsed.isNegative()) throw new TypeError("negative");
    return parsed;
  } catch {
    throw new ReasonqError("invalid_request", `${what} must be a non-negative decimal amount, got ${value}`);
  }
}

function refuse(message: string, field?: string): BudgetCheck {
  return { ok: false, error: new ReasonqError("budget_exceeded", message, field === undefined ? {} : { field }) };
}

/** What a check needs from an estimate (`estimateMaxCost` gives it). */
export interface MaxCost {
  maxCost: string;
}

/**
 * A job's own `max_cost_usd`: refused at submit when its pre-flight maximum is above it.
 * No limit (undefined or null) always passes.
 */
export function checkJobBudget(maxCostUsd: string | null | undefined, estimate: MaxCost): BudgetCheck {
  if (maxCostUsd === undefined || maxCostUsd === null) return OK;
  const limit = amount(maxCostUsd, "max_cost_usd");
  const max = amount(estimate.maxCost, "the estimate");
  if (max.lessThanOrEqualTo(limit)) return OK;
  return refuse(
    `the job may cost up to ${usd(max)} (its prompt plus max_output_tokens at the model's prices), which is more than max_cost_usd ${usd(limit)}; lower max_output_tokens or raise max_cost_usd`,
    "max_cost_usd",
  );
}

/**
 * An API key's spend cap. `spent` is what the key has spent in the cap's period, plus the
 * maximum still to come of its unfinished jobs, so that no job is started that could take
 * the key past its cap. Refused once the cap is reached, and when this job's maximum does
 * not fit under what is left. No cap (undefined or null) always passes.
 */
export function checkSpendCap(cap: string | null | undefined, spent: string, estimate: MaxCost): BudgetCheck {
  if (cap === undefined || cap === null) return OK;
  const limit = amount(cap, "the spend cap");
  const used = amount(spent, "the amount spent");
  const max = amount(estimate.maxCost, "the estimate");
  if (used.greaterThanOrEqualTo(limit)) {
    return refuse(`this API key has reached its spend cap: ${usd(used)} spent of ${usd(limit)}`);
  }
  if (used.plus(max).lessThanOrEqualTo(limit)) return OK;
  return refuse(
    `the job may cost up to ${usd(max)}, and with ${usd(used)} already spent or committed this API key would pass its spend cap of ${usd(limit)} (${usd(limit.minus(used))} left)`,
  );
}

/**
 * A batch's budget: the sum of its jobs' maxima (plus what the batch already spent, when
 * jobs are added to a running batch) must fit under its `max_cost_usd`.
 */
export function checkBatchBudget(
  maxCostUsd: string | null | undefined,
  estimates: readonly MaxCost[],
  spent = "0",
): BudgetCheck {
  if (maxCostUsd === undefined || maxCostUsd === null) return OK;
  const limit = amount(maxCostUsd, "max_cost_usd");
  const used = amount(spent, "the amount spent");
  const max = sum(estimates.map((e) => amount(e.maxCost, "an estimate")));
  if (used.plus(max).lessThanOrEqualTo(limit)) return OK;
  const already = used.isZero() ? "" : ` on top of ${usd(used)} already spent`;
  return refuse(
    `the batch's ${estimates.length} jobs may cost up to ${usd(max)}${already}, which is more than its max_cost_usd ${usd(limit)}`,
    "max_cost_usd",
  );
}
