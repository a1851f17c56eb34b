import { z } from "zod";
import { expectedStrings, normalizeAnswer } from "./normalize.ts";
import { type ScorableItem, type ScoreResult, unscorable, verdict } from "./types.ts";

export const IncludesConfigSchema = z.strictObject({
  type: z.literal("includes"),
  case_sensitive: z.boolean().default(false),
});
export type IncludesConfig = z.output<typeof IncludesConfigSchema>;

/** The normalised answer contains the normalised `expected` (any of a list); `extracted` is the one found. */
export function scoreIncludes(answer: string, item: ScorableItem, config: Partial<IncludesConfig> = {}): ScoreResult {
  const caseSensitive = config.case_sensitive ?? false;
  const expected = expectedStrings(item.expected);
  if (expected === null) {
    return unscorable(null, item.expected === undefined ? "no expected answer" : "expected is an object");
  }
  const haystack = normalizeAnswer(answer, caseSensitive);
  const found = expected.find((e) => {
    const needle = normalizeAnswer(e, caseSensitive);
    return needle !== "" && haystack.includes(needle);
  });
  return verdict(found !== undefined, found ?? null);
}
