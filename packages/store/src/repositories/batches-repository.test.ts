import { newId } from "@reasonq/core";
import { dropSchema, testDatabases } from "@reasonq/testkit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sampleJob } from "../../test/sample-job.ts";
import { createStore, type Store } from "../create-store.ts";
import type { NewJob } from "./jobs-repository.ts";

describe.each(testDatabases())("batches repository on $name", ({ options }) => {
  let store: Store;
  let keyId: string;
  beforeAll(async () => {
    store = await createStore(options);
    keyId = (await store.apiKeys.create("batches")).apiKey.id;
  });
  afterAll(async () => {
    await store.close();
    if (options.kind === "postgres") await dropSchema(options.schema);
  });

  async function batchOf(items: number, variants: number, repeats: number, maxCost: string | null = null) {
    const dataset = await store.datasets.create(
      { id: newId("dataset"), api_key_id: keyId, name: "d", format: "inline" },
      [Array.from({ length: items }, (_, i) => ({ item_id: `i${i}`, item: { prompt: `q${i}` } }))],
    );
    return store.batches.create({
      id: newId("batch"),
      api_key_id: keyId,
      name: "b",
      dataset_id: dataset.id,
      spec: {},
      item_count: items,
      variant_count: variants,
      repeats,
      max_cost_usd: maxCost,
      metadata: {},
    });
  }

  const job = (batchId: string): NewJob => {
    const base = sampleJob(keyId, { model: "sim/hasty", batch_id: batchId, metadata: {} });
    return { ...base, spec: { ...base.spec, model: "sim/hasty", messages: [{ role: "user", content: "q" }] } };
  };

  it("walks the grid in chunks, item by item, variant by variant, repeat by repeat, never twice", async () => {
    const batch = await batchOf(3, 2, 2);
    const seen: string[] = [];
    const step = () =>
      store.batches.fanOut(batch.id, { chunk: 5, maxInFlight: 100 }, (cell) => {
        seen.push(`${cell.itemId}/${cell.variantIdx}/${cell.repeat}`);
        return { job: job(batch.id), reservedUsd: "0" };
      });
    const [a, b, c] = await Promise.all([step(), step(), step()]);
    expect([a, b, c].map((r) => r.created.length).sort()).toEqual([2, 5, 5]);
    expect(seen.slice(0, 4)).toEqual(["i0/0/0", "i0/0/1", "i0/1/0", "i0/1/1"]);
    expect(new Set(seen).size).toBe(12);
    expect((await step()).created).toHaveLength(0);
  });

  it("counts each result once and completes the batch with its last job", async () => {
    const batch = await batchOf(2, 1, 1);
    const { created } = await store.batches.fanOut(batch.id, { chunk: 10, maxInFlight: 10 }, () => ({
      job: job(batch.id),
      reservedUsd: "0.5",
    }));
    const input = {
      status: "succeeded" as const,
      correct: true,
      score: 1,
      extracted: "4",
      detail: null,
      costUsd: "0.000123",
    };
    const [first, second] = created;
    expect((await store.batches.recordResult(first?.id ?? "", input))?.status).toBe("running");
    expect(await store.batches.recordResult(first?.id ?? "", input)).toBeUndefined();
    const done = await store.batches.recordResult(second?.id ?? "", { ...input, correct: false });
    expect(done?.status).toBe("completed");
    expect(done?.spent_usd).toMatch(/^0\.000246/);
    expect(Number(done?.reserved_usd)).toBe(0);
    const stats = await store.batches.variantStats(batch.id);
    expect(stats[0]).toMatchObject({ scored: 2, correct: 1, incorrect: 1 });
  });

  it("finds grid jobs that ended but were never counted", async () => {
    const batch = await batchOf(1, 1, 1);
    const { created } = await store.batches.fanOut(batch.id, { chunk: 10, maxInFlight: 10 }, () => ({
      job: job(batch.id),
      reservedUsd: "0",
    }));
    const id = created[0]?.id ?? "";
    await store.jobs.cancel(id, keyId);
    expect(await store.batches.uncounted(new Date(Date.now() + 1000), 10)).toContain(id);
    await store.batches.recordResult(id, {
      status: "cancelled",
      correct: null,
      score: null,
      extracted: null,
      detail: null,
      costUsd: null,
    });
    expect(await store.batches.uncounted(new Date(Date.now() + 1000), 10)).not.toContain(id);
  });

  it("stops for good on the budget only when nothing is in flight", async () => {
    const batch = await batchOf(4, 1, 1, "1");
    let planned = 0;
    const plan = () => (planned++ < 1 ? { job: job(batch.id), reservedUsd: "0.9" } : ({ stop: "budget" } as const));
    const first = await store.batches.fanOut(batch.id, { chunk: 10, maxInFlight: 10 }, plan);
    expect(first).toMatchObject({ stopped: false, paused: true });
    await store.batches.recordResult(first.created[0]?.id ?? "", {
      status: "succeeded",
      correct: true,
      score: 1,
      extracted: null,
      detail: null,
      costUsd: "0.2",
    });
    const second = await store.batches.fanOut(batch.id, { chunk: 10, maxInFlight: 10 }, plan);
    expect(second.stopped).toBe(true);
    expect((await store.batches.get(batch.id))?.status).toBe("budget_exhausted");
  });
  it("tells a budgeted batch's planner what its unfinished jobs' earlier attempts were billed", async () => {
    const budgeted = await batchOf(3, 1, 1, "1");
    const billed: string[] = [];
    const step = (batchId: string) =>
      store.batches.fanOut(batchId, { chunk: 1, maxInFlight: 10 }, (_cell, _batch, _key, billedInFlight) => {
        billed.push(billedInFlight);
        return { job: job(batchId), reservedUsd: "0.1" };
      });
    const first = await step(budgeted.id);
    // A retried job's first attempt is on its row while the job is still unfinished.
    await store.db
      .updateTable("jobs")
      .set({ cost_total: "0.3" })
      .where("id", "=", first.created[0]?.id ?? "")
      .execute();
    await step(budgeted.id);
    expect(billed.map(Number)).toEqual([0, 0.3]);
    const unbudgeted = await batchOf(1, 1, 1);
    await step(unbudgeted.id);
    expect(billed[2]).toBe("0");
  });
});
