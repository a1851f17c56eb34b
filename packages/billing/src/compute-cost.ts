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
  // 1-hour cache writes (a part of the writes) cost more than the 5-minute ones.
  const longWrites = Math.min(usage.cache_write_1h_tokens ?? 0, usage.cache_write_tokens);
  const lines = {
    input: tokensCost(uncached, p.input),
    cached_input: tokensCost(usage.cached_input_tokens, p.cached_input),
    cache_write: sum([
      tokensCost(usage.cache_write_tokens - longWrites, p.cache_write),
      tokensCost(longWrites, p.cache_write_1h ?? p.cache_write),
    ]),
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
 * The cost of several attempts of one job, line by line, exactly. Each attempt is priced at
 * its own start and for its own prompt size, so attempts may carry different snapshots (a
 * retry that crossed a dated change, DeepSeek's peak hours or a long-context tier). Then the
 * sum carries the last attempt's unit prices and a `price_source` that names every snapshot
 * used; each attempt keeps its own snapshot in the ledger.
 */
export function sumCosts(costs: readonly [Cost, ...Cost[]]): Cost {
  const last = costs[costs.length - 1] as Cost;
  const sources: string[] = [];
  const seen = new Set<string>();
  for (const cost of costs) {
    const u = cost.unit_prices_per_million;
    // Field by field: a cost read back from jsonb has its keys in another order.
    const key = JSON.stringify([
      u.input,
      u.cached_input,
      u.cache_write,
      u.output,
      u.reasoning ?? null,
      cost.price_source,
    ]);
    if (seen.has(key)) continue;
    seen.add(key);
    sources.push(cost.price_source);
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
    unit_prices_per_million: { ...last.unit_prices_per_million },
    price_source: seen.size === 1 ? last.price_source : `${seen.size} price snapshots: ${sources.join(" | ")}`,
  };
}
