import { z } from "zod";
import { choiceIndex, letter } from "../dataset/dataset-item.ts";
import { lastBoxed, normalizeAnswer } from "./normalize.ts";
import { type ScorableItem, type ScoreResult, unscorable, verdict } from "./types.ts";

export const ChoiceConfigSchema = z.strictObject({ type: z.literal("choice") });

const L = "([A-Z])(?![A-Za-z0-9])";
/** Strongest evidence first; within one pattern the last occurrence wins (the final answer). */
const PATTERNS: RegExp[] = [
  // "The answer is (B)", "Answer: **C**", "final answer: option D", "correct option is B"
  new RegExp(
    `(?:[Aa]nswer|ANSWER|[Oo]ption|[Cc]hoice)\\s*(?:is|:|=)?\\s*[:\\-]?\\s*(?:[Oo]ption\\s*|[Cc]hoice\\s*)?[*_\`(\\[]*${L}`,
    "g",
  ),
  // "**C**", "(B)", "[D]"
  new RegExp(`(?:\\*\\*|__|\\(|\\[)${L}(?:\\*\\*|__|\\)|\\])`, "g"),
  // "B)" or "B." or "B:" starting a line
  new RegExp(`(?:^|\\n)\\s*${L}[).:]`, "g"),
];

/**
 * The option letter an answer gives: `\boxed{B}`, "The answer is (B)", "Answer: D",
 * "**C**", "(B)", "B)" at a line start, a bare "B", or the exact text of one option.
 * Letters beyond the item's options are ignored.
 */
export function extractChoice(answer: string, choices?: readonly string[]): string | null {
  const count = choices?.length ?? 26;
  const valid = (l: string | undefined) => l !== undefined && l.charCodeAt(0) - 65 < count;
  const text = answer.normalize("NFKC");
  const boxed = lastBoxed(text);
  if (boxed !== null) {
    const inBox = /^\s*(?:\\text\{)?\(?([A-Z])\)?\}?\s*$/.exec(boxed)?.[1];
    if (valid(inBox)) return inBox as string;
  }
  const bare = /^\s*[*_([]*([A-Z])[*_)\].]*\s*$/.exec(text)?.[1];
  if (valid(bare)) return bare as string;
  for (const pattern of PATTERNS) {
    let last: string | undefined;
    for (const m of text.matchAll(pattern)) if (valid(m[1])) last = m[1];
    if (last !== undefined) return last;
  }
  if (choices !== undefined) {
    const said = normalizeAnswer(text);
    const index = choices.findIndex((c) => normalizeAnswer(c) === said);
    if (index !== -1) return letter(index);
  }
  return null;
}

/** Correct when the extracted letter is the expected one (`expected`: a letter or an option's text). */
export function scoreChoice(answer: string, item: ScorableItem): ScoreResult {
  const extracted = extractChoice(answer, item.choices);
  if (item.expected === undefined) return unscorable(extracted, "no expected answer");
  const index = choiceIndex(item.expected, item.choices ?? []);
  const expectedLetter =
    index !== null
      ? letter(index)
      : typeof item.expected === "string" && /^\(?[A-Za-z]\)?$/.test(item.expected.trim())
        ? item.expected.trim().replace(/[()]/g, "").toUpperCase()
        : null;
  if (expectedLetter === null) return unscorable(extracted, "expected is not an option letter or an option's text");
  if (extracted === null) return verdict(false, null, "no option letter in the answer");
  return verdict(extracted === expectedLetter, extracted);
}
