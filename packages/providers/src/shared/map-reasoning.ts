import { REASONING_EFFORTS, type ReasoningEffort, type Warning } from "@reasonq/core";

/** A mapped control and what was adapted on the way; the warnings land on the job. */
export interface Mapped<T> {
  value: T;
  warnings: Warning[];
}

/** Thinking tokens an effort stands for. A provider table may leave efforts out. */
export type EffortBudgets = Readonly<Partial<Record<ReasoningEffort, number>>>;

/**
 * The default effort ↔ budget table, for providers whose knob is a token budget and that
 * publish no mapping of their own. low/medium/high follow Google's OpenAI-compatible
 * mapping (1024 / 8192 / 24576); the ends extend it by roughly doubling.
 *
 * | effort  | budget |
 * | ------- | ------ |
 * | minimal |    512 |
 * | low     |   1024 |
 * | medium  |   8192 |
 * | high    |  24576 |
 * | xhigh   |  32768 |
 * | max     |  65536 |
 */
export const DEFAULT_EFFORT_BUDGETS = {
  minimal: 512,
  low: 1024,
  medium: 8192,
  high: 24576,
  xhigh: 32768,
  max: 65536,
} as const satisfies Record<ReasoningEffort, number>;

const rank = (effort: ReasoningEffort) => REASONING_EFFORTS.indexOf(effort);

/**
 * The supported effort closest to the one asked for. On a tie the higher effort wins:
 * a model that thinks a little more is a smaller surprise than one that thinks less.
 */
export function nearestEffort(effort: ReasoningEffort, supported: readonly ReasoningEffort[]): Mapped<ReasoningEffort> {
  if (supported.length === 0) throw new Error("nearestEffort needs at least one supported effort");
  if (supported.includes(effort)) return { value: effort, warnings: [] };
  let best = supported[0] as ReasoningEffort;
  for (const candidate of supported) {
    const d = Math.abs(rank(candidate) - rank(effort));
    const bestD = Math.abs(rank(best) - rank(effort));
    if (d < bestD || (d === bestD && rank(candidate) > rank(best))) best = candidate;
  }
  return {
    value: best,
    warnings: [
      {
        type: "adapted",
        field: "reasoning.effort",
        message: `effort "${effort}" is not offered by this model; "${best}" was used (supported: ${supported.join(", ")})`,
      },
    ],
  };
}

function efforts(table: EffortBudgets): ReasoningEffort[] {
  return REASONING_EFFORTS.filter((e) => table[e] !== undefined);
}

/** Effort → the table's budget; an effort missing from the table takes its nearest neighbour's. */
export function effortToBudget(effort: ReasoningEffort, table: EffortBudgets): Mapped<number> {
  const { value: used, warnings } = nearestEffort(effort, efforts(table));
  return { value: table[used] as number, warnings };
}

/**
 * Budget → the largest effort whose budget fits within it (a budget is a cap, so the
 * mapping never spends more than asked); below the smallest, the smallest effort.
 * Always warns: an effort-only model cannot honour an exact token budget.
 */
export function budgetToEffort(budget: number, table: EffortBudgets): Mapped<ReasoningEffort> {
  const available = efforts(table);
  if (available.length === 0) throw new Error("budgetToEffort needs a non-empty table");
  let chosen = available[0] as ReasoningEffort;
  for (const effort of available) if ((table[effort] as number) <= budget) chosen = effort;
  return {
    value: chosen,
    warnings: [
      {
        type: "adapted",
        field: "reasoning.budget_tokens",
        message: `this model takes an effort, not a token budget: budget_tokens ${budget} was mapped to effort "${chosen}" (about ${table[chosen]} tokens)`,
      },
    ],
  };
}

/** Keeps a budget inside a provider's accepted range, saying so when it moves. */
export function clampBudget(budget: number, range: { min: number; max: number }): Mapped<number> {
  const value = Math.min(range.max, Math.max(range.min, budget));
  if (value === budget) return { value, warnings: [] };
  return {
    value,
    warnings: [
      {
        type: "adapted",
        field: "reasoning.budget_tokens",
        message: `budget_tokens ${budget} is outside this model's range ${range.min}–${range.max}; ${value} was used`,
      },
    ],
  };
}
