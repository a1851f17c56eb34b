import { Redis, type RedisOptions } from "ioredis";

/**
 * Two kinds of connection, on purpose. A producer (the API) must fail fast so a request
 * gets an error instead of hanging while Redis is away; a consumer (a worker, a
 * subscriber) must wait out a Redis restart forever, which BullMQ requires of workers.
 */
export function createRedis(url: string, role: "producer" | "consumer", options: RedisOptions = {}): Redis {
  const roleOptions: RedisOptions =
    role === "producer"
      ? { enableOfflineQueue: false, maxRetriesPerRequest: 2 }
      : { maxRetriesPerRequest: null, enableReadyCheck: true };
  return new Redis(url, { lazyConnect: false, ...roleOptions, ...options });
}

/** Resolves once the connection is ready, or rejects with the connection error. */
export async function ready(redis: Redis, timeoutMs = 5000): Promise<void> {
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
    redis.once("error", onError);
  });
}
