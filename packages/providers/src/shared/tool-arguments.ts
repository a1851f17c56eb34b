import { ReasonqError } from "@reasonq/core";

/** A tool call's `arguments` (JSON text) → the object providers that take structured input want. */
export function parseToolArguments(text: string, field: string): Record<string, unknown> {
  if (text.trim() === "") return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new ReasonqError("invalid_request", "tool call arguments must be JSON text", { field });
  }
  if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) {
    throw new ReasonqError("invalid_request", "tool call arguments must be a JSON object", { field });
  }
  return parsed as Record<string, unknown>;
}
