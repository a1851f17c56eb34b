/**
 * The mocks' structured output: when a request asks for JSON matching a schema, the answer
 * is a JSON value built from that schema (every property filled, the first enum value or
 * `anyOf` branch taken), so a client's parse-and-validate step sees what a real model
 * constrained by the schema returns. Strings quote the question.
 */
type Schema = Record<string, unknown>;
const isSchema = (v: unknown): v is Schema => typeof v === "object" && v !== null && !Array.isArray(v);

const MAX_DEPTH = 8;

function resolve(schema: Schema, root: Schema): Schema {
  const ref = schema.$ref;
  if (typeof ref !== "string" || !ref.startsWith("#/")) return schema;
  let target: unknown = root;
  for (const part of ref.slice(2).split("/")) target = isSchema(target) ? target[part] : undefined;
  return isSchema(target) ? target : {};
}

function valueFor(raw: Schema, root: Schema, question: string, depth: number): unknown {
  const schema = resolve(raw, root);
  if ("const" in schema) return schema.const;
  if (Array.isArray(schema.enum) && schema.enum.length > 0) return schema.enum[0];
  const branch = [schema.anyOf, schema.oneOf, schema.allOf].find((b) => Array.isArray(b) && b.length > 0);
  if (Array.isArray(branch)) {
    const first = branch.find((b) => isSchema(b) && b.type !== "null") ?? branch[0];
    return valueFor(isSchema(first) ? first : {}, root, question, depth);
  }
  const types = Array.isArray(schema.type) ? schema.type : [schema.type];
  const type = types.find((t) => t !== "null") ?? types[0];
  switch (type) {
    case "object": {
      const out: Record<string, unknown> = {};
      if (depth >= MAX_DEPTH || !isSchema(schema.properties)) return out;
      for (const [key, sub] of Object.entries(schema.properties)) {
        out[key] = valueFor(isSchema(sub) ? sub : {}, root, question, depth + 1);
      }
      return out;
    }
    case "array": {
      if (depth >= MAX_DEPTH) return [];
      const count = typeof schema.minItems === "number" ? Math.max(1, schema.minItems) : 1;
      const item = isSchema(schema.items) ? schema.items : {};
      return Array.from({ length: count }, () => valueFor(item, root, question, depth + 1));
    }
    case "integer":
    case "number":
      return typeof schema.minimum === "number" ? Math.ceil(schema.minimum) : 1;
    case "boolean":
      return true;
    case "null":
      return null;
    default:
      if (schema.format === "date-time") return "2026-01-01T00:00:00Z";
      if (schema.format === "date") return "2026-01-01";
      return question.trim().slice(0, 60);
  }
}

/** The JSON text of an answer matching `schema`; with no schema (JSON mode), an object holding the answer. */
export function structuredAnswer(schema: Schema | undefined, question: string, plain: string): string {
  if (schema === undefined) return JSON.stringify({ answer: plain });
  return JSON.stringify(valueFor(schema, schema, question, 0));
}

/** What a request's structured-output setting asks for: a schema, JSON mode (`null`), or nothing. */
export function requestedSchema(format: unknown, schemaField: "schema" | "json_schema"): Schema | null | undefined {
  if (!isSchema(format)) return undefined;
  if (format.type === "json_object") return null;
  if (format.type !== "json_schema") return undefined;
  const holder = schemaField === "json_schema" ? format.json_schema : format;
  return isSchema(holder) && isSchema(holder.schema) ? holder.schema : {};
}
