import type { Options } from "csv-parse";
import type { DatasetError } from "./dataset-item.ts";

/**
 * CSV datasets: a header row, then one item per record (a quoted field may span lines).
 *
 * | column | meaning |
 * | --- | --- |
 * | `id` | optional; `line-N` when empty |
 * | `prompt` | required |
 * | `expected` | optional, always read as text |
 * | `choices` | optional: a JSON array (`["4","5"]`) or options separated by `|` |
 * | `A`, `B`, `C`, … | optional: one option per column (the MMLU layout); empty trailing cells are skipped |
 * | `metadata.<key>` | optional: one metadata entry per column |
 */
export const CSV_OPTIONS: Options = {
  bom: true,
  raw: true,
  relax_column_count: true,
  skip_empty_lines: true,
};

type Column =
  | { kind: "id" | "prompt" | "expected" | "choices" }
  | { kind: "option"; index: number }
  | { kind: "metadata"; key: string };

const FIXED = new Set(["id", "prompt", "expected", "choices"]);

export type CsvRecordOutcome =
  | { kind: "header" }
  | { kind: "blank" }
  | { kind: "value"; value: Record<string, unknown> }
  /** `fatal`: the header is wrong, so no record after it can be read. */
  | { kind: "errors"; errors: DatasetError[]; fatal?: boolean };

/** Reads records in order: the first is the header. */
export class CsvRecordReader {
  #columns: Column[] | null = null;

  read(fields: readonly string[], line: number): CsvRecordOutcome {
    if (this.#columns === null) return this.#header(fields, line);
    if (fields.every((f) => f.trim() === "")) return { kind: "blank" };
    if (fields.length !== this.#columns.length) {
      return {
        kind: "errors",
        errors: [
          {
            line,
            field: null,
            message: `expected ${this.#columns.length} fields as in the header, found ${fields.length}`,
          },
        ],
      };
    }
    const value: Record<string, unknown> = {};
    const options: string[] = [];
    const metadata: Record<string, string> = {};
    const errors: DatasetError[] = [];
    this.#columns.forEach((column, i) => {
      const cell = fields[i] as string;
      if (cell === "") return;
      switch (column.kind) {
        case "id":
        case "prompt":
        case "expected":
          value[column.kind] = cell;
          return;
        case "choices": {
          const parsed = parseChoicesCell(cell);
          if (parsed === null) {
            errors.push({
              line,
              field: "choices",
              message: "choices must be a JSON array of strings or text separated by |",
            });
          } else value.choices = parsed;
          return;
        }
        case "option":
          options[column.index] = cell;
          return;
        case "metadata":
          metadata[column.key] = cell;
          return;
      }
    });
    if (errors.length > 0) return { kind: "errors", errors };
    if (options.length > 0) {
      let gap = -1;
      for (let i = 0; i < options.length && gap === -1; i++) if (options[i] === undefined) gap = i;
      if (gap !== -1) {
        const name = String.fromCharCode(65 + gap);
        return {
          kind: "errors",
          errors: [{ line, field: name, message: `option ${name} is empty but a later one is not` }],
        };
      }
      value.choices = options;
    }
    if (Object.keys(metadata).length > 0) value.metadata = metadata;
    return { kind: "value", value };
  }

  #header(fields: readonly string[], line: number): CsvRecordOutcome {
    const errors: DatasetError[] = [];
    const columns: Column[] = [];
    const seen = new Set<string>();
    const letters: number[] = [];
    for (const raw of fields) {
      const name = raw.trim();
      const lower = name.toLowerCase();
      if (seen.has(lower)) errors.push({ line, field: name, message: `column "${name}" appears twice in the header` });
      seen.add(lower);
      const meta = /^(?:metadata|meta)\.(.+)$/i.exec(name);
      if (FIXED.has(lower)) columns.push({ kind: lower as "id" | "prompt" | "expected" | "choices" });
      else if (/^[A-Z]$/.test(name)) {
        letters.push(name.charCodeAt(0) - 65);
        columns.push({ kind: "option", index: name.charCodeAt(0) - 65 });
      } else if (meta !== null) columns.push({ kind: "metadata", key: meta[1] as string });
      else {
        errors.push({
          line,
          field: name,
          message: `unknown column "${name}": use id, prompt, expected, choices, A/B/C/… or metadata.<key>`,
        });
        columns.push({ kind: "metadata", key: name });
      }
    }
    if (!seen.has("prompt")) errors.push({ line, field: "prompt", message: "the header has no prompt column" });
    const sorted = [...letters].sort((a, b) => a - b);
    if (sorted.some((l, i) => l !== i)) {
      errors.push({ line, field: null, message: "option columns must be consecutive letters starting at A" });
    }
    if (letters.length > 0 && seen.has("choices")) {
      errors.push({ line, field: "choices", message: "give options either in a choices column or in A/B/C/… columns" });
    }
    this.#columns = columns;
    return errors.length > 0 ? { kind: "errors", errors, fatal: true } : { kind: "header" };
  }

  get headerSeen(): boolean {
    return this.#columns !== null;
  }
}

function parseChoicesCell(cell: string): string[] | null {
  const text = cell.trim();
  if (text.startsWith("[")) {
    try {
      const value: unknown = JSON.parse(text);
      return Array.isArray(value) && value.every((v) => typeof v === "string") ? value : null;
    } catch {
      return null;
    }
  }
  return text.split("|").map((c) => c.trim());
}

/** The line a record starts on, from csv-parse's `lines` (where it ends) and its raw text. */
export function recordStartLine(endLine: number, raw: string | undefined): number {
  if (raw === undefined) return endLine;
  const body = raw.replace(/^\n+/, "").replace(/\n$/, "");
  let newlines = 0;
  for (let i = body.indexOf("\n"); i !== -1; i = body.indexOf("\n", i + 1)) newlines++;
  return endLine - newlines;
}
