import type { PGlite } from "@electric-sql/pglite";
import type { PostgresPool, PostgresPoolClient, PostgresQueryResult } from "kysely";

type Command = PostgresQueryResult<unknown>["command"];
const COMMANDS = new Set<string>(["UPDATE", "DELETE", "INSERT", "SELECT", "MERGE", "COMMIT", "ROLLBACK"]);

function commandOf(sql: string): Command {
  const word = /^\s*(?:with\b[\s\S]*?\)\s*)?([a-z]+)/i.exec(sql)?.[1]?.toUpperCase() ?? "SELECT";
  return (COMMANDS.has(word) ? word : "SELECT") as Command;
}

/**
 * Presents one PGlite instance as the `pg` pool that Kysely's PostgresDialect drives, so
 * the embedded database runs the same queries through the same dialect as PostgreSQL.
 * PGlite has a single session, so the "pool" hands out one client at a time: a
 * transaction holds it until commit, and other queries wait their turn instead of
 * interleaving into it. Kysely's own PGliteDialect routes every query to the open
 * transaction while one is open, which mixes concurrent requests into it.
 */
export class PGlitePool implements PostgresPool {
  readonly options = {};
  readonly #db: PGlite;
  #busy = false;
  readonly #waiting: Array<() => void> = [];

  constructor(db: PGlite) {
    this.#db = db;
  }

  async connect(): Promise<PostgresPoolClient> {
    if (this.#busy) await new Promise<void>((resolve) => this.#waiting.push(resolve));
    this.#busy = true;
    const db = this.#db;
    let released = false;
    const query = async <R>(sql: string, parameters: ReadonlyArray<unknown>): Promise<PostgresQueryResult<R>> => {
      const result = await db.query<R>(sql, parameters as unknown[]);
      const command = COMMANDS.has(result.command ?? "") ? (result.command as Command) : commandOf(sql);
      return { command, rowCount: result.affectedRows ?? result.rows.length, rows: result.rows };
    };
    return {
      query: query as PostgresPoolClient["query"],
      release: () => {
        if (released) return;
        released = true;
        const next = this.#waiting.shift();
        if (next) next();
        else this.#busy = false;
      },
    };
  }

  async end(): Promise<void> {
    await this.#db.close();
  }
}
