import {
  isTerminal,
  RESPONSE_INCLUDES,
  ReasonqError,
  ResponseCreateRequestSchema,
  type StoredResponseRequest,
} from "@reasonq/core";
import { toJob } from "@reasonq/store";
import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { z } from "zod";
import { onClientGone } from "../../../services/abandoned-calls.ts";
import { cancelJob } from "../../../services/cancel-job.ts";
import { failedJobError, type SyncCallDeps, startCall, waitForEnd } from "../../../services/sync-call.ts";
import { buildRequest } from "./build-request.ts";
import { refuseUnhonouredResponse, responseClientParams } from "./client-params.ts";
import { InputItemsQuerySchema, inputItemList, storedInput } from "./input-items.ts";
import { responseObject } from "./response-object.ts";
import { type StreamDeps, streamResponse } from "./stream.ts";

export type ResponseRoutesOptions = SyncCallDeps & StreamDeps;

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
      refuseUnhonouredResponse(body);
      // A synchronous response is a long poll: bounded before its job is created.
      if (body.stream !== true && body.background !== true) {
        reply.raw.once("close", options.waiter.hold(request.apiKey.id));
      }
      const built = await buildRequest(options.store, request.apiKey.id, body);
      const {
        job: row,
        call,
        attached,
      } = await startCall(options, request.apiKey, request.headers, built.job, responseClientParams(body));
      if (attached) request.log.info({ job_id: row.id }, "a retried call attached to its earlier job");
      const stored: StoredResponseRequest = { ...built.stored, input: storedInput(row.id, built.stored.input) };
      await options.store.responses.create(row.id, request.apiKey.id, stored);
      reply.header("x-reasonq-job-id", row.id);
      // A background response outlives its request; any other is abandoned when its client goes.
      if (!stored.background) options.abandoned.watch(reply.raw, call);
      if (body.stream === true) {
        // A background response is accepted whatever becomes of it: its failure is part of its stream.
        return streamResponse(options, reply, toJob(row), stored, {
          include: [],
          startingAfter: undefined,
          holdHeaders: !stored.background,
        });
      }
      if (stored.background) return responseObject(toJob(row), stored);

      const closed = new AbortController();
      onClientGone(reply.raw, () => closed.abort());
      const ended = await waitForEnd(options, row, closed.signal);
      if (!isTerminal(ended.status)) {
        // The client went away; there is nobody to answer.
        reply.hijack();
        reply.raw.end();
        return;
      }
      const done = toJob(ended);
      const error = failedJobError(done);
      if (error !== undefined) {
        // The job already made its own attempts: an SDK retry would only run (and bill) it again.
        reply.header("x-should-retry", "false");
        throw error;
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
      const ended = await waitForEnd(options, row, AbortSignal.timeout(CANCEL_WAIT_MS));
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
