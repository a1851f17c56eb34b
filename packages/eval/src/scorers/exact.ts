import { z } from "zod";
import { afterAnswerMarker, expectedStrings, lastBoxed, normalizeAnswer } from "./normalize.ts";
import { type ScorableItem, type ScoreResult, unscorable, verdict } from "./types.ts";

export const ExactConfigSchema = z.strictObject({
  type: z.literal("exact"),
  case_sensitive: z.boolean().default(false),
});
export type ExactConfig = z.output<typeof ExactConfigSchema>;

/**
 * The answer equals `expected` (or one of a list) after normalisation. The final answer is
 * the last `\boxed{}` if any, else what follows a last "answer is"/"Answer:", else the whole
 * text; either it or the whole text may match.
 */
export function scoreExact(answer: string, item: ScorableItem, config: Partial<ExactConfig> = {}): ScoreResult {
  const caseSensitive = config.case_sensitive ?? false;
  const final = lastBoxed(answer) ?? afterAnswerMarker(answer) ?? answer;
  const extracted = normalizeAnswer(final, caseSensitive);
  const expected = expectedStrings(item.expected);
  if (expected === null) {
    return unscorable(extracted || null, item.expected === undefined ? "no expected answer" : "expected is an object");
  }
  const whole = normalizeAnswer(answer, caseSensitive);
  const targets = expected.map((e) => normalizeAnswer(e, caseSensitive));
  return verdict(targets.includes(extracted) || targets.includes(whole), extracted || null);
}
