import { Ajv, type ValidateFunction } from "ajv";
import formats from "ajv-formats";
import { z } from "zod";
import { type ScoreResult, verdict } from "./types.ts";

/** ajv-formats is CommonJS with `exports.default`; Node and bundlers disagree on which one a default import gives. */
const addFormats = ((formats as unknown as { default?: unknown }).default ?? formats) as unknown as (ajv: Ajv) => Ajv;

function compile(schema: Record<string, unknown>): ValidateFunction {
  const ajv = new Ajv({ allErrors: true, strict: false });
  addFormats(ajv);
  return ajv.compile(schema);
}

export const JsonSchemaConfigSchema = z
  .strictObject({
    type: z.literal("json_schema"),
    /** A JSON Schema (draft-07, the ajv default) the answer must satisfy; formats such as date-time are checked. */
    schema: z.record(z.string(), z.unknown()),
  })
  .superRefine((config, ctx) => {
    try {
      compile(config.schema);
    } catch (err) {
      ctx.addIssue({
        code: "custom",
        path: ["schema"],
        message: `not a usable JSON Schema: ${(err as Error).message}`,
      });
    }
  });
export type JsonSchemaConfig = z.output<typeof JsonSchemaConfigSchema>;

/**
 * The JSON in an answer: the whole text, else the last ```json fenced block, else the span
 * from the first `{` or `[` to the last `}` or `]`. Undefined when none parses.
 */
export function extractJson(answer: string): { value: unknown; text: string } | undefined {
  const candidates: string[] = [answer.trim()];
  const fences = [...answer.matchAll(/```(?:json)?\s*\n([\s\S]*?)```/g)];
  const fenced = fences[fences.length - 1]?.[1];
  if (fenced !== undefined) candidates.push(fenced.trim());
  const open = answer.search(/[{[]/);
  const close = Math.max(answer.lastIndexOf("}"), answer.lastIndexOf("]"));
  if (open !== -1 && close > open) candidates.push(answer.slice(open, close + 1));
  for (const text of candidates) {
    try {
      return { value: JSON.parse(text), text };
    } catch {
      // try the next candidate
    }
  }
  return undefined;
}

/** Correct when the answer holds JSON that satisfies the schema; `detail` lists what failed. */
export function createJsonSchemaScorer(config: Pick<JsonSchemaConfig, "schema">) {
  const validate = compile(config.schema);
  return (answer: string): ScoreResult => {
    const found = extractJson(answer);
    if (found === undefined) return verdict(false, null, "no JSON in the answer");
    if (validate(found.value)) return verdict(true, found.text);
    const problems = (validate.errors ?? []).map((e) => `${e.instancePath || "/"} ${e.message ?? "is invalid"}`);
    return verdict(false, found.text, problems.slice(0, 5).join("; "));
  };
}
