import type { Redis } from "ioredis";

/**
 * One atomic step, on Redis's clock (workers' clocks may differ): drop expired leases; refuse
 * when the model's calls in flight are at the bound (wait: until the oldest lease lapses, at
 * most a second, as slots are also freed early) or its minute's calls are spent (wait: the
 * window's rest); else count the call and lease a slot. Leases and windows expire by
 * themselves, so a killed worker's slot comes back within one lease.
 */
const TAKE = `
local t = redis.call("TIME")
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local lease, conc, rpm = tonumber(ARGV[2]), tonumber(ARGV[3]), tonumber(ARGV[4])
if conc > 0 then
  redis.call("ZREMRANGEBYSCORE", KEYS[1], "-inf", now)
  if redis.call("ZCARD", KEYS[1]) >= conc then
    local oldest = redis.call("ZRANGE", KEYS[1], 0, 0, "WITHSCORES")
    return math.max(1, math.min(1000, tonumber(oldest[2]) - now))
  end
end
if rpm > 0 then
  if tonumber(redis.call("GET", KEYS[2]) or "0") >= rpm then return math.max(1, redis.call("PTTL", KEYS[2])) end
  if redis.call("INCR", KEYS[2]) == 1 then redis.call("PEXPIRE", KEYS[2], 60000) end
end
if conc > 0 then
  redis.call("ZADD", KEYS[1], now + lease, ARGV[1])
  redis.call("PEXPIRE", KEYS[1], lease)
end
return 0`;

const RENEW = `
local t = redis.call("TIME")
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
if redis.call("ZADD", KEYS[1], "XX", "CH", now + tonumber(ARGV[2]), ARGV[1]) == 1 then
  redis.call("PEXPIRE", KEYS[1], ARGV[2])
end
return 0`;

export interface ModelLimitsOptions {
  redis: Redis;
  prefix: string;
  /** Calls in flight per catalog model id, across all workers. */
  concurrency: Record<string, number>;
  /** Calls started per minute per catalog model id, across all workers. */
  perMinute: Record<string, number>;
  /** A slot's lease, renewed every half of it while its call runs. */
  leaseMs: number;
  /**
   * Runs `renew` every `everyMs` until the returned stop is called (default: an unref'd
   * interval); tests pass one they drive by hand.
   */
  renewTimer?: (renew: () => Promise<void>, everyMs: number) => () => void;
}

function intervalTimer(renew: () => Promise<void>, everyMs: number): () => void {
  const timer = setInterval(() => void renew(), everyMs);
  timer.unref();
  return () => clearInterval(timer);
}

export type ModelSlot = { kind: "taken"; release: () => Promise<void> } | { kind: "wait"; waitMs: number };

/** Per-model bounds on calls in flight and per minute, shared by every worker through Redis. */
export class ModelLimits {
  readonly #options: ModelLimitsOptions;

  constructor(options: ModelLimitsOptions) {
    this.#options = options;
  }

  /** Whether any model is bounded (if not, nothing needs the job's model before its call). */
  get active(): boolean {
    return Object.keys(this.#options.concurrency).length + Object.keys(this.#options.perMinute).length > 0;
  }

  /** A slot for one call of `model` by `holder` (unique per delivery), or how long to wait for one. */
  async take(model: string, holder: string): Promise<ModelSlot> {
    const { redis, leaseMs } = this.#options;
    const conc = this.#options.concurrency[model] ?? 0;
    const rpm = this.#options.perMinute[model] ?? 0;
    const noop = async () => {};
    if (conc === 0 && rpm === 0) return { kind: "taken", release: noop };
    const inFlight = `${this.#options.prefix}:model-limits:${model}:in-flight`;
    const minute = `${this.#options.prefix}:model-limits:${model}:minute`;
    const waitMs = Number(await redis.eval(TAKE, 2, inFlight, minute, holder, leaseMs, conc, rpm));
    if (waitMs > 0) return { kind: "wait", waitMs };
    if (conc === 0) return { kind: "taken", release: noop };
    const stopRenewing = (this.#options.renewTimer ?? intervalTimer)(async () => {
      // A failed renewal is retried by the next tick; the lease outlives two of them.
      await redis.eval(RENEW, 1, inFlight, holder, leaseMs).catch(() => {});
    }, leaseMs / 2);
    return {
      kind: "taken",
      release: async () => {
        stopRenewing();
        await redis.zrem(inFlight, holder);
      },
    };
  }
}
