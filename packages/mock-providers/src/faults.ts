/**
 * Fault injection shared by every mock provider, driven by a marker in the request's
 * text so a test chooses the fault per request and stays deterministic:
 *
 *   [mock:status=429,retry_after=2]    answer HTTP 429 in the provider's error format
 *   [mock:status=529,times=1]          only the first matching request fails
 *   [mock:status=500] [mock:status=503] [mock:status=400] [mock:status=401] …
 *   [mock:overload_mid_stream]          start a 200 stream, then the provider's in-stream error
 *   [mock:cut_mid_stream,times=1]       start a 200 stream, then drop the connection
 *   [mock:trickle_ms=200]               pause this long before every streamed event
 *   [mock:finish=length]                stop as if max tokens was hit (reasoning only, no answer)
 *
 * Provider batch APIs (batch/mock-batches.ts) read their own markers, which the
 * interactive fault plan skips:
 *
 *   [mock:batch_slow=3]                 the batch is still in progress for 3 polls
 *   [mock:batch_expire]                 this request is never run: the batch expires
 *
 * `times` counts per mock server and per marker text, so "fail once then succeed" works
 * across the retries of one job.
 */
export interface Fault {
  status?: number;
  retryAfterSeconds?: number;
  overloadMidStream?: boolean;
  cutMidStream?: boolean;
  trickleMs?: number;
  finish?: "length" | "content_filter";
}

const MARKER = /\[mock:([^\]]*)\]/;
/** The interactive faults: batch markers are the batch engine's. */
const FAULT_MARKER = /\[mock:(?!batch_)([^\]]*)\]/;

function parse(text: string): { key: string; fault: Fault; times: number | undefined } | undefined {
  const match = FAULT_MARKER.exec(text);
  if (match === null) return undefined;
  const fault: Fault = {};
  let times: number | undefined;
  for (const part of (match[1] ?? "").split(",")) {
    const [name, value] = part.trim().split("=") as [string, string | undefined];
    const n = value === undefined ? Number.NaN : Number(value);
    if (name === "status" && Number.isInteger(n)) fault.status = n;
    else if (name === "retry_after" && Number.isFinite(n)) fault.retryAfterSeconds = n;
    else if (name === "times" && Number.isInteger(n)) times = n;
    else if (name === "overload_mid_stream") fault.overloadMidStream = true;
    else if (name === "cut_mid_stream") fault.cutMidStream = true;
    else if (name === "trickle_ms" && Number.isFinite(n)) fault.trickleMs = n;
    else if (name === "finish" && (value === "length" || value === "content_filter")) fault.finish = value;
  }
  return { key: match[0], fault, times };
}

/** Remembers how often each marker fired, so `times=N` faults stop after N requests. */
export class FaultPlan {
  readonly #fired = new Map<string, number>();

  /** The fault to apply to a request whose text is `text`, or an empty fault. */
  for(text: string): Fault {
    const parsed = parse(text);
    if (parsed === undefined) return {};
    const fired = this.#fired.get(parsed.key) ?? 0;
    this.#fired.set(parsed.key, fired + 1);
    if (parsed.times !== undefined && fired >= parsed.times) {
      // Pacing and finish still apply after the failures are used up.
      const rest: Fault = {};
      if (parsed.fault.trickleMs !== undefined) rest.trickleMs = parsed.fault.trickleMs;
      if (parsed.fault.finish !== undefined) rest.finish = parsed.fault.finish;
      return rest;
    }
    return parsed.fault;
  }
}

export function stripFaultMarkers(text: string): string {
  return text.replace(new RegExp(MARKER.source, "g"), "").trim();
}
