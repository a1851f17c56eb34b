import { REASONING_EFFORTS, type ReasoningEffort } from "@reasonq/core";
import { draws } from "./sim-draw.ts";
import { apply, type Expr, evaluate, formatNumber as fmt, formatExpr, type Op, operations } from "./sim-expression.ts";
import type { ChoiceOption, Problem } from "./sim-solver.ts";
import { plausibleWrong } from "./sim-wrong.ts";

export type SimStyle = "reasoner" | "hasty";

interface Profile {
  /** Verification passes over the derivation: what makes reasoning longer at higher effort. */
  checks: Record<ReasoningEffort, number>;
  /** Chance of the right answer at each effort, and with thinking disabled. */
  accuracy: Record<ReasoningEffort, number>;
  disabled: number;
  /** From this effort on, a one-operation problem is always right. */
  simpleSureFrom: ReasoningEffort | null;
  /** From this effort on, the derivation explains itself (method, long multiplication). */
  explainFrom: ReasoningEffort | null;
}

const PROFILES: Record<SimStyle, Profile> = {
  reasoner: {
    checks: { minimal: 0, low: 1, medium: 2, high: 4, xhigh: 6, max: 9 },
    accuracy: { minimal: 0.6, low: 0.75, medium: 0.88, high: 0.97, xhigh: 0.99, max: 0.99 },
    disabled: 0.5,
    simpleSureFrom: "medium",
    explainFrom: "low",
  },
  hasty: {
    checks: { minimal: 0, low: 0, medium: 0, high: 1, xhigh: 1, max: 1 },
    accuracy: { minimal: 0.5, low: 0.52, medium: 0.55, high: 0.58, xhigh: 0.6, max: 0.6 },
    disabled: 0.45,
    simpleSureFrom: null,
    explainFrom: null,
  },
};

/**
 * Thinking tokens the sim's efforts stand for, used to turn a `budget_tokens` into an
 * internal depth (the budget itself still caps the reasoning).
 */
export const SIM_EFFORT_BUDGETS = {
  minimal: 32,
  low: 80,
  medium: 160,
  high: 320,
  xhigh: 480,
  max: 720,
} as const satisfies Record<ReasoningEffort, number>;

export interface PlanInput {
  style: SimStyle;
  problem: Problem;
  /** Null when thinking is disabled. */
  effort: ReasoningEffort | null;
  /**
   * Keys the draws: prompt, model and seed, but not the effort, so one item gets the same
   * draw at every effort and a variant that reasons more is right on a superset of items.
   */
  drawKey: string;
}

export interface Plan {
  reasoning: string;
  answer: string;
  /** Null when there is no right answer the sim knows. */
  correct: boolean | null;
}

const rank = (e: ReasoningEffort) => REASONING_EFFORTS.indexOf(e);

export function planResponse(input: PlanInput): Plan {
  const profile = PROFILES[input.style];
  const [luck, slip, pick] = draws(input.drawKey);
  const { problem, effort } = input;
  const simple =
    (problem.kind === "arithmetic" && operations(problem.expression).length <= 1) ||
    (problem.kind === "choice" && problem.key?.by === "arithmetic" && operations(problem.key.expression).length <= 1);
  const from = (threshold: ReasoningEffort | null) =>
    effort !== null && threshold !== null && rank(effort) >= rank(threshold);
  const right =
    (simple && from(profile.simpleSureFrom)) || luck < (effort === null ? profile.disabled : profile.accuracy[effort]);
  const writer = new Derivation(effort === null ? null : profile.checks[effort], from(profile.explainFrom));

  switch (problem.kind) {
    case "arithmetic": {
      if (Number.isNaN(problem.value)) {
        writer.say(`The question asks for ${formatExpr(problem.expression)}, which divides by zero.`);
        return {
          reasoning: writer.text(),
          answer: "The expression divides by zero, so it has no value.",
          correct: null,
        };
      }
      const result = right ? problem.value : plausibleWrong(problem.value, slip);
      writer.say(`The question asks for ${formatExpr(problem.expression)}.`);
      writer.derive(problem.expression, result);
      return { reasoning: writer.text(), answer: `The answer is ${fmt(result)}.`, correct: right };
    }
    case "choice": {
      const { key, options } = problem;
      if (key === null) {
        const guess = options[Math.floor(pick * options.length)] as ChoiceOption;
        writer.say("Nothing in the question lets me compute which option is right, so I pick the most plausible one.");
        writer.review(options, guess.letter);
        return { reasoning: writer.text(), answer: `The answer is ${guess.letter}.`, correct: null };
      }
      const others = options.filter((o) => o.letter !== key.letter);
      const chosen = right ? key.letter : (others[Math.floor(slip * others.length)] as ChoiceOption).letter;
      const option = options.find((o) => o.letter === chosen) as ChoiceOption;
      if (key.by === "arithmetic") {
        writer.say(`The question asks which option equals ${formatExpr(key.expression)}.`);
        writer.derive(key.expression, right ? key.value : (option.value ?? plausibleWrong(key.value, slip)));
      } else {
        writer.say(`The question asks for the ${key.by} option; its value is ${fmt(option.value ?? Number.NaN)}.`);
      }
      writer.review(options, chosen);
      return { reasoning: writer.text(), answer: `The answer is ${chosen}.`, correct: right };
    }
    case "open":
      writer.say(
        "This is not an arithmetic or multiple-choice question, the only kinds the simulated model can work out.",
      );
      writer.recheck(() => "Reading the question again: nothing in it can be computed.");
      return {
        reasoning: writer.text(),
        answer:
          "I am reasonq's offline sim model: I can solve arithmetic (such as 17*23) and multiple-choice questions, not this.",
        correct: null,
      };
  }
}

/** Writes the reasoning; with thinking disabled (`checks` null) it writes nothing. */
class Derivation {
  readonly #lines: string[] = [];
  readonly #checks: number | null;
  readonly #explain: boolean;

  constructor(checks: number | null, explain: boolean) {
    this.#checks = checks;
    this.#explain = explain;
  }

  say(line: string): void {
    if (this.#checks !== null) this.#lines.push(line);
  }

  text(): string {
    return this.#lines.join("\n");
  }

  recheck(line: (pass: number) => string): void {
    for (let pass = 1; pass <= (this.#checks ?? 0); pass++) this.say(line(pass));
  }

  /** Evaluates step by step; a mistake, when `result` is wrong, happens in the last step. */
  derive(expr: Expr, result: number): void {
    const steps = operations(expr).map((op, i, all) => {
      const a = evaluate(op.left);
      const b = evaluate(op.right);
      return { op: op.op, a, b, r: i === all.length - 1 ? result : apply(op.op, a, b) };
    });
    if (this.#explain) this.say("I will work it out one operation at a time, innermost first, minding precedence.");
    for (const s of steps) {
      this.say(`${fmt(s.a)} ${s.op} ${fmt(s.b)} = ${fmt(s.r)}.${this.#explain ? decompose(s.op, s.a, s.b) : ""}`);
    }
    this.recheck((pass) => `Check ${pass}: ${steps.map((s, i) => check(s, pass + i)).join(" ")}`);
    this.say(`So ${formatExpr(expr)} = ${fmt(result)}.`);
  }

  review(options: ChoiceOption[], chosen: string): void {
    const verdicts = options.map((o) => `${o.letter}) ${o.text} — ${o.letter === chosen ? "yes" : "no"}`);
    this.say(`Comparing with the options: ${verdicts.join("; ")}.`);
    this.recheck(() => `Looking at the options again, ${chosen} still fits best.`);
    this.say(`So the answer is ${chosen}.`);
  }
}

/** Long multiplication the way one does it by hand, for the explanatory efforts. */
function decompose(op: Op, a: number, b: number): string {
  if (op !== "*" || !Number.isInteger(a) || !Number.isInteger(b) || Math.abs(b) < 10) return "";
  const units = b % 10;
  const tens = b - units;
  return ` That is ${fmt(a)} * ${fmt(tens)} + ${fmt(a)} * ${fmt(units)} = ${fmt(a * tens)} + ${fmt(a * units)}.`;
}

/** One verification sentence; when the step is wrong the solver believes it, so checks agree. */
function check(step: { op: Op; a: number; b: number; r: number }, variant: number): string {
  const { op, a, b, r } = step;
  const right = fmt(apply(op, a, b)) === fmt(r);
  if (!right) return `Re-reading ${fmt(a)} ${op} ${fmt(b)}, I still get ${fmt(r)}.`;
  const inverse: Record<Op, string> = {
    "+": `${fmt(r)} - ${fmt(b)} = ${fmt(a)}`,
    "-": `${fmt(r)} + ${fmt(b)} = ${fmt(a)}`,
    "*": b === 0 ? `${fmt(a)} * 0 = 0` : `${fmt(r)} / ${fmt(b)} = ${fmt(r / b)}`,
    "/": `${fmt(r)} * ${fmt(b)} = ${fmt(r * b)}`,
  };
  switch (variant % 3) {
    case 0:
      return `Inverting: ${inverse[op]}, as expected.`;
    case 1:
      return op === "+" || op === "*"
        ? `Swapping the operands: ${fmt(b)} ${op} ${fmt(a)} = ${fmt(r)}.`
        : `Redoing it: ${fmt(a)} ${op} ${fmt(b)} = ${fmt(r)}.`;
    default: {
      const ra = roughly(a);
      const rb = roughly(b) === 0 ? b : roughly(b);
      return `Roughly, ${fmt(ra)} ${op} ${fmt(rb)} = ${fmt(apply(op, ra, rb))}, near ${fmt(r)}, so it is plausible.`;
    }
  }
}

const roughly = (x: number) => Number(x.toPrecision(1));
