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

const ulid = monotonicFactory();

export function newId(kind: IdKind, now: number = Date.now()): string {
  return `${ID_PREFIXES[kind]}_${ulid(now)}`;
}

const ULID_BODY = /^[0-9A-HJKMNP-TV-Z]{26}$/;

export function isId(kind: IdKind, value: string): boolean {
  const prefix = `${ID_PREFIXES[kind]}_`;
  return value.startsWith(prefix) && ULID_BODY.test(value.slice(prefix.length));
}
