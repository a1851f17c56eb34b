import { OUTPUT_SCHEMA_VERSION, type Output } from "@reasonq/core";
import { describe, expect, it } from "vitest";
import { checkStructuredOutput } from "./check-structured-output.ts";

const output = (answer: string, finish: Output["finish_reason"] = "stop"): Output => ({
  schema_version: OUTPUT_SCHEMA_VERSION,
  answer,
  reasoning: "",
  reasoning_kind: "none",
  thinking_blocks: [],
  finish_reason: finish,
  provider_finish_reason: null,
  provider_response_id: null,
  provider_metadata: {},
});

const schema = {
  type: "json_schema" as const,
  name: "point",
  strict: true,
  schema: { type: "object", properties: { x: { type: "integer" } }, required: ["x"], additionalProperties: false },
};

describe("checkStructuredOutput", () => {
  it("passes a matching answer and anything without structured output", () => {
    expect(checkStructuredOutput(schema, output('{"x": 3}'))).toBeNull();
    expect(checkStructuredOutput(undefined, output("plain text"))).toBeNull();
    expect(checkStructuredOutput({ type: "json_object" }, output('{"a": 1}'))).toBeNull();
  });

  it("names what does not match, and refuses text that is not JSON", () => {
    expect(checkStructuredOutput(schema, output('{"x": "three"}'))).toEqual({
      type: "invalid_output",
      message: "the answer does not match schema point: /x must be integer",
    });
    expect(checkStructuredOutput(schema, output("x is 3"))?.message).toContain("not JSON");
    expect(checkStructuredOutput({ type: "json_object" }, output("[1]"))?.message).toContain("not an object");
  });

  it.each([
    "https://json-schema.org/draft/2020-12/schema",
    "https://json-schema.org/draft/2019-09/schema",
    "http://json-schema.org/draft-07/schema#",
  ])("checks a schema that declares its draft (%s), as zod 4's toJSONSchema does", ($schema) => {
    const declared = { ...schema, schema: { $schema, ...schema.schema } };
    expect(checkStructuredOutput(declared, output('{"x": 3}'))).toBeNull();
    expect(checkStructuredOutput(declared, output('{"x": 3.5}'))?.message).toContain("/x must be integer");
  });

  it("leaves a cut-short answer to the incomplete rules", () => {
    expect(checkStructuredOutput(schema, output('{"x": ', "length"))).toBeNull();
  });
});
