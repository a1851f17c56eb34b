import { type Cost, type PriceSnapshot, ReasonqError, type Usage } from "@reasonq/core";
import { addDecimalStrings, sum, toDecimalString, tokensCost } from "./money.ts";

/**
 * Usage × prices → cost lines (SPEC §4). The uncached input is what remains of
 * `input_tokens` after the cache reads and writes, which are parts of it; reasoning is billed
 * at the reasoning price where the catalog has one, else at the output price. Nothing is
 * rounded, so the lines add up to `total` to the last digit.
 */
export function computeCost(usage: Usage, snapshot: PriceSnapshot): Cost {
  const uncached = usage.input_tokens - usage.cached_input_tokens - usage.cache_write_tokens;
  if (uncached < 0) {
    throw new ReasonqError("internal_error", "usage has more cached and cache-write tokens than input tokens");
  }
  if (usage.reasoning_tokens + usage.answer_tokens !== usage.output_tokens) {
    throw new ReasonqError("internal_error", "usage breaks reasoning_tokens + answer_tokens = output_tokens");
  }
  const p = snapshot.unit_prices_per_million;
  const lines = {
    input: tokensCost(uncached, p.input),
    cached_input: tokensCost(usage.cached_input_tokens, p.cached_input),
    cache_write: tokensCost(usage.cache_write_tokens, p.cache_write),
    reasoning: tokensCost(usage.reasoning_tokens, p.reasoning ?? p.output),
    answer: tokensCost(usage.answer_tokens, p.output),
  };
  return {
    currency: "USD",
    input: toDecimalString(lines.input),
    cached_input: toDecimalString(lines.cached_input),
    cache_write: toDecimalString(lines.cache_write),
    reasoning: toDecimalString(lines.reasoning),
    answer: toDecimalString(lines.answer),
    total: toDecimalString(sum(Object.values(lines))),
    unit_prices_per_million: { ...p },
    price_source: snapshot.price_source,
  };
}

/**
 * The cost of several attempts of one job, line by line. They were priced from the job's
 * one frozen snapshot; costs priced differently cannot be merged into one line set.
 */
export function sumCosts(costs: readonly [Cost, ...Cost[]]): Cost {
  const [first] = costs;
  const prices = JSON.stringify(first.unit_prices_per_million);
  for (const cost of costs) {
    if (JSON.stringify(cost.unit_prices_per_million) !== prices || cost.price_source !== first.price_source) {
      throw new ReasonqError("internal_error", "cannot sum costs priced with different snapshots");
    }
  }
  const line = (key: "input" | "cached_input" | "cache_write" | "reasoning" | "answer" | "total") =>
    addDecimalStrings(costs.map((c) => c[key]));
  return {
    currency: "USD",
    input: line("input"),
    cached_input: line("cached_input"),
    cache_write: line("cache_write"),
    reasoning: line("reasoning"),
    answer: line("answer"),
    total: line("total"),
    unit_prices_per_million: { ...first.unit_prices_per_million },
    price_source: first.price_source,
  };
}
