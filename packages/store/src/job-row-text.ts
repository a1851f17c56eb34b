import type { JobRow } from "./schema.ts";

/** The row's timestamp columns: the only fields JSON does not bring back as they were. */
type TimestampColumn = { [K in keyof JobRow]-?: Date extends JobRow[K] ? K : never }[keyof JobRow];

// A record, not a list: a timestamp column added to the schema fails to compile here until it is named.
const TIMESTAMPS = Object.keys({
  cancel_requested_at: true,
  created_at: true,
  started_at: true,
  first_token_at: true,
  completed_at: true,
  updated_at: true,
} satisfies Record<TimestampColumn, true>);

/**
 * A job row as text and back, exactly: a worker announces the row it just committed with the
 * job's end, so the API answers the requests waiting on it without reading the row again.
 */
export function jobRowToText(row: JobRow): string {
  return JSON.stringify(row);
}

export function jobRowFromText(text: string): JobRow {
  const row = JSON.parse(text) as Record<string, unknown>;
  for (const column of TIMESTAMPS) {
    const value = row[column];
    if (typeof value === "string") row[column] = new Date(value);
  }
  return row as unknown as JobRow;
}
