import { newId } from "@reasonq/core";
import { dropSchema, postgresOptions } from "@reasonq/testkit";
import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createStore, type Store } from "../create-store.ts";

/** One pooled connection, so the session that prepared the statements is the one asked. */
describe("the job path's statements on PostgreSQL", () => {
  const options = { ...postgresOptions(), poolSize: 1 };
  let store: Store;
  let keyId: string;

  beforeAll(async () => {
    store = await createStore(options);
    keyId = (await store.apiKeys.create("prepared")).apiKey.id;
  });
  afterAll(async () => {
    await store.close();
    await dropSchema(options.schema);
  });

  async function prepared(): Promise<string[]> {
    const { rows } = await sql<{ name: string }>`select name from pg_prepared_statements order by name`.execute(
      store.db,
    );
    return rows.map((row) => row.name);
  }

  it("are prepared once per connection and run by name after that, with the same results", async () => {
    const [job] = await store.jobs.createMany([
      {
        id: newId("job"),
        api_key_id: keyId,
        model: "sim/reasoner",
        provider: "sim",
        spec: {
          model: "sim/reasoner",
          messages: [{ role: "user", content: "What is 2+2?" }],
          reasoning: { include: true, enabled: true },
          sampling: {},
          metadata: {},
        },
        resolved_params: {},
        prepared_request: { model: {}, body: {} },
        metadata: {},
        warnings: [],
      },
    ]);
    if (job === undefined) throw new Error("no job inserted");
    expect((await store.jobs.claim(job.id, 1)).kind).toBe("claimed");
    expect((await store.jobs.claim(job.id, 1)).kind).toBe("skipped");
    await store.jobs.markFirstToken(job.id, 1);
    expect((await store.jobs.get(job.id, keyId))?.first_token_at).toBeInstanceOf(Date);
    expect(await store.jobs.get(job.id, "key_other")).toBeUndefined();
    const ended = await store.jobs.endAttempt(job.id, 1, {
      outcome: "failed",
      error: { type: "internal_error", message: "no" },
      usage: null,
      output: null,
      cost: null,
      jobUsage: null,
      jobCost: null,
    });
    expect(ended?.status).toBe("failed");
    expect(await store.jobs.get(job.id)).toEqual(ended);
    expect(await prepared()).toEqual([
      "reasonq_claim_jobs",
      "reasonq_end_attempts",
      "reasonq_get_job",
      "reasonq_get_key_job",
      "reasonq_insert_jobs",
      "reasonq_mark_first_token",
    ]);
  });
});
