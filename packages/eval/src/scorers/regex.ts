import { z } from "zod";
import { expectedStrings, normalizeAnswer } from "./normalize.ts";
import { type ScorableItem, type ScoreResult, verdict } from "./types.ts";

/** Only this much of an answer's end is searched: a user's pattern must not stall a worker on a huge text. */
export const REGEX_SCAN_CHARS = 100_000;

export const RegexConfigSchema = z
  .strictObject({
    type: z.literal("regex"),
    pattern: z.string().min(1).max(1000),
    flags: z
      .string()
      .regex(/^[imsuv]*$/, "flags may use i, m, s, u and v (matching is always global)")
      .optional(),
    /** Which match counts when there are several: the last (the final answer) by default. */
    match: z.enum(["first", "last"]).default("last"),
  })
  .superRefine((config, ctx) => {
    try {
      new RegExp(config.pattern, config.flags);
    } catch (err) {
      ctx.addIssue({ code: "custom", path: ["pattern"], message: `not a valid regular expression: ${String(err)}` });
    }
  });
export type RegexConfig = z.output<typeof RegexConfigSchema>;

/**
 * Matches `pattern` in the answer. The capture is the group named `answer`, else group 1,
 * else the whole match. With an `expected`, correct means the normalised capture equals it
 * (or one of a list); without one, correct means the pattern matched.
 */
export function createRegexScorer(config: Pick<RegexConfig, "pattern" | "flags" | "match">) {
  const flags = `${(config.flags ?? "").replace(/[gy]/g, "")}g`;
  const re = new RegExp(config.pattern, flags);
  return (answer: string, item: ScorableItem): ScoreResult => {
    const text = answer.length > REGEX_SCAN_CHARS ? answer.slice(-REGEX_SCAN_CHARS) : answer;
    let found: RegExpExecArray | null = null;
    re.lastIndex = 0;
    for (let m = re.exec(text); m !== null; m = re.exec(text)) {
      found = m;
      if (config.match === "first") break;
      if (m[0] === "") re.lastIndex++;
    }
    if (found === null) return verdict(false, null, "the pattern did not match");
    const captured = found.groups?.answer ?? found[1] ?? found[0];
    const expected = expectedStrings(item.expected);
    if (expected === null) return verdict(true, captured);
    const got = normalizeAnswer(captured);
    return verdict(
      expected.some((e) => normalizeAnswer(e) === got),
      captured,
    );
  };
}
