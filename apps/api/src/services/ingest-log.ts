import type { PriceCatalog } from "@reasonq/billing";
import { type LogFormat, type LogRequest, LogRequestSchema, requestErrorFrom } from "@reasonq/core";
import { planLoggedJob } from "@reasonq/jobs";
import { type AdapterRegistry, type Catalog, normaliseLoggedExchange } from "@reasonq/providers";
import type { JobRow, NewLoggedJob, Store } from "@reasonq/store";

export interface IngestDeps {
  catalog: Catalog;
  adapters: AdapterRegistry;
  prices: PriceCatalog;
}

/** A logged exchange, normalised and priced, ready to store. */
export interface PreparedLog {
  format: LogFormat;
  job: NewLoggedJob;
}

function parseLogRequest(input: unknown): LogRequest {
  const parsed = LogRequestSchema.safeParse(input);
  if (!parsed.success) throw requestErrorFrom(parsed.error);
  return parsed.data;
}

/**
 * `POST /v1/logs`, one exchange: parsed here, normalised by the adapters' response mapping
 * (`normaliseLoggedExchange`: format detection, model resolution, mapping), priced and
 * made a finished job by the planner, without touching the database, so a bulk import can
 * prepare lines one by one and store them in chunks.
 */
export function prepareLog(deps: IngestDeps, apiKeyId: string, input: unknown, now = new Date()): PreparedLog {
  const log = parseLogRequest(input);
  const exchange = normaliseLoggedExchange(log, deps.catalog, deps.adapters);
  return { format: exchange.format, job: planLoggedJob(log, exchange, apiKeyId, deps.prices, now) };
}

/** One exchange, stored once per provider response id: `created: false` is the earlier job. */
export async function ingestLog(
  deps: IngestDeps & { store: Store },
  apiKeyId: string,
  input: unknown,
): Promise<{ job: JobRow; created: boolean; format: LogFormat }> {
  const prepared = prepareLog(deps, apiKeyId, input);
  const { job, created } = await deps.store.logged.insert(prepared.job);
  return { job, created, format: prepared.format };
}
