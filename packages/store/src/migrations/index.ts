import type { Migration, MigrationProvider } from "kysely/migration";
import * as init from "./0001-init.ts";
import * as usageAndCaps from "./0002-usage-and-caps.ts";
import * as batches from "./0003-batches.ts";
import * as loggedJobs from "./0004-logged-jobs.ts";
import * as keySpendTotals from "./0008-key-spend-totals.ts";

/** Numbered, append-only: a released migration is never edited, only followed by another. */
const MIGRATIONS: Record<string, Migration> = {
  "0001-init": init,
  "0002-usage-and-caps": usageAndCaps,
  "0003-batches": batches,
  "0004-logged-jobs": loggedJobs,
  "0008-key-spend-totals": keySpendTotals,
};

export const migrationProvider: MigrationProvider = {
  getMigrations: async () => MIGRATIONS,
};
