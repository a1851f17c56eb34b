import { once } from "node:events";
import { CsvError, parse as csvStream, type InfoRecord, type Options } from "csv-parse";
import { parse as csvSync } from "csv-parse/sync";
import { CSV_OPTIONS, CsvRecordReader, recordStartLine } from "./csv.ts";
import type { DatasetError, DatasetItem } from "./dataset-item.ts";
import { ItemCollector, type ParseDatasetOptions } from "./item-collector.ts";
import { decodeJsonlLine } from "./jsonl.ts";

export type DatasetFormat = "jsonl" | "csv";

export interface ParsedDataset {
  items: DatasetItem[];
  /** Every problem found, in file order, up to `maxErrors`. A dataset with errors should be refused whole. */
  errors: DatasetError[];
  /** True when parsing stopped at `maxErrors`. */
  tooManyErrors: boolean;
}

/** A whole dataset held in a string. Linear in its size; never throws on bad content. */
export function parseDataset(text: string, format: DatasetFormat, options: ParseDatasetOptions = {}): ParsedDataset {
  const collector = new ItemCollector(options);
  const items: DatasetItem[] = [];
  const keep = (item: DatasetItem | null) => {
    if (item !== null) items.push(item);
  };
  if (format === "jsonl") {
    let line = 0;
    let start = 0;
    while (start <= text.length && !collector.stopped) {
      const end = text.indexOf("\n", start);
      if (end === -1 && start === text.length && line > 0) break; // the text ended with a newline
      const raw = text.slice(start, end === -1 ? text.length : end);
      line++;
      const decoded = decodeJsonlLine(raw, line);
      if (decoded.kind === "error") collector.error(decoded.error);
      else if (decoded.kind === "value") keep(collector.accept(decoded.value, line));
      if (end === -1) break;
      start = end + 1;
    }
    collector.finish(line);
  } else {
    const reader = new CsvRecordReader();
    let lastLine = 0;
    try {
      csvSync(text.replace(/\r\n?/g, "\n"), {
        ...CSV_OPTIONS,
        on_record: (record: unknown, context: InfoRecord) => {
          lastLine = context.lines;
          keep(readCsvRecord(reader, collector, record, context));
          if (collector.stopped) throw STOP;
          return null;
        },
      });
    } catch (err) {
      if (err !== STOP) collector.error(csvFailure(err, lastLine));
    }
    if (!reader.headerSeen && !collector.stopped)
      collector.error({ line: 1, field: null, message: "the CSV has no header row" });
    else collector.finish(lastLine);
  }
  return { items, errors: collector.errors, tooManyErrors: collector.tooManyErrors };
}

/**
 * A dataset read line by line (a file, an upload stream): items are yielded as they are
 * read, so 100,000 of them never need to be in memory at once. Lines come without their
 * terminators (as `readline` gives them). Errors collect in `errors`; iteration ends early
 * when `maxErrors` is reached. A dataset whose `errors` is non-empty at the end should be
 * refused whole (the items already yielded included).
 */
export class DatasetStream implements AsyncIterable<DatasetItem> {
  readonly #collector: ItemCollector;
  readonly #lines: AsyncIterable<string>;
  readonly #format: DatasetFormat;
  #started = false;

  constructor(lines: AsyncIterable<string>, format: DatasetFormat, options: ParseDatasetOptions = {}) {
    this.#lines = lines;
    this.#format = format;
    this.#collector = new ItemCollector(options);
  }

  get errors(): readonly DatasetError[] {
    return this.#collector.errors;
  }

  get tooManyErrors(): boolean {
    return this.#collector.tooManyErrors;
  }

  /** Items read so far. */
  get count(): number {
    return this.#collector.count;
  }

  [Symbol.asyncIterator](): AsyncIterator<DatasetItem> {
    if (this.#started) throw new Error("a DatasetStream can be iterated once");
    this.#started = true;
    return this.#format === "jsonl" ? this.#jsonl() : this.#csv();
  }

  async *#jsonl(): AsyncGenerator<DatasetItem> {
    const collector = this.#collector;
    let line = 0;
    for await (const raw of this.#lines) {
      line++;
      const decoded = decodeJsonlLine(raw, line);
      if (decoded.kind === "error") collector.error(decoded.error);
      else if (decoded.kind === "value") {
        const item = collector.accept(decoded.value, line);
        if (item !== null) yield item;
      }
      if (collector.stopped) return;
    }
    collector.finish(line);
  }

  async *#csv(): AsyncGenerator<DatasetItem> {
    const collector = this.#collector;
    const reader = new CsvRecordReader();
    // on_record wraps each record with its position; csv-parse's types assume records stay string[].
    const options = { ...CSV_OPTIONS, on_record: (record: unknown, context: InfoRecord) => ({ record, context }) };
    const parser = csvStream(options as unknown as Options);
    // Records are taken from 'data' events rather than the stream's async iterator: a parse
    // error destroys the stream, and the iterator would drop the records parsed before it.
    const queue: Array<{ record: unknown; context: InfoRecord }> = [];
    let head = 0;
    let failure: unknown = null;
    let ended = false;
    let wake: (() => void) | null = null;
    const notify = () => {
      wake?.();
      wake = null;
    };
    parser.on("data", (entry: { record: unknown; context: InfoRecord }) => {
      queue.push(entry);
      if (queue.length - head >= QUEUE_HIGH_WATER) parser.pause();
      notify();
    });
    parser.on("error", (err: unknown) => {
      failure = err;
      notify();
    });
    parser.on("end", () => {
      ended = true;
      notify();
    });
    const stopFeeding = new AbortController();
    const feeding = feed(this.#lines, parser, stopFeeding.signal);
    let lastLine = 0;
    try {
      while (true) {
        const entry = queue[head];
        if (entry === undefined) {
          if (failure !== null || ended) break;
          queue.length = head = 0;
          parser.resume();
          await new Promise<void>((resolve) => {
            wake = resolve;
          });
          continue;
        }
        queue[head++] = undefined as never;
        lastLine = entry.context.lines;
        const item = readCsvRecord(reader, collector, entry.record, entry.context);
        if (item !== null) yield item;
        if (collector.stopped) return;
      }
    } finally {
      stopFeeding.abort();
      parser.destroy();
      await feeding;
    }
    if (failure !== null) {
      collector.error(csvFailure(failure, lastLine));
      return;
    }
    if (!reader.headerSeen) collector.error({ line: 1, field: null, message: "the CSV has no header row" });
    else collector.finish(lastLine);
  }
}

/** Parsed CSV records buffered ahead of the consumer before the parser is paused. */
const QUEUE_HIGH_WATER = 256;

export function parseDatasetLines(
  lines: AsyncIterable<string>,
  format: DatasetFormat,
  options: ParseDatasetOptions = {},
): DatasetStream {
  return new DatasetStream(lines, format, options);
}

const STOP = Symbol("stop");

function readCsvRecord(
  reader: CsvRecordReader,
  collector: ItemCollector,
  record: unknown,
  context: InfoRecord,
): DatasetItem | null {
  const fields = (Array.isArray(record) ? record : (record as { record: string[] }).record) as string[];
  const line = recordStartLine(context.lines, context.raw);
  const outcome = reader.read(fields, line);
  switch (outcome.kind) {
    case "header":
    case "blank":
      return null;
    case "errors":
      for (const e of outcome.errors) collector.error(e);
      if (outcome.fatal) collector.halt();
      return null;
    case "value":
      return collector.accept(outcome.value, line);
  }
}

function csvFailure(err: unknown, lastLine: number): DatasetError {
  if (err instanceof CsvError) {
    if (err.code === "CSV_QUOTE_NOT_CLOSED") {
      return { line: lastLine + 1, field: null, message: "CSV: a quoted field that starts here is never closed" };
    }
    const at = (err as CsvError & { lines?: number }).lines;
    return { line: typeof at === "number" && at > 0 ? at : lastLine + 1, field: null, message: `CSV: ${err.message}` };
  }
  throw err;
}

/** Writes the lines into the CSV parser, honouring backpressure; a failing source destroys the parser. */
async function feed(
  lines: AsyncIterable<string>,
  parser: NodeJS.WritableStream & { destroy(err?: Error): void },
  signal: AbortSignal,
): Promise<void> {
  try {
    for await (const line of lines) {
      if (signal.aborted) return;
      if (!parser.write(`${line}\n`)) await once(parser, "drain", { signal });
    }
    if (!signal.aborted) parser.end();
  } catch (err) {
    if (signal.aborted) return;
    parser.destroy(err instanceof Error ? err : new Error(String(err)));
  }
}
