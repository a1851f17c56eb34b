import { ErrorBodySchema, ReasonqError } from "@reasonq/core";
import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { z } from "zod";
import { type FollowDeps, followJobEvents, seenTheEnd } from "../../../services/follow-events.ts";
import type { SseStreams } from "../../../sse.ts";

export interface EventRoutesOptions extends FollowDeps {
  sse: SseStreams;
}

const EVENT_ID = /^(0|\d+-\d+)$/;

/**
 * `GET /v1/jobs/{id}/events`: the job's live events as SSE. Every event has an id (its
 * Redis stream id); a client reconnecting with `Last-Event-ID` gets exactly the events
 * after it, from any API instance, also after the job ended (for the retention period).
 * A resume after the `done` event answers 204 No Content: an EventSource stops there.
 */
export const jobEventRoutes: FastifyPluginAsyncZod<EventRoutesOptions> = async (app, options) => {
  app.get(
    "/jobs/:id/events",
    {
      schema: {
        summary: "Live events of a job (Server-Sent Events), resumable with Last-Event-ID",
        params: z.object({ id: z.string().min(1).max(64) }),
        headers: z.object({ "last-event-id": z.string().regex(EVENT_ID).optional() }),
        querystring: z.strictObject({ after: z.string().regex(EVENT_ID).optional() }),
        response: { 204: z.null(), 400: ErrorBodySchema, 401: ErrorBodySchema, 404: ErrorBodySchema },
      },
    },
    async (request, reply) => {
      const { id } = request.params;
      const job = await options.jobReads.get(id, request.apiKey.id);
      if (job === undefined) throw new ReasonqError("not_found", `no job ${id}`, { field: "id" });
      const after = request.headers["last-event-id"] ?? request.query.after ?? "0";
      if (await seenTheEnd(options, job, after)) return reply.code(204).send(null);
      const stream = options.sse.start(reply);
      try {
        for await (const item of followJobEvents(options, id, after, stream.signal)) {
          if (item === null) stream.comment("keep-alive");
          else stream.send(item.event, { id: item.id, event: item.event.type });
        }
      } catch (err) {
        request.log.error({ err, job_id: id }, "event stream failed");
      } finally {
        stream.end();
      }
    },
  );
};
