import { randomBytes } from "node:crypto";
import { setTimeout as delay } from "node:timers/promises";
import { type Message, type ProviderEvent, ReasonqError, toReasonqError } from "@reasonq/core";
import type { PreparedRequest, ProviderAdapter, StreamOptions } from "../adapter.ts";
import { throwIfAborted } from "../shared/abort.ts";
import { classifyHttpError } from "../shared/classify-http-error.ts";
import { parseMarkers, SIM_FAILURES, type SimFailure, stripMarkers } from "./sim-markers.ts";
import { prepareSimRequest, type SimRequestBody } from "./sim-prepare.ts";
import { writeScript } from "./sim-script.ts";
import { countTokens } from "./sim-tokens.ts";

/** Time as the sim sees it; tests pass a fake one so pacing costs no real time. */
export interface SimClock {
  now(): number;
  /** Rejects when `signal` aborts. */
  sleep(ms: number, signal: AbortSignal): Promise<void>;
}

export interface SimAdapterOptions {
  tokensPerSecond: number;
  clock?: SimClock;
}

const REAL_CLOCK: SimClock = {
  now: () => performance.now(),
  sleep: (ms, signal) => delay(ms, undefined, { signal }),
};

/** Tokens per delta event, like a provider flushing a few tokens per SSE chunk. */
const CHUNK_TOKENS = 4;

export function createSimAdapter(options: SimAdapterOptions): ProviderAdapter {
  return {
    family: "sim",
    prepare: prepareSimRequest,
    stream: (request, streamOptions) => streamSim(request, streamOptions, options),
    classifyError,
  };
}

async function* streamSim(
  request: PreparedRequest,
  { signal, attempt = 1 }: StreamOptions,
  { tokensPerSecond, clock = REAL_CLOCK }: SimAdapterOptions,
): AsyncGenerator<ProviderEvent> {
  throwIfAborted(signal, "sim");
  // Built by prepareSimRequest, never by a client: the cast reads back our own shape.
  const body = request.body as unknown as SimRequestBody;
  const prompt = lastUserMessage(body.messages);
  const markers = parseMarkers(prompt);
  const failure = markers.fail !== undefined && attempt <= markers.fail.attempts ? markers.fail.kind : null;
  if (failure !== null && failure !== "stream_dropped") throw httpFailure(failure);

  const script = writeScript(body, stripMarkers(prompt));
  const pace = pacer(markers.tokensPerSecond ?? tokensPerSecond, clock, signal);
  const dropAfter = failure === "stream_dropped" ? Math.floor(script.reasoning.length / 2) : null;

  yield { type: "response-id", id: `sim_${randomBytes(12).toString("hex")}` };
  for (let i = 0; i < script.reasoning.length; i += CHUNK_TOKENS) {
    if (dropAfter !== null && i >= dropAfter) break;
    const chunk = script.reasoning.slice(i, i + CHUNK_TOKENS);
    await pace(chunk.length);
    // With include_reasoning false the sim still thinks (and takes the time) but shows nothing.
    if (body.include_reasoning !== false) yield { type: "reasoning-delta", text: chunk.join("") };
  }
  if (dropAfter !== null) {
    throw new ReasonqError("provider_stream_dropped", "sim: the stream was dropped ([sim:fail=stream_dropped] marker)");
  }
  for (let i = 0; i < script.answer.length; i += CHUNK_TOKENS) {
    const chunk = script.answer.slice(i, i + CHUNK_TOKENS);
    await pace(chunk.length);
    yield { type: "text-delta", text: chunk.join("") };
  }

  const input = body.messages.reduce((n, m) => n + countTokens(m.content), 0);
  const output = script.reasoning.length + script.answer.length;
  const raw = { input_tokens: input, output_tokens: output, reasoning_tokens: script.reasoning.length };
  yield {
    type: "usage",
    usage: {
      input_tokens: input,
      cached_input_tokens: 0,
      cache_write_tokens: 0,
      output_tokens: output,
      reasoning_tokens: script.reasoning.length,
      raw,
    },
  };
  yield { type: "finish", reason: script.finish, raw: script.finish };
}

function lastUserMessage(messages: readonly Message[]): string {
  return messages.findLast((m) => m.role === "user")?.content ?? "";
}

/** Paces by the total sent so far, so timer granularity never slows the average rate. */
function pacer(tokensPerSecond: number, clock: SimClock, signal: AbortSignal) {
  const start = clock.now();
  let sent = 0;
  return async (tokens: number): Promise<void> => {
    throwIfAborted(signal, "sim");
    sent += tokens;
    const wait = start + (sent * 1000) / tokensPerSecond - clock.now();
    if (wait < 1) return;
    try {
      await clock.sleep(wait, signal);
    } catch (error) {
      throwIfAborted(signal, "sim");
      throw error;
    }
  };
}

function httpFailure(kind: Exclude<SimFailure, "stream_dropped">): ReasonqError {
  const { status } = SIM_FAILURES[kind];
  const waits = kind === "rate_limited" || kind === "overloaded";
  return classifyHttpError({
    status,
    provider: "sim",
    message: `simulated ${kind} ([sim:fail] marker)`,
    ...(waits ? { headers: { "retry-after-ms": "200" } } : {}),
  });
}

function classifyError(error: unknown): ReasonqError {
  if (ReasonqError.is(error)) return error;
  if (error instanceof Error && error.name === "AbortError") {
    return new ReasonqError("job_cancelled", "the provider request was aborted", { cause: error });
  }
  return toReasonqError(error);
}
