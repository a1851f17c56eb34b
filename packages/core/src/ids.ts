import { monotonicFactory } from "ulidx";

/**
 * Prefixed ULIDs: sortable (the first 48 bits are the creation millisecond; within one
 * millisecond the factory counts up, so ids made in order sort in order, which list
 * paging relies on) and unguessable (80 random bits per millisecond; only ids made by the
 * same process in the same millisecond are neighbours, and every read is scoped to its
 * API key anyway). The prefix never contains ':' so an id is safe as a BullMQ job id and
 * a Redis key part.
 */
export const ID_PREFIXES = {
  job: "job",
  apiKey: "key",
  batch: "bat",
  dataset: "ds",
  attempt: "att",
  providerBatch: "pb",
} as const;

export type IdKind = keyof typeof ID_PREFIXES;

/**
 * Random bytes drawn a pool at a time: the factory asks for one random value per character,
 * and its default asks the system for each (16 calls per id, a twentieth of the API's CPU
 * on submits). A byte's low 5 bits pick one of the 32 characters, uniformly.
 */
const pool = new Uint8Array(4096);
let drawn = pool.length;
function pooledRandom(): number {
  if (drawn === pool.length) {
    crypto.getRandomValues(pool);
    drawn = 0;
  }
  return ((pool[drawn++] as number) & 31) / 32;
}

const ulid = monotonicFactory(pooledRandom);

export function newId(kind: IdKind, now: number = Date.now()): string {
  return `${ID_PREFIXES[kind]}_${ulid(now)}`;
}

const ULID_BODY = /^[0-9A-HJKMNP-TV-Z]{26}$/;

export function isId(kind: IdKind, value: string): boolean {
  const prefix = `${ID_PREFIXES[kind]}_`;
  return value.startsWith(prefix) && ULID_BODY.test(value.slice(prefix.length));
}
