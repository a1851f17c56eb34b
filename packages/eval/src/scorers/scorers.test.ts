import { describe, expect, it } from "vitest";
import { extractChoice, scoreChoice } from "./choice.ts";
import { scoreExact } from "./exact.ts";
import { scoreIncludes } from "./includes.ts";
import { extractJson } from "./json-schema.ts";
import { lastBoxed, normalizeAnswer } from "./normalize.ts";
import { extractFinalNumber, extractNumbers, scoreNumeric } from "./numeric.ts";
import { createScorer, SCORER_TYPES, ScorerConfigSchema } from "./registry.ts";
import { suggestScorer } from "./suggest-scorer.ts";

const answerScorer = (config: Parameters<typeof createScorer>[0]) => {
  const scorer = createScorer(config);
  if (scorer.kind !== "answer") throw new Error("not an answer scorer");
  return scorer;
};

describe("normalisation", () => {
  it("drops case, spacing, edge punctuation, markdown and \\text", () => {
    expect(normalizeAnswer("  **Paris.**  ")).toBe("paris");
    expect(normalizeAnswer('"New   York"')).toBe("new york");
    expect(normalizeAnswer("$\\text{Blue}$")).toBe("blue");
    expect(normalizeAnswer("Paris", true)).toBe("Paris");
  });

  it("finds the last \\boxed{} with nested braces", () => {
    expect(lastBoxed("first \\boxed{1} then \\boxed{\\frac{3}{4}}")).toBe("\\frac{3}{4}");
    expect(lastBoxed("no box")).toBeNull();
    expect(lastBoxed("\\boxed{unclosed")).toBeNull();
  });
});

describe("exact", () => {
  it("compares the final answer after normalisation", () => {
    expect(scoreExact("The answer is Paris.", { expected: "paris" })).toEqual({
      correct: true,
      score: 1,
      extracted: "paris",
    });
    expect(scoreExact("\\boxed{ 42 }", { expected: "42" }).correct).toBe(true);
    expect(scoreExact("Answer: London", { expected: "Paris" })).toMatchObject({
      correct: false,
      score: 0,
      extracted: "london",
    });
    expect(scoreExact("Berlin", { expected: ["Paris", "Berlin"] }).correct).toBe(true);
    expect(scoreExact("391", { expected: 391 }).correct).toBe(true);
  });

  it("is case-sensitive on request, and unscorable without an expected string", () => {
    expect(scoreExact("paris", { expected: "Paris" }, { case_sensitive: true }).correct).toBe(false);
    expect(scoreExact("paris", {})).toMatchObject({ correct: null, extracted: "paris" });
    expect(scoreExact("{}", { expected: { a: 1 } }).correct).toBeNull();
  });
});

describe("includes", () => {
  it("finds the expected text anywhere, normalised", () => {
    expect(scoreIncludes("I believe it is **Paris**, France.", { expected: "paris" })).toMatchObject({
      correct: true,
      extracted: "paris",
    });
    expect(scoreIncludes("Lyon", { expected: ["Paris", "Marseille"] }).correct).toBe(false);
    expect(scoreIncludes("anything", { expected: "" }).correct).toBe(false);
  });
});

describe("regex", () => {
  it("extracts the named or first capture of the last match", () => {
    const scorer = answerScorer({ type: "regex", pattern: "ANSWER:\\s*(\\w+)" });
    expect(scorer.score("ANSWER: foo ... ANSWER: bar", { expected: "bar" })).toMatchObject({
      correct: true,
      extracted: "bar",
    });
    const first = answerScorer({ type: "regex", pattern: "ANSWER:\\s*(?<answer>\\w+)", match: "first" });
    expect(first.score("ANSWER: foo ... ANSWER: bar", { expected: "bar" })).toMatchObject({
      correct: false,
      extracted: "foo",
    });
  });

  it("without expected, a match is a pass; honours flags", () => {
    const scorer = answerScorer({ type: "regex", pattern: "^yes\\b", flags: "im" });
    expect(scorer.score("Well.\nYES, certainly", {})).toMatchObject({ correct: true, extracted: "YES" });
    expect(scorer.score("no", {})).toMatchObject({ correct: false, extracted: null });
  });

  it("rejects patterns that do not compile and the g/y flags", () => {
    expect(ScorerConfigSchema.safeParse({ type: "regex", pattern: "(" }).success).toBe(false);
    expect(ScorerConfigSchema.safeParse({ type: "regex", pattern: "a", flags: "g" }).success).toBe(false);
  });

  it("survives empty matches", () => {
    const scorer = answerScorer({ type: "regex", pattern: "x*" });
    expect(scorer.score("abc", {}).correct).toBe(true);
  });
});

describe("numeric extraction", () => {
  const final = (text: string) => extractFinalNumber(text)?.value ?? null;

  it("reads the final number in its usual spellings", () => {
    expect(final("17 * 23 = 391. The answer is 391.")).toBe(391);
    expect(final("That costs $1,234,567.50 in total")).toBe(1234567.5);
    expect(final("The temperature is -3.5 degrees")).toBe(-3.5);
    expect(final("It comes to −7")).toBe(-7);
    expect(final("So x = 3/4")).toBe(0.75);
    expect(final("\\boxed{\\frac{3}{4}} and then 9 more words 12")).toBe(0.75);
    expect(final("About 45% of them")).toBe(45);
    expect(final("1.5e3 units")).toBe(1500);
    expect(final("no digits here")).toBeNull();
  });

  it("prefers the number right after 'the answer is' over later numbers", () => {
    expect(final("The answer is 42 (that is, 6 × 7).")).toBe(42);
    expect(final("Answer: 12\nCheck: 3 * 4 = 12, and 5 other things")).toBe(12);
  });

  it("does not mistake a hyphen or subtraction for a minus sign", () => {
    expect(extractNumbers("between 3-4 apples").map((n) => n.value)).toEqual([3, 4]);
    expect(extractNumbers("version2 and 1,2,3").map((n) => n.value)).toEqual([1, 2, 3]);
  });
});

describe("numeric scorer", () => {
  it("compares within the tolerance", () => {
    expect(scoreNumeric("The answer is 391.", { expected: "391" })).toEqual({
      correct: true,
      score: 1,
      extracted: "391",
    });
    expect(scoreNumeric("The answer is 381.", { expected: 391 })).toMatchObject({ correct: false, extracted: "381" });
    expect(scoreNumeric("≈ 3.1416", { expected: "3.14159" }, { tolerance: 0.001 }).correct).toBe(true);
    expect(scoreNumeric("≈ 3.1416", { expected: "3.14159" }).correct).toBe(false);
    expect(scoreNumeric("1010", { expected: 1000 }, { relative_tolerance: 0.01 }).correct).toBe(true);
    expect(scoreNumeric("0.30000000000000004", { expected: "0.3" }).correct).toBe(true);
    expect(scoreNumeric("It is $1,200", { expected: "1200" }).correct).toBe(true);
    expect(scoreNumeric("It is 0.75", { expected: "3/4" }).correct).toBe(true);
  });

  it("says why it cannot score", () => {
    expect(scoreNumeric("no idea", { expected: "4" })).toMatchObject({ correct: false, extracted: null });
    expect(scoreNumeric("4", { expected: "four" })).toMatchObject({
      correct: null,
      detail: "expected is not a number",
    });
    expect(scoreNumeric("4", {})).toMatchObject({ correct: null, extracted: "4" });
  });
});

describe("choice", () => {
  const choices = ["41", "42", "43", "44"];

  it("reads the option letter from the usual phrasings", () => {
    const cases: Array<[string, string | null]> = [
      ["The answer is (B)", "B"],
      ["The answer is B.", "B"],
      ["B)", "B"],
      ["**C**", "C"],
      ["Answer: D", "D"],
      ["After some thought, the correct option is C.", "C"],
      ["I considered (A) and (B); final answer: **B**", "B"],
      ["\\boxed{D}", "D"],
      ["c", null],
      ["C.", "C"],
      ["42", "B"],
      ["I cannot tell.", null],
      ["The answer is E", null],
    ];
    for (const [text, letter] of cases) expect(extractChoice(text, choices), text).toBe(letter);
  });

  it("scores against an expected letter or an option's text", () => {
    expect(scoreChoice("The answer is B.", { choices, expected: "B" })).toEqual({
      correct: true,
      score: 1,
      extracted: "B",
    });
    expect(scoreChoice("The answer is B.", { choices, expected: "42" }).correct).toBe(true);
    expect(scoreChoice("The answer is A.", { choices, expected: "b" }).correct).toBe(false);
    expect(scoreChoice("nothing", { choices, expected: "B" })).toMatchObject({ correct: false, extracted: null });
    expect(scoreChoice("The answer is A.", { choices })).toMatchObject({ correct: null, extracted: "A" });
  });
});

describe("json_schema", () => {
  const schema = {
    type: "object",
    properties: {
      name: { type: "string" },
      age: { type: "integer", minimum: 0 },
      when: { type: "string", format: "date" },
    },
    required: ["name", "age"],
    additionalProperties: false,
  };

  it("finds JSON in the answer and validates it", () => {
    const scorer = answerScorer({ type: "json_schema", schema });
    expect(scorer.score('{"name":"Ada","age":36}', {})).toMatchObject({ correct: true, score: 1 });
    expect(scorer.score('Here you go:\n```json\n{"name":"Ada","age":36}\n```', {}).correct).toBe(true);
    expect(scorer.score('Sure! {"name":"Ada","age":36} Hope it helps.', {}).correct).toBe(true);
    const bad = scorer.score('{"name":"Ada","age":-1,"extra":true}', {});
    expect(bad.correct).toBe(false);
    expect(bad.detail).toContain("/age must be >= 0");
    expect(scorer.score('{"name":"A","age":1,"when":"yesterday"}', {}).detail).toContain('must match format "date"');
    expect(scorer.score("no json", {})).toMatchObject({ correct: false, extracted: null });
  });

  it("refuses a schema that does not compile", () => {
    expect(ScorerConfigSchema.safeParse({ type: "json_schema", schema: { type: "nonsense" } }).success).toBe(false);
  });

  it("extracts JSON arrays too", () => {
    expect(extractJson("[1, 2]")?.value).toEqual([1, 2]);
  });
});

describe("registry", () => {
  it("knows every scorer type of SPEC §6", () => {
    expect(SCORER_TYPES).toEqual(["exact", "includes", "regex", "numeric", "choice", "json_schema", "judge"]);
  });

  it("fills defaults and refuses unknown options", () => {
    expect(ScorerConfigSchema.parse({ type: "numeric" })).toEqual({
      type: "numeric",
      tolerance: 1e-6,
      relative_tolerance: 0,
    });
    expect(ScorerConfigSchema.safeParse({ type: "numeric", tolerence: 1 }).success).toBe(false);
    expect(ScorerConfigSchema.safeParse({ type: "bleu" }).success).toBe(false);
  });
});

describe("suggestScorer", () => {
  it("picks choice, numeric or exact from the items", () => {
    expect(suggestScorer([{ expected: "B", choices: ["x", "y"] }])).toEqual({ type: "choice" });
    expect(suggestScorer([{ expected: "391" }, { expected: -2.5 }, { expected: "$1,200" }]).type).toBe("numeric");
    expect(suggestScorer([{ expected: "391" }, { expected: "Paris" }]).type).toBe("exact");
    expect(suggestScorer([{ expected: "12 apples and 3 pears" }]).type).toBe("exact");
    expect(suggestScorer([]).type).toBe("exact");
  });
});
