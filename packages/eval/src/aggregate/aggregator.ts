import { type Money, money, toDecimalString } from "@reasonq/billing";
import type { Variant } from "../grid.ts";
import { majorityVote, type Vote } from "../stats/majority-vote.ts";
import { paretoFrontier } from "../stats/pareto.ts";
import { meanPassAtK } from "../stats/pass-at-k.ts";
import { type Distribution, describe } from "../stats/quantile.ts";
import { type Interval, wilsonInterval } from "../stats/wilson.ts";
import { type PairedComparison, pairedComparison } from "./compare.ts";
import { gradeOf, type ResultRow } from "./result-row.ts";
import { type RowRef, TopRows } from "./top-rows.ts";

/** Costs divided by a count (mean cost, cost per correct) are rounded to this many decimal places of USD. */
export const COST_RATIO_DECIMALS = 12;

export interface OutcomeMix {
  succeeded: number;
  /** Incomplete because the output limit was reached (usually while reasoning). */
  truncated: number;
  /** Incomplete because a content filter stopped the answer. */
  refused: number;
  failed: number;
  cancelled: number;
  /** Failed jobs by error type (`provider_timeout`, `rate_limited`, …; `unknown` when none was given). */
  failed_by_type: Record<string, number>;
}

export interface VariantSummary {
  variant: Variant;
  /** Result rows seen (all statuses). */
  n: number;
  /** Rows counted in accuracy (see `gradeOf`). */
  graded: number;
  correct: number;
  /** correct / graded; null when nothing was graded. */
  accuracy: number | null;
  /** 95% Wilson interval of `accuracy`. */
  accuracy_ci: Interval | null;
  /** Over rows that reported usage. */
  reasoning_tokens: Distribution | null;
  output_tokens_mean: number | null;
  /** Exact sum of every row's cost (failed attempts included), USD. */
  total_cost: string;
  /** total_cost / n, rounded to COST_RATIO_DECIMALS; null with no rows. */
  mean_cost: string | null;
  /** total_cost / correct, rounded to COST_RATIO_DECIMALS; null when nothing was correct. */
  cost_per_correct: string | null;
  latency_ms: Distribution | null;
  outcomes: OutcomeMix;
  /** On the cost–accuracy frontier of the batch (mean cost vs accuracy). */
  on_frontier: boolean;
  /** With repeats > 1: pass@k for k = 1..repeats, averaged over items (unbiased estimator). */
  pass_at_k: Array<{ k: number; value: number }> | null;
  /** With repeats > 1: accuracy of the most common extracted answer per item. */
  majority_vote: { items: number; correct: number; accuracy: number; accuracy_ci: Interval } | null;
}

export interface AggregatorOptions {
  variants: readonly Variant[];
  repeats?: number;
  /** Keep each graded cell's verdict so `compare(a, b)` can pair variants (one map entry per graded row). */
  trackPairs?: boolean;
  /** How many slowest and most expensive rows to remember (default 10). */
  notable?: number;
}

interface ItemTally {
  n: number;
  c: number;
  answers: Array<string | null>;
  verdicts: boolean[];
}

class VariantState {
  n = 0;
  graded = 0;
  correct = 0;
  cost: Money = money("0");
  readonly reasoning: number[] = [];
  outputSum = 0;
  outputCount = 0;
  readonly latency: number[] = [];
  readonly outcomes: OutcomeMix = {
    succeeded: 0,
    truncated: 0,
    refused: 0,
    failed: 0,
    cancelled: 0,
    failed_by_type: {},
  };
  /** Per item, only with repeats > 1 (pass@k and majority vote need them). */
  readonly items = new Map<string, ItemTally>();
  /** `${item}\u0000${repeat}` → verdict, only with trackPairs. */
  readonly cells = new Map<string, boolean>();
}

/**
 * Folds result rows into per-variant summaries, one row at a time, in any order. Memory
 * per variant: counters, the exact cost sum, and every reasoning-token and latency value
 * (two numbers per row, for exact quantiles — 100,000 rows is under 2 MB); per item only
 * with repeats > 1, and per cell only with `trackPairs`.
 */
export class Aggregator {
  readonly #variants: readonly Variant[];
  readonly #states = new Map<string, VariantState>();
  readonly #repeats: number;
  readonly #trackPairs: boolean;
  readonly #slowest: TopRows<number>;
  readonly #expensive: TopRows<Money>;

  constructor(options: AggregatorOptions) {
    this.#variants = options.variants;
    this.#repeats = options.repeats ?? 1;
    this.#trackPairs = options.trackPairs ?? false;
    for (const v of options.variants) this.#states.set(v.id, new VariantState());
    this.#slowest = new TopRows<number>(options.notable ?? 10, (a, b) => a - b);
    this.#expensive = new TopRows<Money>(options.notable ?? 10, (a, b) => a.comparedTo(b));
  }

  add(row: ResultRow): void {
    const state = this.#states.get(row.variant_id);
    if (state === undefined) throw new RangeError(`row for unknown variant ${row.variant_id}`);
    if (row.repeat >= this.#repeats)
      throw new RangeError(`row repeat ${row.repeat} but the batch has ${this.#repeats}`);
    state.n++;
    const cost = money(row.cost);
    state.cost = state.cost.plus(cost);
    this.#countOutcome(state.outcomes, row);
    if (row.reasoning_tokens !== null) state.reasoning.push(row.reasoning_tokens);
    if (row.output_tokens !== null) {
      state.outputSum += row.output_tokens;
      state.outputCount++;
    }
    if (row.latency_ms !== null) state.latency.push(row.latency_ms);

    const ref: RowRef = {
      item_id: row.item_id,
      variant_id: row.variant_id,
      repeat: row.repeat,
      latency_ms: row.latency_ms,
      cost: row.cost,
    };
    if (row.latency_ms !== null) this.#slowest.offer(row.latency_ms, ref);
    this.#expensive.offer(cost, ref);

    const grade = gradeOf(row);
    if (grade === null) return;
    state.graded++;
    if (grade) state.correct++;
    if (this.#trackPairs) state.cells.set(`${row.item_id}\u0000${row.repeat}`, grade);
    if (this.#repeats > 1) {
      let tally = state.items.get(row.item_id);
      if (tally === undefined) {
        tally = { n: 0, c: 0, answers: [], verdicts: [] };
        state.items.set(row.item_id, tally);
      }
      tally.n++;
      if (grade) tally.c++;
      tally.answers.push(row.extracted ?? null);
      tally.verdicts.push(grade);
    }
  }

  #countOutcome(outcomes: OutcomeMix, row: ResultRow): void {
    switch (row.status) {
      case "succeeded":
        outcomes.succeeded++;
        return;
      case "incomplete":
        if (row.incomplete_reason === "content_filter") outcomes.refused++;
        else outcomes.truncated++;
        return;
      case "failed": {
        outcomes.failed++;
        const type = row.error_type ?? "unknown";
        outcomes.failed_by_type[type] = (outcomes.failed_by_type[type] ?? 0) + 1;
        return;
      }
      case "cancelled":
        outcomes.cancelled++;
        return;
    }
  }

  /** Per-variant summaries in the order the variants were given. */
  summary(): VariantSummary[] {
    const summaries = this.#variants.map((variant) => this.#summarize(variant));
    const frontier = new Set(
      paretoFrontier(
        summaries.flatMap((s) =>
          s.accuracy === null || s.mean_cost === null
            ? []
            : [{ id: s.variant.id, cost: s.mean_cost, accuracy: s.accuracy }],
        ),
      ),
    );
    for (const s of summaries) s.on_frontier = frontier.has(s.variant.id);
    return summaries;
  }

  #summarize(variant: Variant): VariantSummary {
    const s = this.#states.get(variant.id) as VariantState;
    const ratio = (count: number) =>
      count === 0 ? null : toDecimalString(s.cost.dividedBy(count).toDecimalPlaces(COST_RATIO_DECIMALS));
    return {
      variant,
      n: s.n,
      graded: s.graded,
      correct: s.correct,
      accuracy: s.graded === 0 ? null : s.correct / s.graded,
      accuracy_ci: s.graded === 0 ? null : wilsonInterval(s.correct, s.graded),
      reasoning_tokens: describe(s.reasoning),
      output_tokens_mean: s.outputCount === 0 ? null : s.outputSum / s.outputCount,
      total_cost: toDecimalString(s.cost),
      mean_cost: ratio(s.n),
      cost_per_correct: ratio(s.correct),
      latency_ms: describe(s.latency),
      outcomes: { ...s.outcomes, failed_by_type: { ...s.outcomes.failed_by_type } },
      on_frontier: false,
      pass_at_k: this.#repeats > 1 ? this.#passAtK(s) : null,
      majority_vote: this.#repeats > 1 ? majorityOf(s.items) : null,
    };
  }

  #passAtK(s: VariantState): Array<{ k: number; value: number }> | null {
    const out: Array<{ k: number; value: number }> = [];
    for (let k = 1; k <= this.#repeats; k++) {
      const value = meanPassAtK(s.items.values(), k);
      if (value !== null) out.push({ k, value });
    }
    return out.length === 0 ? null : out;
  }

  /** Paired comparison of two variants on the cells both graded (needs `trackPairs`). */
  compare(a: string, b: string, options: { bootstrapSeed?: number } = {}): PairedComparison {
    if (!this.#trackPairs) throw new Error("construct the Aggregator with trackPairs: true to compare variants");
    const cellsA = this.#states.get(a)?.cells;
    const cellsB = this.#states.get(b)?.cells;
    if (cellsA === undefined || cellsB === undefined) throw new RangeError(`unknown variant ${cellsA ? b : a}`);
    return pairedComparison(a, b, joinCells(cellsA, cellsB), options);
  }

  /** The slowest and the most expensive rows of the batch, for the report to fetch their reasoning. */
  notable(): { slowest: RowRef[]; most_expensive: RowRef[] } {
    return { slowest: this.#slowest.rows(), most_expensive: this.#expensive.rows() };
  }
}

function* joinCells(a: Map<string, boolean>, b: Map<string, boolean>): Generator<[boolean, boolean]> {
  for (const [key, verdictA] of a) {
    const verdictB = b.get(key);
    if (verdictB !== undefined) yield [verdictA, verdictB];
  }
}

/**
 * Majority vote per item over the repeats' extracted answers; the winning answer is right
 * when the rows that gave it were. Items whose rows extracted nothing vote on the verdicts
 * themselves (right when more than half were).
 */
function majorityOf(items: Map<string, ItemTally>): VariantSummary["majority_vote"] {
  if (items.size === 0) return null;
  let correct = 0;
  for (const tally of items.values()) {
    const vote: Vote = majorityVote(tally.answers);
    if (vote.answer === null) {
      if (tally.c * 2 > tally.n) correct++;
      continue;
    }
    const at = tally.answers.indexOf(vote.answer);
    if (tally.verdicts[at] === true) correct++;
  }
  return {
    items: items.size,
    correct,
    accuracy: correct / items.size,
    accuracy_ci: wilsonInterval(correct, items.size),
  };
}

/** `new Aggregator(options)`, every row added, then `summary()`. */
export function aggregate(rows: Iterable<ResultRow>, options: AggregatorOptions): VariantSummary[] {
  const aggregator = new Aggregator(options);
  for (const row of rows) aggregator.add(row);
  return aggregator.summary();
}
