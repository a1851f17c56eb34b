import { randomBytes } from "node:crypto";
import pg from "pg";

/** The PostgreSQL the integration tests use; CI and the dev machines run one here. */
export const TEST_DATABASE_URL = process.env.TEST_DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/test";

export type TestDatabase =
  | { name: "pglite"; options: { kind: "pglite" } }
  | { name: "postgres"; options: { kind: "postgres"; url: string; schema: string } };

/** A fresh schema name per call, so test files never see each other's rows. */
export function uniqueSchema(): string {
  return `rq_test_${randomBytes(6).toString("hex")}`;
}

/**
 * Both databases every store-facing test runs on: embedded PGlite (in memory) and the
 * real PostgreSQL. PostgreSQL is required, not optional: a suite that quietly skipped
 * it would pass while testing half the product.
 */
export function testDatabases(): TestDatabase[] {
  return [
    { name: "pglite", options: { kind: "pglite" } },
    { name: "postgres", options: { kind: "postgres", url: TEST_DATABASE_URL, schema: uniqueSchema() } },
  ];
}

export function postgresOptions(): { kind: "postgres"; url: string; schema: string } {
  return { kind: "postgres", url: TEST_DATABASE_URL, schema: uniqueSchema() };
}

export async function dropSchema(schema: string): Promise<void> {
  const client = new pg.Client({ connectionString: TEST_DATABASE_URL });
  await client.connect();
  try {
    await client.query(`drop schema if exists ${schema} cascade`);
  } finally {
    await client.end();
  }
}
