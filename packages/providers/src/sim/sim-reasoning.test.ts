import { REASONING_EFFORTS, type ReasoningEffort } from "@reasonq/core";
import { describe, expect, it } from "vitest";
import { planResponse, type SimStyle } from "./sim-reasoning.ts";
import { readProblem } from "./sim-solver.ts";
import { countTokens } from "./sim-tokens.ts";
import { plausibleWrong } from "./sim-wrong.ts";

const SHAPES = [
  (a: number, b: number, c: number) => `What is ${a}*${b} + ${c}?`,
  (a: number, b: number, c: number) => `What is (${a} - ${c}) * ${b}?`,
  (a: number, b: number, c: number) => `Compute ${a} + ${b} * ${c}.`,
  (a: number, b: number, c: number) => `What is ${a * b} / ${b} - ${c}?`,
];

/** A fixed set of 200 two-operation problems (none gets the one-operation guarantee). */
const PROBLEMS = Array.from({ length: 200 }, (_, i) =>
  (SHAPES[i % SHAPES.length] as (typeof SHAPES)[number])(
    12 + ((i * 37) % 88),
    3 + ((i * 53) % 41),
    2 + ((i * 29) % 67),
  ),
);

const plan = (style: SimStyle, prompt: string, effort: ReasoningEffort | null) =>
  planResponse({ style, problem: readProblem(prompt), effort, drawKey: JSON.stringify([style, prompt]) });

const score = (style: SimStyle, effort: ReasoningEffort | null) =>
  PROBLEMS.filter((p) => plan(style, p, effort).correct === true).length;

describe("sim reasoning", () => {
  it("solves 17*23 at the default effort", () => {
    const result = plan("reasoner", "What is 17*23?", "medium");
    expect(result.answer).toBe("The answer is 391.");
    expect(result.reasoning).toContain("17 * 23 = 391.");
  });

  it("reasons longer at every higher effort", () => {
    for (const prompt of ["What is 17*23?", "What is (12+7)*3 - 8/2?", "Which is 6*7? A) 41 B) 42 C) 43"]) {
      const lengths = REASONING_EFFORTS.map((e) => countTokens(plan("reasoner", prompt, e).reasoning));
      for (let i = 1; i < lengths.length; i++) expect(lengths[i], prompt).toBeGreaterThan(lengths[i - 1] as number);
    }
  });

  it("writes no reasoning with thinking disabled", () => {
    expect(plan("reasoner", "What is 17*23?", null).reasoning).toBe("");
  });

  it("makes sim/reasoner right more often at higher effort, item by item", () => {
    const scores = REASONING_EFFORTS.map((e) => score("reasoner", e));
    expect(scores).toEqual([...scores].sort((a, b) => a - b));
    expect(score("reasoner", "high")).toBeGreaterThanOrEqual(190);
    expect(score("reasoner", "minimal")).toBeLessThan(140);
    for (const p of PROBLEMS) {
      if (plan("reasoner", p, "low").correct) expect(plan("reasoner", p, "high").correct, p).toBe(true);
    }
  });

  it("makes sim/hasty wrong on a large, fixed share", () => {
    const right = score("hasty", "medium");
    expect(right).toBe(score("hasty", "medium"));
    expect(200 - right).toBeGreaterThanOrEqual(60);
    expect(200 - right).toBeLessThanOrEqual(110);
    const long = Math.max(...PROBLEMS.map((p) => countTokens(plan("hasty", p, "max").reasoning)));
    const careful = Math.min(...PROBLEMS.map((p) => countTokens(plan("reasoner", p, "high").reasoning)));
    expect(long).toBeLessThan(careful);
  });

  it("gives a wrong answer that is plausible and ends with a number", () => {
    const wrong = PROBLEMS.map((p) => ({ p, r: plan("hasty", p, "minimal") })).find((x) => x.r.correct === false);
    expect(wrong).toBeDefined();
    const { p, r } = wrong as NonNullable<typeof wrong>;
    const truth = (readProblem(p) as { value: number }).value;
    const given = Number(/(-?[\d.]+)\.$/.exec(r.answer)?.[1]);
    expect(given).not.toBe(truth);
    expect(Math.abs(given - truth)).toBeLessThanOrEqual(10 ** (String(Math.abs(truth)).length - 1));
  });

  it("changes exactly one digit by one when it slips", () => {
    for (const [v, u] of [
      [391, 0],
      [391, 0.99],
      [10, 0.2],
      [9, 0.5],
      [-47, 0.7],
      [0, 0.3],
      [3.5, 0.9],
    ] as const) {
      const w = plausibleWrong(v, u);
      expect(w).not.toBe(v);
      expect(String(Math.abs(w)).length).toBe(String(Math.abs(v)).length);
    }
  });

  it("picks a wrong option consistently with its derivation", () => {
    const item = "Which is 16*24? A) 384 B) 374 C) 394 D) 484";
    const results = ["a", "b", "c", "d", "e", "f", "g", "h"].map((seed) =>
      planResponse({ style: "hasty", problem: readProblem(item), effort: "minimal", drawKey: seed }),
    );
    const wrong = results.find((r) => r.correct === false);
    expect(wrong).toBeDefined();
    const letter = (wrong as NonNullable<typeof wrong>).answer.slice(-2, -1);
    expect(letter).not.toBe("A");
    const value = { B: "374", C: "394", D: "484" }[letter as "B" | "C" | "D"];
    expect((wrong as NonNullable<typeof wrong>).reasoning).toContain(`16 * 24 = ${value}.`);
  });
});
