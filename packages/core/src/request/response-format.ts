import { z } from "zod";

const SCHEMA_NAME = /^[a-zA-Z0-9_-]{1,64}$/;

/** A JSON Schema the answer must match, as OpenAI names and flags it. */
const JsonSchemaFormatSchema = z.strictObject({
  name: z.string().regex(SCHEMA_NAME, { message: "a schema name is 1–64 letters, digits, _ or -" }),
  description: z.string().max(10_000).optional(),
  schema: z.record(z.string(), z.unknown()),
  strict: z.boolean().nullable().optional(),
});

/** `response_format` of Chat Completions: plain text, any JSON object, or JSON matching a schema. */
export const ResponseFormatSchema = z
  .discriminatedUnion("type", [
    z.strictObject({ type: z.literal("text") }),
    z.strictObject({ type: z.literal("json_object") }),
    z.strictObject({ type: z.literal("json_schema"), json_schema: JsonSchemaFormatSchema }),
  ])
  .meta({ id: "ResponseFormat" });
export type ResponseFormat = z.infer<typeof ResponseFormatSchema>;

/** `text.format` of the Responses API: the same choices, the schema's fields at the top. */
export const TextFormatSchema = z.discriminatedUnion("type", [
  z.strictObject({ type: z.literal("text") }),
  z.strictObject({ type: z.literal("json_object") }),
  JsonSchemaFormatSchema.extend({ type: z.literal("json_schema") }),
]);
export type TextFormat = z.infer<typeof TextFormatSchema>;

/**
 * Structured output as adapters receive it: each family maps it to its native form
 * (OpenAI `response_format` / `text.format`, Gemini `responseJsonSchema`, Anthropic
 * `output_config.format`) or refuses it; the worker checks the answer against the schema.
 */
export type StructuredOutput =
  | { type: "json_object" }
  | { type: "json_schema"; name: string; description?: string; schema: Record<string, unknown>; strict: boolean };

export function structuredOutputOf(format: ResponseFormat | TextFormat | undefined): StructuredOutput | undefined {
  if (format === undefined || format.type === "text") return undefined;
  if (format.type === "json_object") return { type: "json_object" };
  const fields = "json_schema" in format ? format.json_schema : format;
  return {
    type: "json_schema",
    name: fields.name,
    ...(fields.description === undefined ? {} : { description: fields.description }),
    schema: fields.schema,
    strict: fields.strict === true,
  };
}
