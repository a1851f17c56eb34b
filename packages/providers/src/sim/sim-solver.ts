import { type Expr, evaluate, operations, parseExpression } from "./sim-expression.ts";

export interface ChoiceOption {
  letter: string;
  text: string;
  /** The option read as a number (an expression is evaluated); null when it is not one. */
  value: number | null;
}

/** How the sim knows the right option, when it can. */
export type ChoiceKey =
  | { by: "arithmetic"; expression: Expr; value: number; letter: string }
  | { by: "largest" | "smallest"; letter: string };

export type Problem =
  | { kind: "arithmetic"; expression: Expr; value: number }
  | { kind: "choice"; question: string; options: ChoiceOption[]; key: ChoiceKey | null }
  | { kind: "open" };

/** Reads what a prompt asks: an arithmetic question, a multiple-choice item, or neither. */
export function readProblem(prompt: string): Problem {
  const text = normalizeOperators(prompt);
  const choice = readChoice(text);
  if (choice !== null) return choice;
  const expression = findExpression(text);
  if (expression === null) return { kind: "open" };
  return { kind: "arithmetic", expression, value: evaluate(expression) };
}

function normalizeOperators(text: string): string {
  let out = text
    .replace(/[×✕·]/g, "*")
    .replace(/÷/g, "/")
    .replace(/[−–]/g, "-")
    .replace(/\b(multiplied by|times)\b/gi, " * ")
    .replace(/\bdivided by\b/gi, " / ")
    .replace(/\bplus\b/gi, " + ")
    .replace(/\bminus\b/gi, " - ")
    .replace(/(\d)\s*[xX]\s*(?=[\d(])/g, "$1 * ");
  // Thousands separators: 1,234,567 → 1234567.
  while (/\d,\d{3}(?!\d)/.test(out)) out = out.replace(/(\d),(\d{3})(?!\d)/, "$1$2");
  return out;
}

const RUN = /[\d.+\-*/()\s]+/g;

function balance(candidate: string): string {
  let s = candidate.trim().replace(/\.+$/, "");
  const count = (c: string) => s.split(c).length - 1;
  while (s.startsWith("(") && count("(") > count(")")) s = s.slice(1).trim();
  while (s.endsWith(")") && count(")") > count("(")) s = s.slice(0, -1).trim();
  return s;
}

/** The expression in the text with the most operations; a lone number is not a question. */
export function findExpression(text: string): Expr | null {
  let best: Expr | null = null;
  let bestOps = 0;
  for (const match of text.matchAll(RUN)) {
    const expr = parseExpression(balance(match[0]));
    if (expr === null) continue;
    const ops = operations(expr).length;
    if (ops > bestOps) {
      best = expr;
      bestOps = ops;
    }
  }
  return best;
}

const MARKER = /(^|\s)\(?([A-H])[).:]\s+/g;

function readChoice(text: string): Problem | null {
  const marks: Array<{ letter: string; start: number; end: number }> = [];
  for (const m of text.matchAll(MARKER)) {
    const letter = m[2] as string;
    const expected = String.fromCharCode(65 + marks.length);
    if (letter !== expected) {
      if (letter !== "A") continue;
      marks.length = 0;
    }
    const start = m.index + (m[1] as string).length;
    marks.push({ letter, start, end: m.index + m[0].length });
  }
  if (marks.length < 2) return null;

  const options = marks.map((mark, i): ChoiceOption => {
    const until = marks[i + 1]?.start ?? text.length;
    const optionText = (text.slice(mark.end, until).split("\n")[0] ?? "").trim();
    return { letter: mark.letter, text: optionText, value: optionValue(optionText) };
  });
  const question = text.slice(0, (marks[0] as { start: number }).start).trim();
  return { kind: "choice", question, options, key: choiceKey(question, options) };
}

function optionValue(text: string): number | null {
  const expr = parseExpression(text.replace(/[.;,]$/, ""));
  if (expr !== null) return evaluate(expr);
  const first = /-?\d+(?:\.\d+)?/.exec(text);
  return first === null ? null : Number(first[0]);
}

const same = (a: number, b: number) => Math.abs(a - b) <= 1e-9 * Math.max(1, Math.abs(a));

function choiceKey(question: string, options: ChoiceOption[]): ChoiceKey | null {
  const expression = findExpression(question);
  if (expression !== null) {
    const value = evaluate(expression);
    const hit = options.find((o) => o.value !== null && same(o.value, value));
    return hit === undefined ? null : { by: "arithmetic", expression, value, letter: hit.letter };
  }
  const values = options.map((o) => o.value);
  if (values.some((v) => v === null)) return null;
  const nums = values as number[];
  const by = /\b(largest|greatest|biggest|highest)\b/i.test(question)
    ? "largest"
    : /\b(smallest|least|lowest)\b/i.test(question)
      ? "smallest"
      : null;
  if (by === null) return null;
  const target = by === "largest" ? Math.max(...nums) : Math.min(...nums);
  const winners = options.filter((o) => o.value === target);
  return winners.length === 1 ? { by, letter: (winners[0] as ChoiceOption).letter } : null;
}
