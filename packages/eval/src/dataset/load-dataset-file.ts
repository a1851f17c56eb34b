import { createReadStream } from "node:fs";
import { extname } from "node:path";
import { createInterface } from "node:readline";
import type { ParseDatasetOptions } from "./item-collector.ts";
import { type DatasetFormat, type DatasetStream, parseDatasetLines } from "./parse-dataset.ts";

/** `.jsonl` / `.ndjson` → jsonl, `.csv` → csv; anything else is null (ask the user). */
export function datasetFormatOf(path: string): DatasetFormat | null {
  const ext = extname(path).toLowerCase();
  if (ext === ".jsonl" || ext === ".ndjson") return "jsonl";
  if (ext === ".csv") return "csv";
  return null;
}

/**
 * The one place in this package that touches the file system: streams a dataset file
 * line by line (CRLF or LF) into `parseDatasetLines`. A missing file rejects during iteration.
 */
export function loadDatasetFile(
  path: string,
  format?: DatasetFormat,
  options: ParseDatasetOptions = {},
): DatasetStream {
  const resolved = format ?? datasetFormatOf(path);
  if (resolved === null)
    throw new Error(`cannot tell the format of ${path}: name it .jsonl or .csv, or pass the format`);
  const lines = createInterface({
    input: createReadStream(path, { encoding: "utf8" }),
    crlfDelay: Number.POSITIVE_INFINITY,
  });
  return parseDatasetLines(lines, resolved, options);
}
