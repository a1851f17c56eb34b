import { describe, expect, it } from "vitest";
import { evaluate, formatExpr, formatNumber, parseExpression } from "./sim-expression.ts";
import { type Problem, readProblem } from "./sim-solver.ts";

const value = (src: string) => {
  const expr = parseExpression(src);
  if (expr === null) throw new Error(`did not parse: ${src}`);
  return evaluate(expr);
};

const answerOf = (prompt: string) => {
  const p = readProblem(prompt);
  if (p.kind !== "arithmetic") throw new Error(`not arithmetic: ${prompt}`);
  return formatNumber(p.value);
};

const choice = (prompt: string) => {
  const p = readProblem(prompt);
  if (p.kind !== "choice") throw new Error(`not a choice: ${prompt}`);
  return p as Extract<Problem, { kind: "choice" }>;
};

describe("expression parser", () => {
  it("honours precedence, associativity and parentheses", () => {
    expect(value("17*23")).toBe(391);
    expect(value("2 + 3 * 4")).toBe(14);
    expect(value("(2 + 3) * 4")).toBe(20);
    expect(value("10 - 4 - 3")).toBe(3);
    expect(value("100 / 10 / 2")).toBe(5);
    expect(value("((1 + 2) * (3 + 4)) / 7")).toBe(3);
  });

  it("handles negatives, decimals and division", () => {
    expect(value("-5 + 3")).toBe(-2);
    expect(value("3 - -2")).toBe(5);
    expect(value("-(2 + 3) * 2")).toBe(-10);
    expect(value("7 / 2")).toBe(3.5);
    expect(formatNumber(value("0.1 + 0.2"))).toBe("0.3");
    expect(formatNumber(value("1 / 3"))).toBe("0.333333333333");
    expect(Number.isNaN(value("1 / 0"))).toBe(true);
  });

  it("refuses what is not one well-formed expression", () => {
    for (const bad of ["", "2 +", "(2 + 3", "2 3", "2 ** 3", "abc", "1; process.exit()"]) {
      expect(parseExpression(bad), bad).toBeNull();
    }
  });

  it("prints expressions with only the parentheses they need", () => {
    const show = (s: string) => formatExpr(parseExpression(s) as NonNullable<ReturnType<typeof parseExpression>>);
    expect(show("(2+3)*4")).toBe("(2 + 3) * 4");
    expect(show("2+(3*4)")).toBe("2 + 3 * 4");
    expect(show("10-(4-3)")).toBe("10 - (4 - 3)");
    expect(show("2*-3")).toBe("2 * (-3)");
  });
});

describe("readProblem", () => {
  it("solves the arithmetic in a question", () => {
    expect(answerOf("What is 17*23?")).toBe("391");
    expect(answerOf("Compute (12 + 7) * 3 - 8 / 2.")).toBe("53");
    expect(answerOf("What is 17 times 23?")).toBe("391");
    expect(answerOf("what is 12 plus 7")).toBe("19");
    expect(answerOf("What is 20 minus 7 multiplied by 2?")).toBe("6");
    expect(answerOf("What is 84 divided by 4?")).toBe("21");
    expect(answerOf("What is 6 × 7?")).toBe("42");
    expect(answerOf("What is 1,200 + 34?")).toBe("1234");
    expect(answerOf("Q3: what is -5 + 3?")).toBe("-2");
  });

  it("leaves a question without arithmetic open", () => {
    expect(readProblem("Are there infinitely many primes?").kind).toBe("open");
    expect(readProblem("In 2024 I turned 40.").kind).toBe("open");
  });

  it("picks the option equal to the arithmetic, inline or one per line", () => {
    expect(choice("Which is 6*7? A) 41 B) 42 C) 43").key?.letter).toBe("B");
    const lines = choice("What is 9 * 9?\nA. 81\nB. 72\nC. 99\nD. 18\nAnswer with the letter.");
    expect(lines.key?.letter).toBe("A");
    expect(lines.options.map((o) => o.text)).toEqual(["81", "72", "99", "18"]);
    expect(choice("Which equals 2+2? (A) 3 (B) 4").key?.letter).toBe("B");
  });

  it("answers largest and smallest among numeric options", () => {
    expect(choice("Which is largest?\nA) 3\nB) 9\nC) 5").key).toEqual({ by: "largest", letter: "B" });
    expect(choice("Which is the smallest? A) 3*3 B) 2*5 C) 4+4").key).toEqual({ by: "smallest", letter: "C" });
  });

  it("has no key when nothing in the item can be computed", () => {
    const p = choice("Which planet is largest? A) Mars B) Jupiter C) Venus");
    expect(p.key).toBeNull();
    expect(p.options).toHaveLength(3);
  });
});
