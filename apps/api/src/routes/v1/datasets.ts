import { createInterface } from "node:readline";
import { Readable } from "node:stream";
import { ErrorBodySchema, ErrorTypeSchema, newId, ReasonqError } from "@reasonq/core";
import { type DatasetError, type DatasetFormat, type DatasetItem, DatasetStream } from "@reasonq/eval";
import type { DatasetItemInput, Store } from "@reasonq/store";
import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { z } from "zod";

/** Uploads are streamed, so the bound is on the stream, not on a buffered body. */
export const MAX_DATASET_BYTES = 256 * 1024 * 1024;
export const MAX_DATASET_ITEMS = 1_000_000;
const CHUNK = 500;

const FORMATS: Record<string, DatasetFormat> = {
  "application/x-ndjson": "jsonl",
  "application/jsonl": "jsonl",
  "application/x-jsonlines": "jsonl",
  "text/csv": "csv",
};

export const DatasetSchema = z
  .object({
    id: z.string(),
    object: z.literal("dataset"),
    name: z.string(),
    format: z.enum(["jsonl", "csv", "inline"]),
    item_count: z.number().int(),
    created_at: z.string(),
  })
  .meta({ id: "Dataset" });

/** Every 400 of the route: a refused dataset carries `details`, an ordinary bad request does not. */
const DatasetErrorsBody = z.object({
  error: z.object({
    type: ErrorTypeSchema,
    message: z.string(),
    field: z.string().optional(),
    details: z
      .array(z.object({ line: z.number().int(), field: z.string().nullable(), message: z.string() }))
      .optional(),
  }),
});

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

/** Counts bytes as they pass, failing the stream past the bound. */
async function* boundedLines(stream: Readable, maxBytes: number): AsyncGenerator<string> {
  let bytes = 0;
  stream.on("data", (chunk: Buffer) => {
    bytes += chunk.length;
    if (bytes > maxBytes) {
      stream.destroy(new ReasonqError("payload_too_large", `a dataset upload is limited to ${maxBytes} bytes`));
    }
  });
  yield* createInterface({ input: stream, crlfDelay: Number.POSITIVE_INFINITY });
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

export function toDataset(row: Awaited<ReturnType<typeof storeDataset>>): z.infer<typeof DatasetSchema> {
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

/**
 * `POST /v1/datasets?name=…`: a JSONL (`application/x-ndjson`) or CSV (`text/csv`) body,
 * streamed and stored as it is parsed (never buffered whole), for `dataset_id` in batches.
 */
export const datasetRoutes: FastifyPluginAsyncZod<{ store: Store }> = async (app, { store }) => {
  app.addContentTypeParser(Object.keys(FORMATS), (_request, payload, done) => done(null, payload));

  app.post(
    "/datasets",
    {
      bodyLimit: MAX_DATASET_BYTES,
      schema: {
        summary: "Upload a dataset (JSONL or CSV), for batch evaluations",
        querystring: z.strictObject({ name: z.string().min(1).max(200).optional() }),
        response: {
          201: DatasetSchema,
          400: DatasetErrorsBody,
          401: ErrorBodySchema,
          413: ErrorBodySchema,
          415: ErrorBodySchema,
        },
      },
    },
    async (request, reply) => {
      const type = (request.headers["content-type"] ?? "").split(";")[0]?.trim().toLowerCase() ?? "";
      const format = FORMATS[type];
      if (format === undefined) {
        throw new ReasonqError(
          "unsupported_media_type",
          `send JSONL as application/x-ndjson or CSV as text/csv, not "${type}"`,
          {
            field: "content-type",
          },
        );
      }
      // An empty upload never reaches the stream parser: it is an empty stream of lines.
      const upload = request.body instanceof Readable ? request.body : Readable.from([]);
      const items = new DatasetStream(boundedLines(upload, MAX_DATASET_BYTES), format, {
        maxItems: MAX_DATASET_ITEMS,
      });
      try {
        const row = await storeDataset(
          store,
          request.apiKey.id,
          request.query.name ?? `upload ${new Date().toISOString()}`,
          format,
          items,
        );
        return reply.code(201).send(toDataset(row));
      } catch (error) {
        const body = rejectionBody(error);
        if (body !== undefined) return reply.code(400).send(body);
        throw error;
      }
    },
  );
};
