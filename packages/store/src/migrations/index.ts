import type { Migration, MigrationProvider } from "kysely/migration";
import * as init from "./0001-init.ts";
import * as usageAndCaps from "./0002-usage-and-caps.ts";
import * as batches from "./0003-batches.ts";
import * as loggedJobs from "./0004-logged-jobs.ts";
import * as preparedRequest from "./0005-prepared-request.ts";
import * as toolCalls from "./0006-tool-calls.ts";
import * as providerBatches from "./0007-provider-batches.ts";
import * as keySpendTotals from "./0008-key-spend-totals.ts";
import * as webhookDeliveries from "./0009-webhook-deliveries.ts";
import * as responses from "./0010-responses.ts";
import * as batchWebhooksAndLatency from "./0011-batch-webhooks-and-latency.ts";
import * as attemptHistogramTotals from "./0012-attempt-histogram-totals.ts";
import * as orderedSpendLocks from "./0013-ordered-spend-locks.ts";

/** Numbered, append-only: a released migration is never edited, only followed by another. */
const MIGRATIONS: Record<string, Migration> = {
  "0001-init": init,
  "0002-usage-and-caps": usageAndCaps,
  "0003-batches": batches,
  "0004-logged-jobs": loggedJobs,
  "0005-prepared-request": preparedRequest,
  "0006-tool-calls": toolCalls,
  "0007-provider-batches": providerBatches,
  "0008-key-spend-totals": keySpendTotals,
  "0009-webhook-deliveries": webhookDeliveries,
  "0010-responses": responses,
  "0011-batch-webhooks-and-latency": batchWebhooksAndLatency,
  "0012-attempt-histogram-totals": attemptHistogramTotals,
  "0013-ordered-spend-locks": orderedSpendLocks,
};

export const migrationProvider: MigrationProvider = {
  getMigrations: async () => MIGRATIONS,
};
