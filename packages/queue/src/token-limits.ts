import type { Redis } from "ioredis";

/**
 * One atomic step for every bounded scope of a call (its provider family and its model),
 * on Redis's clock. Each scope's minute is a hash {id, used, held} that lives 60 s from its
 * first reservation (a call bigger than a whole limit is refused before); `used` counts
 * reservations and corrected usage, `held` the reservations of calls still running. A call
 * that does not fit beside what the minute already holds waits: a second at most when it
 * would fit once the running calls' reservations are corrected (they usually use less),
 * else for the window's end (the PTTL). Otherwise it is counted in every scope at once; the reply is the windows' ids (from one
 * counter, so no two windows share one), by which the call's end corrects its own minute
 * and no later one. KEYS: the scopes' windows, then the id counter; ARGV: tokens, then
 * each scope's limit.
 */
const RESERVE = `
local tokens = tonumber(ARGV[1])
local scopes = #KEYS - 1
local wait = 0
for i = 1, scopes do
  local used = tonumber(redis.call("HGET", KEYS[i], "used") or "0")
  local limit = tonumber(ARGV[i + 1])
  if used + tokens > limit then
    local rest = redis.call("PTTL", KEYS[i])
    if used - tonumber(redis.call("HGET", KEYS[i], "held") or "0") + tokens <= limit then rest = math.min(rest, 1000) end
    wait = math.max(wait, rest, 1)
  end
end
if wait > 0 then return {wait} end
local ids = {0}
for i = 1, scopes do
  if redis.call("EXISTS", KEYS[i]) == 0 then
    redis.call("HSET", KEYS[i], "id", redis.call("INCR", KEYS[#KEYS]), "used", 0, "held", 0)
    redis.call("PEXPIRE", KEYS[i], 60000)
  end
  redis.call("HINCRBY", KEYS[i], "used", tokens)
  redis.call("HINCRBY", KEYS[i], "held", tokens)
  ids[i + 1] = redis.call("HGET", KEYS[i], "id")
end
return ids`;

/**
 * A call's end: what it used in place of what it reserved. In the minute it reserved in,
 * the difference (never below zero), and its reservation is no longer held; once that minute is over, tokens beyond the
 * reservation count in the current one (creating it), a shortfall gives nothing back.
 * KEYS: the scopes' windows, then the id counter; ARGV: reserved, used, then each window's id.
 */
const SETTLE = `
local reserved, used = tonumber(ARGV[1]), tonumber(ARGV[2])
for i = 1, #KEYS - 1 do
  if redis.call("HGET", KEYS[i], "id") == ARGV[i + 2] then
    local left = tonumber(redis.call("HGET", KEYS[i], "used")) + used - reserved
    local held = tonumber(redis.call("HGET", KEYS[i], "held")) - reserved
    redis.call("HSET", KEYS[i], "used", math.max(0, left), "held", math.max(0, held))
  elseif used > reserved then
    if redis.call("EXISTS", KEYS[i]) == 0 then
      redis.call("HSET", KEYS[i], "id", redis.call("INCR", KEYS[#KEYS]), "used", 0, "held", 0)
      redis.call("PEXPIRE", KEYS[i], 60000)
    end
    redis.call("HINCRBY", KEYS[i], "used", used - reserved)
  end
end
return 0`;

export interface TokenLimitsOptions {
  redis: Redis;
  prefix: string;
  /** Tokens per minute per provider family, across all workers. */
  perProvider: Record<string, number>;
  /** Tokens per minute per catalog model id, across all workers. */
  perModel: Record<string, number>;
}

/** A call's reservation; `settle` replaces it with what the call used (0 when it never ran). */
export interface TokenReservation {
  settle(usedTokens: number): Promise<void>;
}

export type TokenGrant =
  | { kind: "reserved"; reservation: TokenReservation }
  | { kind: "wait"; waitMs: number }
  /** The call needs more than a whole minute of the named scope's limit: it can never run under it. */
  | { kind: "too_large"; scope: string; limit: number };

const NOTHING: TokenReservation = { settle: async () => {} };

/** Tokens per minute per provider family and per model, reserved before a call and corrected after it. */
export class TokenLimits {
  readonly #options: TokenLimitsOptions;

  constructor(options: TokenLimitsOptions) {
    this.#options = options;
  }

  /** Whether any provider or model is bounded (if not, no call needs its job's row first). */
  get active(): boolean {
    return Object.keys(this.#options.perProvider).length + Object.keys(this.#options.perModel).length > 0;
  }

  /** Whether a call of this provider or model is bounded (if not, nothing needs its token estimate). */
  bounds(provider: string, model: string): boolean {
    return this.#options.perProvider[provider] !== undefined || this.#options.perModel[model] !== undefined;
  }

  /** Reserves `tokens` for one call in its provider's and its model's current minute, or says how long to wait. */
  async reserve(provider: string, model: string, tokens: number): Promise<TokenGrant> {
    const scopes = [
      { name: provider, limit: this.#options.perProvider[provider], kind: "provider" },
      { name: model, limit: this.#options.perModel[model], kind: "model" },
    ].flatMap((s) => (s.limit === undefined ? [] : [{ ...s, limit: s.limit }]));
    if (scopes.length === 0) return { kind: "reserved", reservation: NOTHING };
    const tooLarge = scopes.find((s) => tokens > s.limit);
    if (tooLarge !== undefined) return { kind: "too_large", scope: tooLarge.name, limit: tooLarge.limit };
    const keys = [
      ...scopes.map((s) => `${this.#options.prefix}:token-limits:${s.kind}:${s.name}`),
      `${this.#options.prefix}:token-limits:window-ids`,
    ];
    const { redis } = this.#options;
    const reply = (await redis.eval(RESERVE, keys.length, ...keys, tokens, ...scopes.map((s) => s.limit))) as Array<
      number | string
    >;
    const first = Number(reply[0]);
    if (first > 0) return { kind: "wait", waitMs: first };
    const ids = reply.slice(1).map(String);
    let settled = false;
    return {
      kind: "reserved",
      reservation: {
        settle: async (used) => {
          if (settled) return;
          settled = true;
          await redis.eval(SETTLE, keys.length, ...keys, tokens, Math.max(0, Math.round(used)), ...ids);
        },
      },
    };
  }
}
