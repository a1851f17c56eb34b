import { ReasonqError } from "@reasonq/core";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { checkBatchBudget, checkJobBudget, checkSpendCap } from "./budgets.ts";
import { money } from "./money.ts";

/** Amounts as integer micro-dollars, so the test's own arithmetic is exact. */
const micros = fc.integer({ min: 0, max: 10 ** 9 });
const usd = (m: number) => {
  const text = String(m).padStart(7, "0");
  return `${text.slice(0, -6)}.${text.slice(-6)}`;
};

describe("checkJobBudget", () => {
  it("refuses a job whose maximum is above max_cost_usd, naming both numbers", () => {
    const result = checkJobBudget("0.01", { maxCost: "0.010001" });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.error.type).toBe("budget_exceeded");
    expect(result.error.httpStatus).toBe(402);
    expect(result.error.field).toBe("max_cost_usd");
    expect(result.error.message).toContain("$0.010001");
    expect(result.error.message).toContain("$0.01");
    expect(checkJobBudget("0.01", { maxCost: "0.01" }).ok).toBe(true);
    expect(checkJobBudget(undefined, { maxCost: "1000" }).ok).toBe(true);
  });

  it("refuses exactly when the maximum is above the limit", () => {
    fc.assert(
      fc.property(micros, micros, (limit, max) => {
        expect(checkJobBudget(usd(limit), { maxCost: usd(max) }).ok).toBe(max <= limit);
      }),
    );
  });

  it("rejects an amount that is not a decimal", () => {
    expect(() => checkJobBudget("1e3", { maxCost: "1" })).toThrow(ReasonqError);
    expect(() => checkJobBudget("-1", { maxCost: "1" })).toThrow(/non-negative/);
  });
});

describe("checkSpendCap", () => {
  it("refuses once the cap is reached, and a job that would pass it", () => {
    const reached = checkSpendCap("5", "5", { maxCost: "0" });
    expect(reached.ok === false && reached.error.message).toBe(
      "this API key has reached its spend cap: $5 spent of $5",
    );
    const over = checkSpendCap("5", "4.5", { maxCost: "0.6" });
    expect(over.ok === false && over.error.type).toBe("budget_exceeded");
    expect(over.ok === false && over.error.message).toContain("$0.5 left");
    expect(checkSpendCap("5", "4.5", { maxCost: "0.5" }).ok).toBe(true);
    expect(checkSpendCap(null, "1000", { maxCost: "1" }).ok).toBe(true);
  });

  it("never lets a key's committed maximum pass its cap, whatever the order of submissions", () => {
    fc.assert(
      fc.property(
        micros,
        fc.array(fc.record({ max: micros, spentPercent: fc.integer({ min: 0, max: 100 }) })),
        (cap, jobs) => {
          // Each started job reserves its maximum until it ends; it then costs at most that.
          let committed = 0;
          for (const job of jobs) {
            const started = checkSpendCap(usd(cap), usd(committed), { maxCost: usd(job.max) }).ok;
            expect(started).toBe(committed < cap && committed + job.max <= cap);
            if (started) committed += Math.floor((job.max * job.spentPercent) / 100);
            expect(committed).toBeLessThanOrEqual(cap);
          }
        },
      ),
    );
  });
});

describe("checkBatchBudget", () => {
  it("adds the jobs' maxima exactly and compares them to the batch's budget", () => {
    const estimates = [{ maxCost: "0.1" }, { maxCost: "0.2" }];
    expect(checkBatchBudget("0.3", estimates).ok).toBe(true);
    const refused = checkBatchBudget("0.3", estimates, "0.000001");
    expect(refused.ok === false && refused.error.message).toContain("2 jobs may cost up to $0.3 on top of $0.000001");
    fc.assert(
      fc.property(micros, fc.array(micros, { maxLength: 20 }), (limit, maxima) => {
        const total = maxima.reduce((a, b) => a + b, 0);
        const result = checkBatchBudget(
          usd(limit),
          maxima.map((m) => ({ maxCost: usd(m) })),
        );
        expect(result.ok).toBe(money(usd(total)).lessThanOrEqualTo(money(usd(limit))));
      }),
    );
  });
});
