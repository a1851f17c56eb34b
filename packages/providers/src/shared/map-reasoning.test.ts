import { describe, expect, it } from "vitest";
import { budgetToEffort, clampBudget, DEFAULT_EFFORT_BUDGETS, effortToBudget, nearestEffort } from "./map-reasoning.ts";

describe("map-reasoning", () => {
  it("maps an effort to its budget without a warning", () => {
    expect(effortToBudget("medium", DEFAULT_EFFORT_BUDGETS)).toEqual({ value: 8192, warnings: [] });
  });

  it("uses the nearest effort a table has, ties going up, and says so", () => {
    const table = { low: 1024, high: 24576 };
    const mapped = effortToBudget("medium", table);
    expect(mapped.value).toBe(24576);
    expect(mapped.warnings).toEqual([expect.objectContaining({ type: "adapted", field: "reasoning.effort" })]);
    expect(effortToBudget("minimal", table).value).toBe(1024);
    expect(nearestEffort("xhigh", ["low", "high", "max"]).value).toBe("max");
    expect(nearestEffort("max", ["low", "medium", "high"]).value).toBe("high");
  });

  it("maps a budget to the largest effort that fits in it, always warning", () => {
    expect(budgetToEffort(10_000, DEFAULT_EFFORT_BUDGETS).value).toBe("medium");
    expect(budgetToEffort(8192, DEFAULT_EFFORT_BUDGETS).value).toBe("medium");
    expect(budgetToEffort(100, DEFAULT_EFFORT_BUDGETS).value).toBe("minimal");
    expect(budgetToEffort(1_000_000, DEFAULT_EFFORT_BUDGETS).value).toBe("max");
    const { warnings } = budgetToEffort(5000, { low: 1000, high: 20000 });
    expect(warnings).toEqual([expect.objectContaining({ type: "adapted", field: "reasoning.budget_tokens" })]);
    expect(warnings[0]?.message).toContain('"low"');
  });

  it("clamps a budget into range, warning only when it moves", () => {
    expect(clampBudget(500, { min: 1024, max: 32000 })).toMatchObject({ value: 1024, warnings: [expect.anything()] });
    expect(clampBudget(50_000, { min: 1024, max: 32000 }).value).toBe(32000);
    expect(clampBudget(2048, { min: 1024, max: 32000 })).toEqual({ value: 2048, warnings: [] });
  });
});
