import { z } from "zod";
import { afterAnswerMarker, lastBoxed } from "./normalize.ts";
import { type ScorableItem, type ScoreResult, unscorable, verdict } from "./types.ts";

export const NumericConfigSchema = z.strictObject({
  type: z.literal("numeric"),
  /** Largest absolute difference still counted right. */
  tolerance: z.number().nonnegative().default(1e-6),
  /** Or a difference up to this fraction of |expected|, whichever is larger. */
  relative_tolerance: z.number().nonnegative().default(0),
});
export type NumericConfig = z.output<typeof NumericConfigSchema>;

/**
 * Numbers as answers write them: `-3.5`, `1,234,567` (commas only between groups of three),
 * `$42`, `45%` (read as 45), `1.5e3`, fractions `3/4` and `\frac{3}{4}`, a Unicode minus.
 * A minus counts only where it cannot be a hyphen or subtraction (`3-4` reads 3 and 4).
 */
const NUMBER =
  /\\d?frac\{\s*(-?\d+(?:\.\d+)?)\s*\}\{\s*(-?\d+(?:\.\d+)?)\s*\}|(?<![\w.])([-−]?)\$?\s?((?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?(?:[eE][-+]?\d+)?|\.\d+)(?:\/(\d+)(?![\d.]))?/g;

export interface ExtractedNumber {
  value: number;
  text: string;
}

/** Every number in the text, in order. */
export function extractNumbers(text: string): ExtractedNumber[] {
  const out: ExtractedNumber[] = [];
  for (const m of text.normalize("NFKC").matchAll(NUMBER)) {
    const [whole, fracNum, fracDen, sign, body, den] = m;
    let value: number;
    if (fracNum !== undefined && fracDen !== undefined) value = Number(fracNum) / Number(fracDen);
    else {
      value = Number((body as string).replaceAll(",", ""));
      if (den !== undefined) value /= Number(den);
      if (sign !== "") value = -value;
    }
    if (Number.isFinite(value)) out.push({ value, text: whole.trim() });
  }
  return out;
}

/**
 * The final answer's number: inside the last `\boxed{}` if any, else the first number after
 * the last "answer is"/"Answer:", else the last number in the text.
 */
export function extractFinalNumber(text: string): ExtractedNumber | null {
  const boxed = lastBoxed(text);
  if (boxed !== null) {
    const inBox = extractNumbers(boxed);
    if (inBox.length > 0) return inBox[inBox.length - 1] ?? null;
  }
  const marked = afterAnswerMarker(text);
  if (marked !== null) {
    const first = extractNumbers(marked)[0];
    if (first !== undefined) return first;
  }
  const all = extractNumbers(text);
  return all[all.length - 1] ?? null;
}

/** Shortest text that reads back as the value, without binary noise (0.1 + 0.2 → "0.3"). */
export function formatValue(value: number): string {
  const rounded = Number(value.toPrecision(15));
  return Object.is(rounded, -0) ? "0" : String(rounded);
}

export function scoreNumeric(answer: string, item: ScorableItem, config: Partial<NumericConfig> = {}): ScoreResult {
  const found = extractFinalNumber(answer);
  const extracted = found === null ? null : formatValue(found.value);
  const expected = item.expected;
  if (expected === undefined) return unscorable(extracted, "no expected answer");
  const targets = (Array.isArray(expected) ? expected : [expected]).map((e) =>
    typeof e === "number" ? e : typeof e === "string" ? (extractFinalNumber(e)?.value ?? null) : null,
  );
  if (typeof expected === "object" && !Array.isArray(expected)) return unscorable(extracted, "expected is an object");
  if (targets.some((t) => t === null)) return unscorable(extracted, "expected is not a number");
  if (found === null) return verdict(false, null, "no number in the answer");
  const tolerance = config.tolerance ?? 1e-6;
  const relative = config.relative_tolerance ?? 0;
  const close = (target: number) => Math.abs(found.value - target) <= Math.max(tolerance, relative * Math.abs(target));
  return verdict((targets as number[]).some(close), extracted);
}
