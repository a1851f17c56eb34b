/**
 * Test hooks written into the last user message (documented in docs/providers.md):
 *   [sim:fail=<kind>]      every call fails with that error
 *   [sim:fail=<kind>:<n>]  calls 1..n fail, later ones succeed (StreamOptions.attempt)
 *   [sim:tps=<n>]          this job streams at n tokens per second
 */
export const SIM_FAILURES = {
  server_error: { status: 500 },
  rate_limited: { status: 429 },
  overloaded: { status: 529 },
  timeout: { status: 408 },
  invalid_request: { status: 400 },
  auth: { status: 401 },
  not_found: { status: 404 },
  /** Not an HTTP error: the stream breaks halfway through the reasoning. */
  stream_dropped: { status: null },
} as const satisfies Record<string, { status: number | null }>;

export type SimFailure = keyof typeof SIM_FAILURES;

export interface SimMarkers {
  fail?: { kind: SimFailure; attempts: number };
  tokensPerSecond?: number;
}

const KINDS = Object.keys(SIM_FAILURES).join("|");
const MARKER = new RegExp(`\\[sim:(?:fail=(${KINDS})(?::(\\d+))?|tps=([1-9]\\d*))\\]`, "g");

/** Only well-formed markers count (and are stripped); anything else stays ordinary prompt text. */
export function parseMarkers(text: string): SimMarkers {
  const markers: SimMarkers = {};
  for (const [, kind, count, tps] of text.matchAll(MARKER)) {
    if (tps !== undefined) markers.tokensPerSecond = Number(tps);
    if (kind !== undefined) {
      markers.fail = {
        kind: kind as SimFailure,
        attempts: count === undefined ? Number.POSITIVE_INFINITY : Number(count),
      };
    }
  }
  return markers;
}

export function stripMarkers(text: string): string {
  return text.replace(MARKER, "").trim();
}
