import { dropSchema, postgresOptions } from "@reasonq/testkit";
import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sampleJob } from "../../test/sample-job.ts";
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

  it("are prepared once per connection and run by name after that, lone or many to a statement", async () => {
    const jobs = await store.jobs.createMany([sampleJob(keyId), sampleJob(keyId), sampleJob(keyId)]);
    const ids = jobs.map((job) => job.id);
    // The first of calls made together goes alone; the others wait for it and go as one.
    const claims = await Promise.all(ids.map((id) => store.jobs.claim(id, 1)));
    expect(claims.map((claim) => [claim.kind, claim.job?.id])).toEqual(ids.map((id) => ["claimed", id]));
    expect((await store.jobs.claim(ids[0] as string, 1)).kind).toBe("skipped");
    await store.jobs.markFirstToken(ids[0] as string, 1);
    expect((await store.jobs.get(ids[0] as string, keyId))?.first_token_at).toBeInstanceOf(Date);
    expect(await store.jobs.get(ids[0] as string, "key_other")).toBeUndefined();
    const ended = await Promise.all(
      ids.map((id, i) =>
        store.jobs.endAttempt(id, 1, {
          outcome: "failed",
          error: { type: "internal_error", message: `no ${i}` },
          usage: null,
          output: null,
          cost: null,
          jobUsage: null,
          jobCost: null,
        }),
      ),
    );
    expect(ended.map((row) => [row?.id, row?.status, row?.error?.message])).toEqual(
      ids.map((id, i) => [id, "failed", `no ${i}`]),
    );
    expect(await Promise.all(ids.map((id) => store.jobs.get(id)))).toEqual(ended);
    expect(await prepared()).toEqual([
      "reasonq_claim_job",
      "reasonq_claim_jobs",
      "reasonq_end_attempt",
      "reasonq_end_attempts",
      "reasonq_get_job",
      "reasonq_get_key_job",
      "reasonq_insert_jobs",
      "reasonq_mark_first_token",
    ]);
  });
});
