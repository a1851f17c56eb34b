import {
  ERROR_TYPES,
  isTerminal,
  type Job,
  RESPONSE_INCLUDES,
  ReasonqError,
  ResponseCreateRequestSchema,
  type StoredResponseRequest,
} from "@reasonq/core";
import { type JobRow, toJob } from "@reasonq/store";
import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { z } from "zod";
import type { JobWaiter } from "../../../job-waiter.ts";
import { cancelJob } from "../../../services/cancel-job.ts";
import { type SubmitDeps, submitJob } from "../../../services/submit-job.ts";
import { buildRequest } from "./build-request.ts";
import { InputItemsQuerySchema, inputItemList, storedInput } from "./input-items.ts";
import { responseObject } from "./response-object.ts";
import { type StreamDeps, streamResponse } from "./stream.ts";

declare module "fastify" {
  interface FastifyContextConfig {
    /** Errors of this route are answered in OpenAI's body shape. */
    openaiErrors?: boolean;
  }
}

export interface ResponseRoutesOptions extends SubmitDeps, StreamDeps {
  waiter: JobWaiter;
}

const IdParams = z.object({ id: z.string().min(1).max(64) });
const Include = z.array(z.enum(RESPONSE_INCLUDES)).max(10);
const toList = (v: unknown) => (v === undefined ? undefined : Array.isArray(v) ? v : [v]);

const RetrieveQuerySchema = z.strictObject({
  stream: z.enum(["true", "false"]).optional(),
  starting_after: z.coerce.number().int().min(-1).optional(),
  include: z.preprocess(toList, Include).optional(),
  "include[]": z.preprocess(toList, Include).optional(),
  include_obfuscation: z.enum(["true", "false"]).optional(),
});

const config = { openaiErrors: true };

/** How long a cancel waits for the worker to stop a running job before answering. */
const CANCEL_WAIT_MS = 10_000;

/**
 * The OpenAI Responses API on reasonq jobs: a response is the job with the same id (it
 * shows in /v1/jobs, usage, events), run by any provider family. `background: true`
 * answers at once; retrieve polls or, with `stream=true`, replays the stream, resumable
 * with `starting_after`.
 */
export const responseRoutes: FastifyPluginAsyncZod<ResponseRoutesOptions> = async (app, options) => {
  const find = async (id: string, apiKeyId: string) => {
    const found = await options.store.responses.get(id, apiKeyId);
    if (found === undefined) throw new ReasonqError("not_found", `no response ${id}`, { field: "id" });
    return found;
  };

  /** Waits for the job to end, or for the client to go away. */
  const settle = async (row: JobRow, signal: AbortSignal): Promise<JobRow> => {
    let current = row;
    while (!isTerminal(current.status) && !signal.aborted) {
      await options.waiter.wait(
        row.id,
        60_000,
        async () => {
          current = (await options.store.jobs.get(row.id)) ?? current;
          return isTerminal(current.status);
        },
        signal,
      );
      current = (await options.store.jobs.get(row.id)) ?? current;
    }
    return current;
  };

  app.post(
    "/responses",
    {
      config,
      schema: {
        summary: "Create a model response (OpenAI Responses API), run as a reasonq job",
        body: ResponseCreateRequestSchema,
        headers: z.looseObject({ "idempotency-key": z.string().min(1).max(255).optional() }),
      },
    },
    async (request, reply) => {
      const body = request.body;
      const built = await buildRequest(options.store, request.apiKey.id, body);
      const { job: row } = await submitJob(options, request.apiKey, built.job, request.headers["idempotency-key"]);
      const stored: StoredResponseRequest = { ...built.stored, input: storedInput(row.id, built.stored.input) };
      await options.store.responses.create(row.id, request.apiKey.id, stored);
      reply.header("x-reasonq-job-id", row.id);
      if (body.stream === true) {
        return streamResponse(options, reply, toJob(row), stored, { include: [], startingAfter: undefined });
      }
      if (stored.background) return responseObject(toJob(row), stored);

      const closed = new AbortController();
      request.raw.once("close", () => closed.abort());
      const done = toJob(await settle(row, closed.signal));
      const error = failure(done);
      if (error !== undefined) {
        return reply.code(ERROR_TYPES[error.type].http).send({ error: { type: error.type, message: error.message } });
      }
      return responseObject(done, stored);
    },
  );

  app.get(
    "/responses/:id",
    {
      config,
      schema: {
        summary: "Retrieve a response; with stream=true, replay its stream (resumable with starting_after)",
        params: IdParams,
        querystring: RetrieveQuerySchema,
      },
    },
    async (request, reply) => {
      const { response, job } = await find(request.params.id, request.apiKey.id);
      const include = [...(request.query.include ?? []), ...(request.query["include[]"] ?? [])];
      if (request.query.stream === "true") {
        return streamResponse(options, reply, toJob(job), response.request, {
          include,
          startingAfter: request.query.starting_after,
        });
      }
      return responseObject(toJob(job), response.request, { include });
    },
  );

  app.post(
    "/responses/:id/cancel",
    { config, schema: { summary: "Cancel a background response", params: IdParams } },
    async (request) => {
      const { response } = await find(request.params.id, request.apiKey.id);
      if (!response.request.background) {
        throw new ReasonqError("invalid_request", "only a background response can be cancelled", { field: "id" });
      }
      const row = await cancelJob(options, response.id, request.apiKey.id);
      // A running job is only signalled; its worker ends it within moments, keeping the partial result.
      const ended = await settle(row, AbortSignal.timeout(CANCEL_WAIT_MS));
      return responseObject(toJob(ended), response.request);
    },
  );

  app.delete(
    "/responses/:id",
    {
      config,
      schema: {
        summary: "Delete a response from the Responses API (its job and cost stay in /v1/jobs and usage)",
        params: IdParams,
      },
    },
    async (request) => {
      const { id } = request.params;
      if (!(await options.store.responses.delete(id, request.apiKey.id))) {
        throw new ReasonqError("not_found", `no response ${id}`, { field: "id" });
      }
      return { id, object: "response", deleted: true };
    },
  );

  app.get(
    "/responses/:id/input_items",
    {
      config,
      schema: { summary: "The input items of a response", params: IdParams, querystring: InputItemsQuerySchema },
    },
    async (request) => {
      const { response } = await find(request.params.id, request.apiKey.id);
      return inputItemList(response.request.input, request.query);
    },
  );
};

/** A synchronous response that did not produce an answer, as the error an OpenAI client expects. */
function failure(job: Job): ReasonqError | undefined {
  if (job.status !== "failed" && job.status !== "cancelled") return undefined;
  const error = job.error ?? { type: "internal_error" as const, message: `the response was ${job.status}` };
  return new ReasonqError(error.type, error.message);
}
