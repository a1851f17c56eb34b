import pg from "pg";

/** Fixed statement texts and the names they are prepared under. */
const names = new Map<string, string>();

/**
 * Registers a statement the store runs for every job (claim, end, reads by id). On
 * PostgreSQL each connection prepares it by name the first time, so the server parses and
 * plans it once per connection instead of on every run: parsing and planning were two
 * fifths of PostgreSQL's CPU per job. Its result names its columns (no `*`), so a migration
 * that adds a column does not invalidate the prepared plan's result type.
 */
export function preparedStatement(name: string, text: string): string {
  const known = names.get(text);
  if (known !== undefined && known !== name) throw new Error(`statement ${name} is already prepared as ${known}`);
  names.set(text, name);
  return text;
}

/** A `pg` client that runs the registered statements by name (see `preparedStatement`). */
export class PreparingClient extends pg.Client {
  // biome-ignore lint/suspicious/noExplicitAny: forwards every overload of pg's query unchanged
  override query(config: any, values?: any, callback?: any): any {
    const name = typeof config === "string" ? names.get(config) : undefined;
    if (name === undefined) return super.query(config, values, callback);
    return super.query({ name, text: config, values }, callback);
  }
}
