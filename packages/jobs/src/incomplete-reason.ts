import type { IncompleteReason } from "@reasonq/core";

/**
 * How a finished call that is not a success is named, for run and logged jobs alike:
 * `length` with an empty answer means reasoning ate the budget (billed, but not a success).
 */
export function incompleteReason(finish: string, answer: string): IncompleteReason | null {
  if (finish === "content_filter") return "content_filter";
  if (finish === "length" && answer.trim() === "") return "max_output_tokens";
  return null;
}
