/**
 * Throws an `AbortError` when the caller's signal has fired. Not `signal.throwIfAborted()`:
 * that throws `signal.reason` as it is, and the worker aborts with a string (`"cancel"`,
 * `"shutdown"`), which no `classifyError` can tell from any other odd throw (it became
 * `internal_error`, a retryable type). Every adapter classifies an `AbortError` as
 * `job_cancelled`; the reason rides along as the cause.
 */
export function throwIfAborted(signal: AbortSignal, provider: string): void {
  if (signal.aborted) {
    throw new DOMException(`the ${provider} request was aborted`, { name: "AbortError", cause: signal.reason });
  }
}
