import type { DatasetItem } from "../dataset/dataset-item.ts";
import { extractNumbers } from "./numeric.ts";
import type { ScorerConfig } from "./registry.ts";

/**
 * A scorer for a dataset whose user named none (`reasonq eval file.jsonl`): `choice` when
 * items have options, `numeric` when every expected answer is one number, else `exact`.
 * Reads items once, keeping nothing.
 */
export function suggestScorer(items: Iterable<Pick<DatasetItem, "expected" | "choices">>): ScorerConfig {
  let choices = 0;
  let numeric = 0;
  let total = 0;
  for (const item of items) {
    if (item.expected === undefined) continue;
    total++;
    if (item.choices !== undefined) choices++;
    else if (typeof item.expected === "number" || (typeof item.expected === "string" && isOneNumber(item.expected)))
      numeric++;
  }
  if (total > 0 && choices === total) return { type: "choice" };
  if (total > 0 && numeric === total) return { type: "numeric", tolerance: 1e-6, relative_tolerance: 0 };
  return { type: "exact", case_sensitive: false };
}

function isOneNumber(text: string): boolean {
  const found = extractNumbers(text);
  return found.length === 1 && (found[0]?.text.length ?? 0) >= text.trim().length - 1;
}
