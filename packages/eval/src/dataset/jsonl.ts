import type { DatasetError } from "./dataset-item.ts";

export type DecodedLine =
  | { kind: "blank" }
  | { kind: "value"; value: unknown }
  | { kind: "error"; error: DatasetError };

/** One JSONL line → a JSON object; blank lines are skipped, anything else is reported. */
export function decodeJsonlLine(raw: string, line: number): DecodedLine {
  const text = (line === 1 ? raw.replace(/^\uFEFF/, "") : raw).trim();
  if (text === "") return { kind: "blank" };
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    const reason = err instanceof SyntaxError ? err.message : String(err);
    return { kind: "error", error: { line, field: null, message: `not valid JSON: ${reason}` } };
  }
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    const what = Array.isArray(value) ? "an array" : value === null ? "null" : `a ${typeof value}`;
    return { kind: "error", error: { line, field: null, message: `each line must be a JSON object, not ${what}` } };
  }
  return { kind: "value", value };
}
