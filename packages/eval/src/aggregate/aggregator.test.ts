import { describe, expect, it } from "vitest";
import { expandVariants } from "../grid.ts";
import { Aggregator, aggregate } from "./aggregator.ts";
import { compareVariants } from "./compare.ts";
import type { ResultRow } from "./result-row.ts";

const { variants } = expandVariants({ models: ["sim/reasoner", "sim/hasty"], efforts: ["high"] });
const [REASONER, HASTY] = variants.map((v) => v.id) as [string, string];

const row = (over: Partial<ResultRow>): ResultRow => ({
  item_id: "q1",
  variant_id: REASONER,
  repeat: 0,
  status: "succeeded",
  correct: true,
  reasoning_tokens: 100,
  output_tokens: 110,
  cost: "0.00044",
  latency_ms: 1000,
  ...over,
});

describe("aggregate", () => {
  it("summarises accuracy, tokens, exact costs, latency and outcomes per variant", () => {
    const rows: ResultRow[] = [
      row({ item_id: "q1", reasoning_tokens: 100, latency_ms: 1000, cost: "0.1" }),
      row({ item_id: "q2", reasoning_tokens: 200, latency_ms: 2000, cost: "0.2" }),
      row({ item_id: "q3", correct: false, reasoning_tokens: 300, latency_ms: 3000, cost: "0.3" }),
      row({
        item_id: "q4",
        status: "incomplete",
        incomplete_reason: "max_output_tokens",
        correct: null,
        reasoning_tokens: 400,
        latency_ms: 4000,
        cost: "0.4",
      }),
      row({
        item_id: "q5",
        status: "incomplete",
        incomplete_reason: "content_filter",
        correct: null,
        reasoning_tokens: 0,
        latency_ms: 500,
        cost: "0",
      }),
      row({
        item_id: "q6",
        status: "failed",
        error_type: "provider_timeout",
        correct: null,
        reasoning_tokens: null,
        output_tokens: null,
        latency_ms: null,
        cost: "0.0000001",
      }),
      row({
        item_id: "q7",
        status: "failed",
        correct: null,
        reasoning_tokens: null,
        output_tokens: null,
        latency_ms: null,
        cost: "0",
      }),
      row({ item_id: "q8", status: "cancelled", correct: null, reasoning_tokens: 50, latency_ms: 100, cost: "0.05" }),
      row({ item_id: "q9", correct: null, cost: "0" }),
    ];
    const [reasoner, hasty] = aggregate(rows, { variants });
    expect(reasoner).toMatchObject({
      n: 9,
      graded: 5,
      correct: 2,
      accuracy: 0.4,
      total_cost: "1.0500001",
      mean_cost: "0.116666677778",
      cost_per_correct: "0.52500005",
      outcomes: {
        succeeded: 4,
        truncated: 1,
        refused: 1,
        failed: 2,
        cancelled: 1,
        failed_by_type: { provider_timeout: 1, unknown: 1 },
      },
      pass_at_k: null,
      majority_vote: null,
    });
    expect(reasoner?.accuracy_ci?.low).toBeCloseTo(0.1176, 4);
    expect(reasoner?.accuracy_ci?.high).toBeCloseTo(0.7693, 4);
    expect(reasoner?.reasoning_tokens).toMatchObject({ n: 7, min: 0, p50: 100, max: 400 });
    expect(reasoner?.latency_ms?.p95).toBeCloseTo(3700, 6);
    expect(hasty).toMatchObject({
      n: 0,
      accuracy: null,
      accuracy_ci: null,
      total_cost: "0",
      mean_cost: null,
      cost_per_correct: null,
    });
  });

  it("marks the cost–accuracy frontier", () => {
    const rows = [
      row({ variant_id: REASONER, item_id: "a", correct: true, cost: "0.001" }),
      row({ variant_id: REASONER, item_id: "b", correct: true, cost: "0.001" }),
      row({ variant_id: HASTY, item_id: "a", correct: true, cost: "0.00001" }),
      row({ variant_id: HASTY, item_id: "b", correct: false, cost: "0.00001" }),
    ];
    const summaries = aggregate(rows, { variants });
    expect(summaries.map((s) => s.on_frontier)).toEqual([true, true]);
    const dominated = aggregate(
      rows.map((r) => (r.variant_id === HASTY ? { ...r, cost: "0.002" } : r)),
      { variants },
    );
    expect(dominated.map((s) => s.on_frontier)).toEqual([true, false]);
  });

  it("computes pass@k and majority vote with repeats", () => {
    // q1: 2 of 5 right (pass@1 0.4 … pass@4 1); q2: 5 of 5 right.
    const answers = ["41", "391", "41", "391", "40"];
    const rows = [
      ...answers.map((extracted, repeat) => row({ item_id: "q1", repeat, extracted, correct: extracted === "391" })),
      ...answers.map((_, repeat) => row({ item_id: "q2", repeat, extracted: "7", correct: true })),
    ];
    const [reasoner] = aggregate(rows, { variants, repeats: 5 });
    expect(reasoner?.pass_at_k?.map((p) => Number(p.value.toFixed(12)))).toEqual([0.7, 0.85, 0.95, 1, 1]);
    // q1 votes "41" (2 votes, first to reach 2) → wrong; q2 → right.
    expect(reasoner?.majority_vote).toMatchObject({ items: 2, correct: 1, accuracy: 0.5 });
  });

  it("falls back to voting on verdicts when nothing was extracted", () => {
    const rows = [0, 1, 2].map((repeat) => row({ repeat, correct: repeat !== 0 }));
    const [reasoner] = aggregate(rows, { variants, repeats: 3 });
    expect(reasoner?.majority_vote).toMatchObject({ items: 1, correct: 1 });
  });

  it("refuses rows it cannot place", () => {
    const aggregator = new Aggregator({ variants });
    expect(() => aggregator.add(row({ variant_id: "nope" }))).toThrow(/unknown variant/);
    expect(() => aggregator.add(row({ repeat: 1 }))).toThrow(/repeat 1/);
  });

  it("remembers the slowest and the most expensive rows, bounded", () => {
    const aggregator = new Aggregator({ variants, notable: 2 });
    for (let i = 0; i < 50; i++) {
      aggregator.add(row({ item_id: `q${i}`, latency_ms: (i * 37) % 50, cost: `0.${String(i).padStart(3, "0")}` }));
    }
    const { slowest, most_expensive } = aggregator.notable();
    expect(slowest.map((r) => r.latency_ms)).toEqual([49, 48]);
    expect(most_expensive.map((r) => r.item_id)).toEqual(["q49", "q48"]);
  });
});

describe("paired comparison", () => {
  const rows: ResultRow[] = [];
  // 20 items: both right on 10, only the reasoner on 8, only hasty on 1, neither on 1.
  for (let i = 0; i < 20; i++) {
    const r = i < 18;
    const h = i < 10 || i === 18;
    rows.push(row({ item_id: `q${i}`, variant_id: REASONER, correct: r }));
    rows.push(row({ item_id: `q${i}`, variant_id: HASTY, correct: h }));
  }
  rows.push(row({ item_id: "only-one-side", variant_id: REASONER }));
  rows.push(row({ item_id: "failed", variant_id: REASONER, status: "failed", correct: null }));
  rows.push(row({ item_id: "failed", variant_id: HASTY, correct: true }));

  it("pairs cells graded for both and runs McNemar and the bootstrap", () => {
    const result = compareVariants(rows, HASTY, REASONER);
    expect(result).toMatchObject({
      pairs: 20,
      both: 10,
      only_a: 1,
      only_b: 8,
      neither: 1,
      accuracy_a: 0.55,
      accuracy_b: 0.9,
    });
    expect(result.difference).toBeCloseTo(0.35, 12);
    expect(result.mcnemar.method).toBe("exact");
    expect(result.mcnemar.p_value).toBeCloseTo(0.0390625, 10); // 2·(1 + 9)/512
    expect(result.bootstrap.low).toBeGreaterThan(0);
  });

  it("gives the same answer from the streaming aggregator", () => {
    const aggregator = new Aggregator({ variants, trackPairs: true });
    for (const r of rows) aggregator.add(r);
    expect(aggregator.compare(HASTY, REASONER)).toEqual(compareVariants(rows, HASTY, REASONER));
    expect(() => new Aggregator({ variants }).compare(HASTY, REASONER)).toThrow(/trackPairs/);
  });
});
