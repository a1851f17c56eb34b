import type { Migration, MigrationProvider } from "kysely/migration";
import * as init from "./0001-init.ts";

/** Numbered, append-only: a released migration is never edited, only followed by another. */
const MIGRATIONS: Record<string, Migration> = {
  "0001-init": init,
};

export const migrationProvider: MigrationProvider = {
  getMigrations: async () => MIGRATIONS,
};
