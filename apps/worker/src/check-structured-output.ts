import type { JobError, Output, StructuredOutput } from "@reasonq/core";
import { Ajv } from "ajv";
import { Ajv2019 } from "ajv/dist/2019.js";
import { Ajv2020 } from "ajv/dist/2020.js";

/** Compiled schemas by their JSON text: jobs of one request shape share one validator. */
const validators = new Map<string, ReturnType<Ajv["compile"]>>();
const MAX_CACHED = 200;

function validatorFor(schema: Record<string, unknown>) {
  const key = JSON.stringify(schema);
  let validate = validators.get(key);
  if (validate === undefined) {
    if (validators.size >= MAX_CACHED) validators.clear();
    validate = ajvFor(schema).compile(schema);
    validators.set(key, validate);
  }
  return validate;
}

/**
 * The validator for the draft a schema declares: zod 4's `toJSONSchema` (what LangChain and
 * the openai SDK's zod helpers send) says 2020-12, which plain Ajv (draft-07) cannot load.
 */
function ajvFor(schema: Record<string, unknown>): Ajv {
  const options = { allErrors: true, strict: false };
  const draft = typeof schema.$schema === "string" ? schema.$schema : "";
  if (draft.includes("2020-12")) return new Ajv2020(options);
  if (draft.includes("2019-09")) return new Ajv2019(options);
  return new Ajv(options);
}

/**
 * Structured output is checked, never assumed: the whole answer must be JSON, and match the
 * schema when one was given. A turn that ends in tool calls, or without an answer (cut
 * short, filtered), is not checked here; those end by their own rules.
 */
export function checkStructuredOutput(format: StructuredOutput | undefined, output: Output): JobError | null {
  if (format === undefined || output.finish_reason !== "stop" || output.answer === "") return null;
  let value: unknown;
  try {
    value = JSON.parse(output.answer);
  } catch {
    return { type: "invalid_output", message: "the answer is not JSON, though structured output was asked for" };
  }
  if (format.type === "json_object") {
    if (typeof value === "object" && value !== null && !Array.isArray(value)) return null;
    return { type: "invalid_output", message: "the answer is JSON but not an object (response_format json_object)" };
  }
  let validate: ReturnType<typeof validatorFor>;
  try {
    validate = validatorFor(format.schema);
  } catch (err) {
    return { type: "invalid_output", message: `schema ${format.name} cannot be compiled: ${(err as Error).message}` };
  }
  if (validate(value)) return null;
  const problems = (validate.errors ?? [])
    .slice(0, 5)
    .map((e) => `${e.instancePath === "" ? "(root)" : e.instancePath} ${e.message ?? "is invalid"}`);
  return {
    type: "invalid_output",
    message: `the answer does not match schema ${format.name}: ${problems.join("; ")}`,
  };
}
