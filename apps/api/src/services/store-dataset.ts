import { type Dataset, newId } from "@reasonq/core";
import type { DatasetError, DatasetFormat, DatasetItem, DatasetStream } from "@reasonq/eval";
import type { DatasetItemInput, Store } from "@reasonq/store";

const CHUNK = 500;

/** A refused dataset, every problem located by line and field. */
class DatasetRejected extends Error {
  readonly errors: readonly DatasetError[];
  readonly tooMany: boolean;
  constructor(errors: readonly DatasetError[], tooMany: boolean) {
    super("dataset refused");
    this.errors = errors;
    this.tooMany = tooMany;
  }
}

function describe(errors: readonly DatasetError[], tooMany: boolean): string {
  const shown = errors
    .slice(0, 5)
    .map((e) => `line ${e.line}${e.field === null ? "" : ` ${e.field}`}: ${e.message}`)
    .join("; ");
  const more = errors.length > 5 ? ` (and ${errors.length - 5} more${tooMany ? ", stopped counting" : ""})` : "";
  return `the dataset has ${errors.length}${tooMany ? "+" : ""} problem(s): ${shown}${more}`;
}

async function* chunksOf(items: AsyncIterable<DatasetItem>): AsyncGenerator<DatasetItemInput[]> {
  let chunk: DatasetItemInput[] = [];
  for await (const { id, ...item } of items) {
    chunk.push({ item_id: id, item });
    if (chunk.length === CHUNK) {
      yield chunk;
      chunk = [];
    }
  }
  if (chunk.length > 0) yield chunk;
}

/** Parses and stores a dataset in one pass; a dataset with any problem is refused whole. */
export async function storeDataset(
  store: Store,
  apiKeyId: string,
  name: string,
  format: DatasetFormat | "inline",
  items: DatasetStream,
) {
  async function* checked(): AsyncGenerator<DatasetItemInput[]> {
    yield* chunksOf(items);
    if (items.errors.length > 0) throw new DatasetRejected(items.errors, items.tooManyErrors);
  }
  return store.datasets.create({ id: newId("dataset"), api_key_id: apiKeyId, name, format }, checked());
}

export function toDataset(row: Awaited<ReturnType<typeof storeDataset>>): Dataset {
  return {
    id: row.id,
    object: "dataset",
    name: row.name,
    format: row.format,
    item_count: row.item_count,
    created_at: row.created_at.toISOString(),
  };
}

export function rejectionBody(error: unknown) {
  if (!(error instanceof DatasetRejected)) return undefined;
  const first = error.errors[0];
  return {
    error: {
      type: "invalid_request" as const,
      message: describe(error.errors, error.tooMany),
      ...(first?.field == null ? {} : { field: first.field }),
      details: [...error.errors],
    },
  };
}
