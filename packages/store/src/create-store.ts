import { mkdirSync } from "node:fs";
import { join, resolve } from "node:path";
import { PGlite } from "@electric-sql/pglite";
import { Kysely, PostgresDialect, sql } from "kysely";
import { Migrator } from "kysely/migration";
import pg from "pg";
import { PGlitePool } from "./drivers/pglite-pool.ts";
import { PreparingClient } from "./drivers/prepared-statements.ts";
import { migrationProvider } from "./migrations/index.ts";
import { ApiKeysRepository } from "./repositories/api-keys-repository.ts";
import { BatchesRepository } from "./repositories/batches-repository.ts";
import { DatasetsRepository } from "./repositories/datasets-repository.ts";
import { JobsRepository } from "./repositories/jobs-repository.ts";
import { LoggedJobsRepository } from "./repositories/logged-jobs-repository.ts";
import { MetricsRepository } from "./repositories/metrics-repository.ts";
import { ProviderBatchesRepository } from "./repositories/provider-batches-repository.ts";
import { ResponsesRepository } from "./repositories/responses-repository.ts";
import { UsageRepository } from "./repositories/usage-repository.ts";
import { WebhookDeliveriesRepository } from "./repositories/webhook-deliveries-repository.ts";
import type { Database } from "./schema.ts";

export type StoreOptions =
  | {
      kind: "postgres";
      url: string;
      /** A schema to live in (created if missing); lets test runs share one database. */
      schema?: string;
      poolSize?: number;
      /** Client-side bound on a query (and server-side statement_timeout): a frozen database fails fast. */
      queryTimeoutMs?: number;
      /** Bound on opening a connection. */
      connectTimeoutMs?: number;
      /** Errors of idle pooled connections (the server went away); without a listener they end the process. */
      onError?: (error: Error) => void;
    }
  | {
      kind: "pglite";
      /** A directory for the database files; omitted means in memory. */
      dataDir?: string;
    };

export interface Store {
  readonly kind: StoreOptions["kind"];
  readonly db: Kysely<Database>;
  readonly jobs: JobsRepository;
  readonly apiKeys: ApiKeysRepository;
  readonly datasets: DatasetsRepository;
  readonly batches: BatchesRepository;
  /** The usage ledger (`job_attempts`) read for reports and spend caps. */
  readonly usage: UsageRepository;
  /** Calls logged from elsewhere (`POST /v1/logs`), stored as finished jobs with their ledger row. */
  readonly logged: LoggedJobsRepository;
  /** Batches sent through providers' batch APIs (the provider_batch lane). */
  readonly providerBatches: ProviderBatchesRepository;
  /** What the OpenAI Responses surface keeps beside a job of the same id. */
  readonly responses: ResponsesRepository;
  /** Counts for `/metrics`. */
  readonly metrics: MetricsRepository;
  /** Webhooks of finished jobs and every POST tried. */
  readonly webhooks: WebhookDeliveriesRepository;
  ping(): Promise<void>;
  close(): Promise<void>;
}

const SCHEMA_NAME = /^[a-z_][a-z0-9_]{0,62}$/;

function postgresPool(options: Extract<StoreOptions, { kind: "postgres" }>): pg.Pool {
  if (options.schema !== undefined && !SCHEMA_NAME.test(options.schema)) {
    throw new Error(`invalid schema name ${JSON.stringify(options.schema)}`);
  }
  const queryTimeoutMs = options.queryTimeoutMs ?? DEFAULT_QUERY_TIMEOUT_MS;
  const pool = new pg.Pool({
    connectionString: options.url,
    max: options.poolSize ?? 10,
    connectionTimeoutMillis: options.connectTimeoutMs ?? DEFAULT_CONNECT_TIMEOUT_MS,
    query_timeout: queryTimeoutMs,
    statement_timeout: queryTimeoutMs,
    keepAlive: true,
    Client: PreparingClient,
    ...(options.schema === undefined ? {} : { options: `-c search_path=${options.schema}` }),
  });
  const onError = (error: Error) => options.onError?.(error);
  pool.on("error", onError);
  // A connection cut while checked out (between a transaction's queries) errors on the
  // client itself, where the pool listens only while the client is idle.
  pool.on("connect", (client) => client.on("error", onError));
  return pool;
}

const DEFAULT_QUERY_TIMEOUT_MS = 15_000;
const DEFAULT_CONNECT_TIMEOUT_MS = 3_000;

/** Opens the database, applies pending migrations, and returns the repositories. */
export async function createStore(options: StoreOptions): Promise<Store> {
  let dialect: PostgresDialect;
  if (options.kind === "postgres") {
    const pool = postgresPool(options);
    dialect = new PostgresDialect({ pool });
  } else {
    let dataDir: string | undefined;
    if (options.dataDir !== undefined) {
      dataDir = resolve(join(options.dataDir, "pgdata"));
      mkdirSync(dataDir, { recursive: true });
    }
    const lite = await PGlite.create(dataDir === undefined ? {} : { dataDir });
    dialect = new PostgresDialect({ pool: new PGlitePool(lite) });
  }
  const db = new Kysely<Database>({ dialect });
  try {
    await migrate(db, options.kind === "postgres" ? options.schema : undefined);
  } catch (error) {
    await db.destroy();
    throw error;
  }
  return {
    kind: options.kind,
    db,
    jobs: new JobsRepository(db),
    apiKeys: new ApiKeysRepository(db),
    datasets: new DatasetsRepository(db),
    batches: new BatchesRepository(db),
    usage: new UsageRepository(db),
    logged: new LoggedJobsRepository(db),
    providerBatches: new ProviderBatchesRepository(db),
    responses: new ResponsesRepository(db),
    metrics: new MetricsRepository(db),
    webhooks: new WebhookDeliveriesRepository(db),
    ping: async () => {
      await sql`select 1`.execute(db);
    },
    close: () => db.destroy(),
  };
}

/** An arbitrary constant: the advisory lock that serialises migrations of one database. */
const MIGRATION_LOCK = 7_215_553_001;

/**
 * Processes that start together (an API and its workers) would race to create Kysely's own
 * migration tables, so migrating happens under a session advisory lock, on one connection.
 */
async function migrate(db: Kysely<Database>, schema: string | undefined): Promise<void> {
  await db.connection().execute(async (connection) => {
    await sql`select pg_advisory_lock(${MIGRATION_LOCK})`.execute(connection);
    try {
      if (schema !== undefined) await sql`create schema if not exists ${sql.id(schema)}`.execute(connection);
      // Kysely looks for its own tables by name in every schema unless told which one; with
      // several schemas in one database (test runs, deployments) it would find another's.
      const { rows } = await sql<{ schema: string }>`select current_schema() as schema`.execute(connection);
      const migrator = new Migrator({
        db: connection,
        provider: migrationProvider,
        migrationTableSchema: rows[0]?.schema ?? "public",
      });
      const { error, results } = await migrator.migrateToLatest();
      if (error !== undefined) {
        const failed = results?.find((r) => r.status === "Error")?.migrationName ?? "unknown";
        throw new Error(`database migration ${failed} failed: ${String(error)}`, { cause: error });
      }
    } finally {
      await sql`select pg_advisory_unlock(${MIGRATION_LOCK})`.execute(connection);
    }
  });
}
