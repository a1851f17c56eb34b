import type { Job, StoredResponseRequest } from "@reasonq/core";
import type { FastifyReply } from "fastify";
import { type FollowDeps, followJobEvents } from "../../../services/follow-events.ts";
import type { SseStreams } from "../../../sse.ts";
import { ResponseEventMapper } from "./response-events.ts";
import { responseObject } from "./response-object.ts";

export interface StreamDeps extends FollowDeps {
  sse: SseStreams;
}

/**
 * Sends a response's stream events, derived from its job's event log read from the start;
 * events numbered up to `startingAfter` are left out (a resumed stream).
 */
export async function streamResponse(
  deps: StreamDeps,
  reply: FastifyReply,
  initial: Job,
  request: StoredResponseRequest,
  options: { include: readonly string[]; startingAfter: number | undefined },
): Promise<void> {
  const opening = request.background ? "queued" : "in_progress";
  const mapper = new ResponseEventMapper(initial.id, [...request.include, ...options.include], (job) =>
    job === undefined
      ? {
          ...responseObject(initial, request, { status: opening, output: [] }),
          completed_at: null,
          error: null,
          incomplete_details: null,
          usage: null,
          cost: null,
        }
      : responseObject(job, request, { include: options.include }),
  );
  const stream = deps.sse.start(reply, { "x-reasonq-job-id": initial.id });
  const after = options.startingAfter ?? -1;
  const send = (events: ReturnType<ResponseEventMapper["start"]>) => {
    for (const event of events) if (event.sequence_number > after) stream.send(event, { event: event.type });
  };
  try {
    send(mapper.start());
    for await (const item of followJobEvents(deps, initial.id, "0", stream.signal)) {
      if (item === null) stream.comment("keep-alive");
      else send(mapper.map(item.event));
    }
  } catch (err) {
    reply.log.error({ err, job_id: initial.id }, "response stream failed");
  } finally {
    stream.end();
  }
}
