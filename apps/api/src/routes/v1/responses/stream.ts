import type { Job, StoredResponseRequest } from "@reasonq/core";
import type { FastifyReply } from "fastify";
import { type FollowDeps, type FollowedEvent, followJobEvents } from "../../../services/follow-events.ts";
import { beginJobStream } from "../../../services/held-stream.ts";
import type { SseStream, SseStreams } from "../../../sse.ts";
import { ResponseEventMapper } from "./response-events.ts";
import { responseObject } from "./response-object.ts";

export interface StreamDeps extends FollowDeps {
  sse: SseStreams;
}

/**
 * Sends a response's stream events, derived from its job's event log read from the start;
 * events numbered up to `startingAfter` are left out (a resumed stream). With `holdHeaders`
 * (a new foreground response) a job that fails before its first output is answered with
 * its HTTP error instead of a stream.
 */
export async function streamResponse(
  deps: StreamDeps,
  reply: FastifyReply,
  initial: Job,
  request: StoredResponseRequest,
  options: { include: readonly string[]; startingAfter: number | undefined; holdHeaders?: boolean },
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
  const headers = { "x-reasonq-job-id": initial.id };
  let stream: SseStream;
  let events: AsyncIterable<FollowedEvent | null>;
  if (options.holdHeaders) {
    const begun = await beginJobStream(deps, reply, initial.id, headers);
    if (begun === undefined) return;
    ({ stream, events } = begun);
  } else {
    stream = deps.sse.start(reply, headers);
    events = followJobEvents(deps, initial.id, "0", stream.signal);
  }
  const after = options.startingAfter ?? -1;
  const send = (batch: ReturnType<ResponseEventMapper["start"]>) => {
    for (const event of batch) if (event.sequence_number > after) stream.send(event, { event: event.type });
  };
  try {
    send(mapper.start());
    for await (const item of events) {
      if (item === null) stream.comment("keep-alive");
      else send(mapper.map(item.event));
    }
  } catch (err) {
    reply.log.error({ err, job_id: initial.id }, "response stream failed");
  } finally {
    stream.end();
  }
}
