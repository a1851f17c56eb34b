import { assertNever, type ReasonqError } from "@reasonq/core";
import { UNBOUNDED } from "@reasonq/queue";
import { type Queue, UnrecoverableError, Worker } from "bullmq";

export type Verdict =
  | { kind: "retry"; error: ReasonqError }
  | { kind: "rate-limit"; error: ReasonqError; waitMs: number }
  | { kind: "fail"; error: ReasonqError };

const DEFAULT_RATE_LIMIT_WAIT_MS = 5_000;

/** What to do with a failed attempt: the error's disposition, unless the attempts are spent. */
export function verdictFor(error: ReasonqError, attemptsLeft: boolean): Verdict {
  if (!attemptsLeft) return { kind: "fail", error };
  switch (error.retry) {
    case "never":
      return { kind: "fail", error };
    case "retry":
      return { kind: "retry", error };
    case "rate_limit":
      return { kind: "rate-limit", error, waitMs: error.retryAfterMs ?? DEFAULT_RATE_LIMIT_WAIT_MS };
    default:
      return assertNever(error.retry, "retry disposition");
  }
}

/**
 * The one place a verdict becomes a BullMQ outcome. A retry rethrows (BullMQ's attempts
 * and our backoff); a rate limit pauses the whole provider queue for every worker
 * (`queue.rateLimit`, a key in Redis that expires by itself) and hands the job back without
 * spending an attempt; a failure is unrecoverable so BullMQ does not try again.
 */
export async function toBullmqOutcome(
  verdict: Verdict,
  queue: Pick<Queue, "rateLimit" | "getRateLimitTtl">,
): Promise<never> {
  switch (verdict.kind) {
    case "retry":
      throw verdict.error;
    case "rate-limit":
      // Calls in flight may answer 429 together: a shorter retry-after never cuts a longer pause short.
      if ((await queue.getRateLimitTtl(UNBOUNDED)) < verdict.waitMs) await queue.rateLimit(verdict.waitMs);
      throw Worker.RateLimitError();
    case "fail":
      throw new UnrecoverableError(`${verdict.error.type}: ${verdict.error.message}`);
    default:
      return assertNever(verdict, "verdict");
  }
}

const BASE_DELAY_MS = 1_000;
const MAX_DELAY_MS = 60_000;

/** Exponential with jitter, but never sooner than the provider's own retry-after. */
export function retryDelayMs(attemptsMade: number, error: Error | undefined, random = Math.random): number {
  const exponential = Math.min(MAX_DELAY_MS, BASE_DELAY_MS * 2 ** Math.max(0, attemptsMade - 1));
  const jittered = Math.round(exponential * (0.5 + random() / 2));
  const asked = (error as { retryAfterMs?: unknown } | undefined)?.retryAfterMs;
  return typeof asked === "number" && asked > jittered ? asked : jittered;
}
