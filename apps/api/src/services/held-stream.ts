import type { FastifyReply } from "fastify";
import type { PendingSseStream, SseStream, SseStreams } from "../sse.ts";
import { type FollowDeps, type FollowedEvent, followJobEvents } from "./follow-events.ts";
import { failedJobError } from "./sync-call.ts";

/** Events a client never sees as output of its own: they do not begin a stream. */
const SILENT = new Set(["status", "usage"]);

/**
 * An OpenAI-compatible stream of a job whose response headers wait for the job's first
 * output (a delta, a tool call, or its end): a job that fails before that is answered with
 * the HTTP error the non-streaming call gives, as OpenAI answers a request it rejects, so
 * SDKs raise their error class from `create({ stream: true })`. Once the stream has begun,
 * errors stay in it. A quiet spell (one keep-alive interval) begins the stream anyway, so
 * the headers wait at most that long and keep-alives flow as before.
 *
 * Returns the stream and the job's events from its first (`null` items are keep-alive
 * ticks), or undefined when the client went away before anything was sent (the reply is
 * ended). Throws the job's error when it failed before its first output.
 */
export async function beginJobStream(
  deps: FollowDeps & { sse: SseStreams },
  reply: FastifyReply,
  jobId: string,
  headers: Record<string, string>,
): Promise<{ stream: SseStream; events: AsyncIterable<FollowedEvent | null> } | undefined> {
  const pending = deps.sse.pending(reply);
  const held = await eventsBeforeOutput(deps, jobId, pending);
  const last = held.at(-1);
  const raw = reply.raw;
  if (raw.destroyed || raw.socket === null || raw.socket.destroyed) {
    pending.cancel();
    reply.hijack();
    raw.end();
    return undefined;
  }
  const error = last?.event.type === "done" ? failedJobError(last.event.job) : undefined;
  if (error !== undefined) {
    pending.cancel();
    // The job already made its own attempts: an SDK retry would only run (and bill) it again.
    reply.headers({ ...headers, "x-should-retry": "false" });
    throw error;
  }
  const stream = pending.start(headers);
  return { stream, events: followOn(deps, jobId, held, stream.signal) };
}

async function eventsBeforeOutput(
  deps: FollowDeps,
  jobId: string,
  pending: PendingSseStream,
): Promise<(FollowedEvent | null)[]> {
  const held: (FollowedEvent | null)[] = [];
  for await (const item of followJobEvents(deps, jobId, "0", pending.signal)) {
    held.push(item);
    if (item === null || !SILENT.has(item.event.type)) break;
  }
  return held;
}

/** The held events, then the job's events after them until its end. */
async function* followOn(
  deps: FollowDeps,
  jobId: string,
  held: (FollowedEvent | null)[],
  signal: AbortSignal,
): AsyncGenerator<FollowedEvent | null> {
  yield* held;
  const seen = held.filter((item): item is FollowedEvent => item !== null);
  if (seen.at(-1)?.event.type === "done") return;
  yield* followJobEvents(deps, jobId, seen.at(-1)?.id ?? "0", signal);
}
