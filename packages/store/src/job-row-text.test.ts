import { dropSchema, testDatabases } from "@reasonq/testkit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sampleJob } from "../test/sample-job.ts";
import { createStore, type Store } from "./create-store.ts";
import { jobRowFromText, jobRowToText } from "./job-row-text.ts";

describe.each(testDatabases())("a job row as text on $name", ({ options }) => {
  let store: Store;
  let keyId: string;

  beforeAll(async () => {
    store = await createStore(options);
    keyId = (await store.apiKeys.create("text")).apiKey.id;
  });
  afterAll(async () => {
    await store.close();
    if (options.kind === "postgres") await dropSchema(options.schema);
  });

  it("comes back equal to the row the database returned, every timestamp a Date again", async () => {
    const { job } = await store.jobs.create(sampleJob(keyId));
    await store.jobs.claim(job.id, 1);
    await store.jobs.cancel(job.id, keyId);
    const ended = await store.jobs.endAttempt(job.id, 1, {
      outcome: "cancelled",
      error: { type: "job_cancelled", message: "cancelled" },
      usage: null,
      output: null,
      cost: null,
      jobUsage: null,
      jobCost: null,
      priceSnapshot: null,
      firstTokenAt: new Date(),
    });
    if (ended === undefined) throw new Error("the attempt did not end");
    const stamped = Object.entries(ended).filter(([, value]) => value instanceof Date);
    expect(stamped.map(([column]) => column).sort()).toEqual([
      "cancel_requested_at",
      "completed_at",
      "created_at",
      "first_token_at",
      "started_at",
      "updated_at",
    ]);
    expect(jobRowFromText(jobRowToText(ended))).toEqual(ended);
    // The statements that return rows name their columns: none of the table's may be missing.
    const everyColumn = await store.db
      .selectFrom("jobs")
      .selectAll()
      .where("id", "=", job.id)
      .executeTakeFirstOrThrow();
    expect(Object.keys(ended).sort()).toEqual(Object.keys(everyColumn).sort());
  });
});
