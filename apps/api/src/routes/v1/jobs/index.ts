import {
  ErrorBodySchema,
  isTerminal,
  JobRequestSchema,
  JobSchema,
  JobStatusSchema,
  listSchema,
  ReasonqError,
} from "@reasonq/core";
import { toJob, toWebhookDelivery } from "@reasonq/store";
import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { z } from "zod";
import type { JobWaiter } from "../../../job-waiter.ts";
import { cancelJob } from "../../../services/cancel-job.ts";
import { type SubmitDeps, submitJob } from "../../../services/submit-job.ts";

export interface JobRoutesOptions extends SubmitDeps {
  waiter: JobWaiter;
  maxWaitSeconds: number;
}

const JobIdParams = z.object({ id: z.string().min(1).max(64) });
const errors = { 400: ErrorBodySchema, 401: ErrorBodySchema, 404: ErrorBodySchema };

function metadataPair(filter: string): Record<string, string> {
  const at = filter.indexOf(":");
  return { [filter.slice(0, at)]: filter.slice(at + 1) };
}

export const jobRoutes: FastifyPluginAsyncZod<JobRoutesOptions> = async (app, options) => {
  const { store, waiter } = options;

  app.post(
    "/jobs",
    {
      schema: {
        summary: "Submit a reasoning job",
        body: JobRequestSchema,
        headers: z.object({ "idempotency-key": z.string().min(1).max(255).optional() }),
        response: { 200: JobSchema, 202: JobSchema, 409: ErrorBodySchema, 503: ErrorBodySchema, ...errors },
      },
    },
    async (request, reply) => {
      const { job, created } = await submitJob(
        options,
        request.apiKey,
        request.body,
        request.headers["idempotency-key"],
      );
      reply.header("location", `/v1/jobs/${job.id}`);
      return reply.code(created ? 202 : 200).send(toJob(job));
    },
  );

  app.get(
    "/jobs/:id",
    {
      schema: {
        summary: "Read a job; ?wait= holds the request until it ends",
        params: JobIdParams,
        querystring: z.strictObject({
          wait: z.coerce.number().int().min(0).max(options.maxWaitSeconds).optional(),
          include: z
            .string()
            .regex(
              /^(attempts|messages|webhook)(,(attempts|messages|webhook))*$/,
              "a comma-separated list of attempts, messages, webhook",
            )
            .optional(),
        }),
        response: { 200: JobSchema, 429: ErrorBodySchema, ...errors },
      },
    },
    async (request) => {
      const { id } = request.params;
      const keyId = request.apiKey.id;
      const read = async () => {
        const row = await store.jobs.get(id, keyId);
        if (row === undefined) throw new ReasonqError("not_found", `no job ${id}`, { field: "id" });
        return row;
      };
      let row = await read();
      const wait = request.query.wait ?? 0;
      if (wait > 0 && !isTerminal(row.status)) {
        const release = waiter.hold(keyId);
        try {
          const aborted = new AbortController();
          request.raw.once("close", () => aborted.abort());
          const ended = await waiter.wait(id, wait * 1000, aborted.signal);
          row = ended?.row ?? (await read());
        } finally {
          release();
        }
      }
      const include = new Set(request.query.include?.split(","));
      const job = toJob(row, include.has("attempts") ? await store.jobs.attempts(id) : undefined);
      if (include.has("messages")) job.messages = row.spec.messages.map((message) => ({ ...message }));
      if (include.has("webhook")) job.webhook = toWebhookDelivery(await store.webhooks.get(id));
      return job;
    },
  );

  app.get(
    "/jobs",
    {
      schema: {
        summary: "List jobs, newest first",
        querystring: z.strictObject({
          status: JobStatusSchema.optional(),
          batch_id: z.string().max(64).optional(),
          model: z.string().max(200).optional(),
          metadata: z
            .string()
            .max(600)
            .regex(/^[^:]{1,64}:.{0,512}$/, "key:value")
            .optional()
            .describe("jobs whose metadata has this key:value pair"),
          limit: z.coerce.number().int().min(1).max(100).default(20),
          after: z.string().max(64).optional(),
        }),
        response: { 200: listSchema(JobSchema), ...errors },
      },
    },
    async (request) => {
      const q = request.query;
      const { rows, hasMore } = await store.jobs.list({
        apiKeyId: request.apiKey.id,
        limit: q.limit,
        ...(q.status === undefined ? {} : { status: q.status }),
        ...(q.batch_id === undefined ? {} : { batchId: q.batch_id }),
        ...(q.model === undefined ? {} : { model: options.catalog.resolve(q.model).model.id }),
        ...(q.metadata === undefined ? {} : { metadata: metadataPair(q.metadata) }),
        ...(q.after === undefined ? {} : { after: q.after }),
      });
      const last = rows.at(-1);
      return {
        object: "list" as const,
        data: rows.map((row) => toJob(row)),
        has_more: hasMore,
        next_cursor: hasMore && last !== undefined ? last.id : null,
      };
    },
  );

  app.post(
    "/jobs/:id/cancel",
    {
      schema: {
        summary: "Cancel a job; a running job's provider call is aborted and its partial result kept",
        params: JobIdParams,
        response: { 200: JobSchema, ...errors },
      },
    },
    async (request) => toJob(await cancelJob(options, request.params.id, request.apiKey.id)),
  );
};
