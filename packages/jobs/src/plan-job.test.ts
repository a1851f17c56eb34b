import { priceCatalog } from "@reasonq/billing";
import { ReasonqError } from "@reasonq/core";
import { catalog, createAdapters } from "@reasonq/providers";
import { describe, expect, it } from "vitest";
import { parseBatchSpec, variantRequest } from "./batch-spec.ts";
import { StepAdmission } from "./plan-grid-job.ts";
import { admitUnderCap, planJob, specOf } from "./plan-job.ts";

const deps = { catalog, adapters: createAdapters({ simTokensPerSecond: 0 }), prices: priceCatalog };
const owner = { id: "key_1", spend_cap_usd: null };
const spec = (extra: object = {}) => specOf({ model: "sim/reasoner", prompt: "What is 6*7?", ...extra });

function errorOf(fn: () => unknown): ReasonqError {
  try {
    fn();
  } catch (error) {
    if (ReasonqError.is(error)) return error;
    throw error;
  }
  throw new Error("expected a ReasonqError");
}

describe("planJob", () => {
  it("resolves the model, prepares the provider request and stores it with the row, with its maximum cost", () => {
    const { row, estimate } = planJob(spec({ reasoning: { effort: "high" } }), owner, deps, { batchId: "bat_1" });
    expect(row).toMatchObject({
      api_key_id: "key_1",
      model: "sim/reasoner",
      provider: "sim",
      batch_id: "bat_1",
      resolved_params: { effort: "high" },
      prepared_request: { model: { id: "sim/reasoner" }, body: { model: "reasoner", effort: "high" } },
    });
    expect(row.id).toMatch(/^job_/);
    expect(estimate?.maxCost).toBe(row.max_cost_estimate);
  });

  it("refuses what the model cannot honour, and a maximum above max_cost_usd", () => {
    expect(errorOf(() => planJob(spec({ reasoning: { effort: "high" }, model: "sim/echo" }), owner, deps)).field).toBe(
      "reasoning.effort",
    );
    const over = errorOf(() => planJob(spec({ max_output_tokens: 8000, max_cost_usd: "0.000001" }), owner, deps));
    expect(over).toMatchObject({ type: "budget_exceeded", field: "max_cost_usd" });
  });

  it("tokenizes the prompt when a limit applies, and bounds it by its bytes (never less) when none does", () => {
    const text = spec({ prompt: "Summarise: the quick brown fox jumps over the lazy dog, twice." });
    const open = planJob(text, owner, deps).estimate;
    const capped = planJob(text, { id: "key_1", spend_cap_usd: "1" }, deps).estimate;
    const budgeted = planJob({ ...text, max_cost_usd: "1" }, owner, deps).estimate;
    expect(capped?.countedInputTokens).toBe(budgeted?.countedInputTokens);
    expect(open?.countedInputTokens).toBeGreaterThan(capped?.countedInputTokens ?? Infinity);
  });

  it("admits a job under its key's cap only beside what the key spent and holds", () => {
    const planned = planJob(spec(), { id: "key_1", spend_cap_usd: "1" }, deps);
    const max = planned.estimate?.maxCost ?? "";
    expect(() => admitUnderCap(planned, { spent: "0", reserved: "0" })).not.toThrow();
    const refused = errorOf(() => admitUnderCap(planned, { spent: "0.5", reserved: "0.5" }));
    expect(refused.type).toBe("budget_exceeded");
    // Across a fan-out step, each admitted job counts against the next.
    const step = new StepAdmission({ spendCapUsd: max, spent: "0", reserved: "0" });
    expect(step.admit({ ...planned, owner: { id: "key_1", spend_cap_usd: max } })).toBe(true);
    expect(step.admit({ ...planned, owner: { id: "key_1", spend_cap_usd: max } })).toBe(false);
  });
});

describe("variantRequest", () => {
  const item = { id: "q1", prompt: "What is 2+2?" };

  it("is the grid cell's request: the item's prompt with the variant's model and controls", () => {
    expect(
      variantRequest(item, { model: "sim/reasoner", reasoning_effort: "low", max_output_tokens: 99 }, { a: "b" }),
    ).toEqual({
      model: "sim/reasoner",
      prompt: "What is 2+2?",
      metadata: { a: "b" },
      reasoning_effort: "low",
      max_output_tokens: 99,
    });
  });

  it("leaves reasoning_effort for the spec to check, so a conflict is refused, not silently settled", () => {
    const request = variantRequest(item, {
      model: "sim/reasoner",
      reasoning: { effort: "high" },
      reasoning_effort: "low",
    });
    expect(errorOf(() => specOf(request, "variants[0].")).field).toBe("variants[0].reasoning_effort");
  });
});

describe("parseBatchSpec", () => {
  it("reads a stored spec back and refuses one that does not fit", () => {
    const stored = {
      variants: [
        { model: "sim/reasoner", id: "sim/reasoner@default", label: "sim/reasoner", setting: { kind: "default" } },
      ],
      scorer: { type: "numeric" },
      repeats: 1,
    };
    expect(parseBatchSpec(JSON.parse(JSON.stringify(stored)), "bat_1").variants[0]?.label).toBe("sim/reasoner");
    expect(() => parseBatchSpec({ ...stored, repeats: 0 }, "bat_1")).toThrow(/batch bat_1 has a malformed spec/);
  });
});
