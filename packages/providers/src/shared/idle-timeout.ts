import { ReasonqError } from "@reasonq/core";

/** A healthy reasoning stream can run for many minutes; a silent one this long is dead. */
export const DEFAULT_IDLE_TIMEOUT_MS = 180_000;

/**
 * Passes a stream through, failing it with `provider_stream_dropped` (retryable) when no
 * item arrives for `idleMs`. There is deliberately no limit on the stream's total length:
 * only silence ends it. `onIdle` should abort the underlying request (the SDK call's
 * AbortController) so its socket is released.
 */
export async function* withIdleTimeout<T>(
  source: AsyncIterable<T>,
  idleMs: number,
  onIdle: () => void,
): AsyncGenerator<T> {
  const iterator = source[Symbol.asyncIterator]();
  let stalled = false;
  try {
    for (;;) {
      let timer: NodeJS.Timeout | undefined;
      const idle = new Promise<"idle">((resolve) => {
        timer = setTimeout(() => resolve("idle"), idleMs);
      });
      const next = await Promise.race([iterator.next(), idle]).finally(() => clearTimeout(timer));
      if (next === "idle") {
        stalled = true;
        onIdle();
        throw new ReasonqError(
          "provider_stream_dropped",
          `the provider sent nothing for ${Math.round(idleMs / 1000)} s`,
        );
      }
      if (next.done) return;
      yield next.value;
    }
  } finally {
    // A stalled source may never settle its pending read; closing it must not wait for that.
    if (stalled) void iterator.return?.()?.catch(() => {});
    else await iterator.return?.();
  }
}
