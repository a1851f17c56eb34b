import { ulid } from "ulidx";

/**
 * Prefixed ULIDs: time-sortable (the first 48 bits are the creation millisecond) and
 * unguessable (80 random bits, drawn fresh for every id rather than incremented, so a
 * neighbour's id cannot be derived from one's own). The prefix never contains ':' so an
 * id is safe as a BullMQ job id and a Redis key part.
 */
export const ID_PREFIXES = {
  job: "job",
  apiKey: "key",
  batch: "bat",
  attempt: "att",
} as const;

export type IdKind = keyof typeof ID_PREFIXES;

export function newId(kind: IdKind, now: number = Date.now()): string {
  return `${ID_PREFIXES[kind]}_${ulid(now)}`;
}

const ULID_BODY = /^[0-9A-HJKMNP-TV-Z]{26}$/;

export function isId(kind: IdKind, value: string): boolean {
  const prefix = `${ID_PREFIXES[kind]}_`;
  return value.startsWith(prefix) && ULID_BODY.test(value.slice(prefix.length));
}
