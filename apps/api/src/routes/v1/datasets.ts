import { createInterface } from "node:readline";
import { Readable } from "node:stream";
import { DatasetErrorsBodySchema, DatasetSchema, ErrorBodySchema, ReasonqError } from "@reasonq/core";
import { type DatasetFormat, DatasetStream } from "@reasonq/eval";
import type { Store } from "@reasonq/store";
import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { z } from "zod";
import { rejectionBody, storeDataset, toDataset } from "../../services/store-dataset.ts";

/** Uploads are streamed, so the bound is on the stream, not on a buffered body. */
export const MAX_DATASET_BYTES = 256 * 1024 * 1024;
export const MAX_DATASET_ITEMS = 1_000_000;

const FORMATS: Record<string, DatasetFormat> = {
  "application/x-ndjson": "jsonl",
  "application/jsonl": "jsonl",
  "application/x-jsonlines": "jsonl",
  "text/csv": "csv",
};

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
          400: DatasetErrorsBodySchema,
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
