import { Readable } from "node:stream";
import { BatchRequestSchema, BatchSchema, ErrorBodySchema, listSchema, ReasonqError } from "@reasonq/core";
import { batchHeader } from "@reasonq/jobs";
import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { z } from "zod";
import { renderBatchReport } from "../../../services/batch-report.ts";
import { batchView } from "../../../services/batch-view.ts";
import { type CancelDeps, cancelJob } from "../../../services/cancel-job.ts";
import { type BatchDeps, createBatch } from "../../../services/create-batch.ts";
import { resultLines } from "../../../services/export-batch-results.ts";
import { rejectionBody } from "../../../services/store-dataset.ts";
import { announceBatchEnd } from "../../../services/webhook-intake.ts";

export type BatchRoutesOptions = BatchDeps & CancelDeps;

/** Inline items make batch bodies larger than job bodies; uploads (`/v1/datasets`) are streamed. */
export const BATCH_BODY_LIMIT_BYTES = 32 * 1024 * 1024;

const BatchIdParams = z.object({ id: z.string().min(1).max(64) });
const errors = { 400: ErrorBodySchema, 401: ErrorBodySchema, 404: ErrorBodySchema };

export const batchRoutes: FastifyPluginAsyncZod<BatchRoutesOptions> = async (app, options) => {
  const { store } = options;
  const owned = async (id: string, apiKeyId: string) => {
    const row = await store.batches.get(id, apiKeyId);
    if (row === undefined) throw new ReasonqError("not_found", `no batch ${id}`, { field: "id" });
    return row;
  };

  app.post(
    "/batches",
    {
      bodyLimit: BATCH_BODY_LIMIT_BYTES,
      schema: {
        summary: "Start a batch evaluation: items × variants × repeats, scored",
        body: BatchRequestSchema,
        response: { 202: BatchSchema, 402: ErrorBodySchema, ...errors },
      },
    },
    async (request, reply) => {
      try {
        const row = await createBatch(options, request.apiKey, request.body);
        reply.header("location", `/v1/batches/${row.id}`);
        return reply.code(202).send(batchHeader(row, {}));
      } catch (error) {
        const body = rejectionBody(error);
        if (body !== undefined) return reply.code(400).send(body as never);
        throw error;
      }
    },
  );

  app.get(
    "/batches",
    {
      schema: {
        summary: "List batches, newest first",
        querystring: z.strictObject({
          limit: z.coerce.number().int().min(1).max(100).default(20),
          after: z.string().max(64).optional(),
        }),
        response: { 200: listSchema(BatchSchema), ...errors },
      },
    },
    async (request) => {
      const { rows, hasMore } = await store.batches.list(request.apiKey.id, request.query.limit, request.query.after);
      const last = rows.at(-1);
      return {
        object: "list" as const,
        data: rows.map((row) => batchHeader(row, {})),
        has_more: hasMore,
        next_cursor: hasMore && last !== undefined ? last.id : null,
      };
    },
  );

  app.get(
    "/batches/:id",
    {
      schema: {
        summary: "A batch: progress, spend, and per-variant accuracy (Wilson 95%), tokens, cost and latency",
        params: BatchIdParams,
        response: { 200: BatchSchema, ...errors },
      },
    },
    async (request) => batchView(store, await owned(request.params.id, request.apiKey.id)),
  );

  app.get(
    "/batches/:id/results",
    {
      schema: {
        summary: "One line per (item, variant, repeat): JSONL, or CSV with ?format=csv",
        params: BatchIdParams,
        querystring: z.strictObject({ format: z.enum(["jsonl", "csv"]).default("jsonl") }),
      },
    },
    async (request, reply) => {
      const row = await owned(request.params.id, request.apiKey.id);
      const format = request.query.format;
      reply.type(format === "csv" ? "text/csv; charset=utf-8" : "application/x-ndjson; charset=utf-8");
      reply.header("content-disposition", `inline; filename="${row.id}-results.${format}"`);
      return reply.send(Readable.from(resultLines(store, row, format)));
    },
  );

  app.get(
    "/batches/:id/report",
    {
      schema: {
        summary: "The batch report: one self-contained HTML page",
        params: BatchIdParams,
      },
    },
    async (request, reply) => {
      const row = await owned(request.params.id, request.apiKey.id);
      return reply.type("text/html; charset=utf-8").send(await renderBatchReport(store, row));
    },
  );

  app.post(
    "/batches/:id/cancel",
    {
      schema: {
        summary: "Stop a batch: no new jobs start, queued ones are cancelled, running ones aborted",
        params: BatchIdParams,
        response: { 200: BatchSchema, ...errors },
      },
    },
    async (request) => {
      const result = await store.batches.cancel(request.params.id, request.apiKey.id);
      if (result === undefined) throw new ReasonqError("not_found", `no batch ${request.params.id}`, { field: "id" });
      await announceBatchEnd(options.webhooks, result.batch);
      for (const jobId of result.unfinished) await cancelJob(options, jobId, request.apiKey.id);
      return batchView(store, (await store.batches.get(result.batch.id)) ?? result.batch);
    },
  );
};
