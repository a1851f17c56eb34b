import { Redis, type RedisOptions } from "ioredis";

/**
 * Two kinds of connection, on purpose. A producer (the API) must fail fast so a request
 * gets an error instead of hanging while Redis is away; a consumer (a worker, a
 * subscriber) must wait out a Redis restart forever, which BullMQ requires of workers.
 */
export function createRedis(
  url: string,
  role: "producer" | "consumer",
  { onError, ...options }: RedisOptions & { onError: (error: Error) => void },
): Redis {
  const roleOptions: RedisOptions =
    role === "producer"
      ? { enableOfflineQueue: false, maxRetriesPerRequest: 2, commandTimeout: PRODUCER_COMMAND_TIMEOUT_MS }
      : { maxRetriesPerRequest: null, enableReadyCheck: true };
  const redis = new Redis(url, { lazyConnect: false, ...roleOptions, ...options });
  // Without a listener ioredis prints "Unhandled error event" stacks outside the JSON log.
  redis.on("error", onError);
  return redis;
}

/** A producer's command that gets no answer in this long fails, so a request never hangs on Redis. */
const PRODUCER_COMMAND_TIMEOUT_MS = 5_000;

/** Errors that mean Redis cannot be reached right now (refused, cut, offline, timed out). */
export function isRedisUnavailable(error: unknown): boolean {
  for (let e: unknown = error, depth = 0; e instanceof Error && depth < 5; e = e.cause, depth++) {
    if (e.name === "MaxRetriesPerRequestError") return true;
    const code = (e as { code?: unknown }).code;
    if (typeof code === "string" && /^(ECONNREFUSED|ECONNRESET|EPIPE|ETIMEDOUT|EHOSTUNREACH)$/.test(code)) return true;
    if (/enableOfflineQueue|Connection is closed|Command timed out|Stream isn't writeable/i.test(e.message))
      return true;
  }
  return false;
}

/**
 * Resolves once the connection is ready. Rejects with the first connection error, unless
 * `waitOutErrors` (a worker starting while Redis restarts waits for it rather than exiting);
 * either way it gives up after `timeoutMs`.
 */
export async function ready(redis: Redis, timeoutMs = 5000, waitOutErrors = false): Promise<void> {
  if (redis.status === "ready") return;
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => finish(new Error(`redis did not answer within ${timeoutMs} ms`)), timeoutMs);
    const onReady = () => finish();
    const onError = (error: Error) => finish(error);
    function finish(error?: Error) {
      clearTimeout(timer);
      redis.off("ready", onReady);
      redis.off("error", onError);
      if (error) reject(error);
      else resolve();
    }
    redis.once("ready", onReady);
    if (!waitOutErrors) redis.once("error", onError);
  });
}
