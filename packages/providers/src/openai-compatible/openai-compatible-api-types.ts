/**
 * The parts of OpenAI-shaped chat responses we read, beyond what the `openai` SDK types
 * declare. The SDK hands chunks over as parsed JSON, so vendor fields
 * (`reasoning_content`, `reasoning`, `reasoning_details`, `prompt_cache_hit_tokens`,
 * `cost`) are present at runtime but untyped (providers.md §8.1). We read them through
 * these narrow accessors instead of casting, and keep the raw objects verbatim.
 */

export type WireObject = Readonly<Record<string, unknown>>;

export function isObject(value: unknown): value is WireObject {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

export function field(value: unknown, key: string): unknown {
  return isObject(value) ? value[key] : undefined;
}

export function stringField(value: unknown, key: string): string | undefined {
  const v = field(value, key);
  return typeof v === "string" ? v : undefined;
}

/** A non-negative integer count, or undefined for anything else (null, strings, floats). */
export function countField(value: unknown, key: string): number | undefined {
  const v = field(value, key);
  return typeof v === "number" && Number.isInteger(v) && v >= 0 ? v : undefined;
}

export function objectField(value: unknown, key: string): WireObject | undefined {
  const v = field(value, key);
  return isObject(v) ? v : undefined;
}

export function arrayField(value: unknown, key: string): readonly unknown[] | undefined {
  const v = field(value, key);
  return Array.isArray(v) ? v : undefined;
}

/** The first choice of a completion or chunk (reasonq always asks for one). */
export function firstChoice(response: unknown): WireObject | undefined {
  const choices = arrayField(response, "choices");
  const first = choices?.[0];
  return isObject(first) ? first : undefined;
}

/**
 * One item of OpenRouter's `reasoning_details` (providers.md §6.2): `reasoning.text`
 * {text, signature?}, `reasoning.summary` {summary}, `reasoning.encrypted` {data}; plus
 * optional `id`, `format`, `index`. Kept verbatim, read through the accessors above.
 */
export type ReasoningDetail = Record<string, unknown>;
