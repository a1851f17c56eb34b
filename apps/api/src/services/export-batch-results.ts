import { type BatchResultLine, BatchResultLineSchema } from "@reasonq/core";
import { parseBatchSpec, type StoredVariant } from "@reasonq/jobs";
import type { BatchRow, ResultWithJob, Store } from "@reasonq/store";

const PAGE = 1000;

/** One result row as the API exports it. */
function resultRecord(row: ResultWithJob, variants: readonly StoredVariant[]): BatchResultLine {
  const variant = variants[row.variant_idx];
  return {
    item_id: row.item_id,
    variant_id: variant?.id ?? String(row.variant_idx),
    variant_label: variant?.label ?? String(row.variant_idx),
    repeat: row.repeat,
    job_id: row.job_id,
    status: row.status,
    correct: row.correct,
    score: row.score,
    extracted: row.extracted,
    answer: row.answer,
    input_tokens: row.input_tokens,
    output_tokens: row.output_tokens,
    reasoning_tokens: row.reasoning_tokens,
    cost: row.cost,
    latency_ms: row.latency_ms === null ? null : Math.round(row.latency_ms),
    error_type: row.error_type,
    incomplete_reason: row.incomplete_reason,
  };
}

const CSV_COLUMNS = Object.keys(BatchResultLineSchema.shape) as Array<keyof BatchResultLine>;
/** RFC 4180: a field with a comma, quote or line break is quoted, quotes doubled. */
function csvField(value: unknown): string {
  if (value === null || value === undefined) return "";
  const text = String(value);
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/**
 * The batch's results in grid order, read a page at a time and written as they are read,
 * so a 100,000-row export never sits in memory.
 */
export async function* resultLines(store: Store, batch: BatchRow, format: "jsonl" | "csv"): AsyncGenerator<string> {
  const variants = parseBatchSpec(batch.spec, batch.id).variants;
  if (format === "csv") yield `${CSV_COLUMNS.join(",")}\n`;
  let after = -1;
  for (;;) {
    const rows = await store.batches.resultRows(batch.id, after, PAGE);
    if (rows.length === 0) return;
    let chunk = "";
    for (const row of rows) {
      const record = resultRecord(row, variants);
      chunk +=
        format === "csv" ? `${CSV_COLUMNS.map((c) => csvField(record[c])).join(",")}\n` : `${JSON.stringify(record)}\n`;
    }
    yield chunk;
    after = rows[rows.length - 1]?.ordinal ?? after;
  }
}
