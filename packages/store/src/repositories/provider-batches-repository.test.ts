import { newId } from "@reasonq/core";
import { dropSchema, testDatabases } from "@reasonq/testkit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createStore, type Store } from "../create-store.ts";
import type { JobRow } from "../schema.ts";
import type { EnlistInput } from "./provider-batches-repository.ts";

describe.each(testDatabases())("provider batches repository on $name", ({ options }) => {
  let store: Store;
  let key: string;

  beforeAll(async () => {
    store = await createStore(options);
    key = (await store.apiKeys.create("pb")).apiKey.id;
  });
  afterAll(async () => {
    await store.close();
    if (options.kind === "postgres") await dropSchema(options.schema);
  });

  async function claimedJob(model = "openai/o4-mini"): Promise<JobRow> {
    const id = newId("job");
    await store.jobs.create({
      id,
      api_key_id: key,
      model,
      provider: "openai",
      spec: {
        model,
        messages: [{ role: "user", content: "2+2?" }],
        reasoning: { include: true, enabled: true },
        sampling: {},
        metadata: {},
        lane: "provider_batch",
      },
      resolved_params: {},
      prepared_request: { model: {}, body: {} },
      metadata: {},
      warnings: [],
    });
    const claim = await store.jobs.claim(id, 1);
    if (claim.kind !== "claimed") throw new Error("not claimed");
    return claim.job;
  }

  const enlist = (job: JobRow, extra: Partial<EnlistInput> = {}) =>
    store.providerBatches.enlist({
      job,
      family: "openai",
      model: job.model,
      groupKey: "/v1/chat/completions",
      bytes: 100,
      windowMs: 60_000,
      maxRequests: 3,
      maxBytes: 1_000,
      ...extra,
    });

  it("gathers jobs of one model into one row until it is full, then opens another", async () => {
    const model = `openai/m-${newId("job")}`;
    const rows = [];
    for (let i = 0; i < 4; i++) rows.push(await enlist(await claimedJob(model)));
    expect(new Set(rows.slice(0, 3).map((r) => r?.id)).size).toBe(1);
    expect(rows[3]?.id).not.toBe(rows[0]?.id);
    const full = rows[2];
    expect(full?.request_count).toBe(3);
    // A full row is due at once.
    expect((full?.gather_until.getTime() ?? 0) <= Date.now()).toBe(true);
    const jobs = await store.providerBatches.jobsOf(full?.id ?? "");
    expect(jobs.map((j) => j.provider_batch_id)).toEqual([full?.id, full?.id, full?.id]);
    // Reconcile no longer sees these running jobs as the queue's.
    const stale = await store.jobs.unfinishedSince(new Date(Date.now() + 60_000), 1000);
    expect(stale.map((j) => j.id)).not.toContain(jobs[0]?.id);
  });

  it("takes a running job out of its batch, once; reconcile sees it again", async () => {
    const job = await claimedJob(`openai/l-${newId("job")}`);
    const row = await enlist(job);
    expect(await store.providerBatches.leave(job.id, "pb_another")).toBe(false);
    expect(await store.providerBatches.leave(job.id, row?.id ?? "")).toBe(true);
    expect(await store.providerBatches.leave(job.id, row?.id ?? "")).toBe(false);
    expect((await store.jobs.get(job.id))?.provider_batch_id).toBeNull();
    expect(await store.providerBatches.jobsOf(row?.id ?? "")).toEqual([]);
    const stale = await store.jobs.unfinishedSince(new Date(Date.now() + 60_000), 1000);
    expect(stale.map((j) => j.id)).toContain(job.id);
  });

  it("respects the byte limit", async () => {
    const model = `openai/b-${newId("job")}`;
    const a = await enlist(await claimedJob(model), { bytes: 600 });
    const b = await enlist(await claimedJob(model), { bytes: 600 });
    expect(b?.id).not.toBe(a?.id);
  });

  it("leases a due row to one worker at a time, and again once the lease runs out", async () => {
    const row = await enlist(await claimedJob(`openai/l-${newId("job")}`), { windowMs: 0 });
    const first = await store.providerBatches.lease(60_000, 100);
    expect(first.map((r) => r.id)).toContain(row?.id);
    expect((await store.providerBatches.lease(60_000, 100)).map((r) => r.id)).not.toContain(row?.id);
    const later = new Date(Date.now() + 120_000);
    expect((await store.providerBatches.lease(60_000, 100, later)).map((r) => r.id)).toContain(row?.id);
  });

  it("records the intent to submit once, then the provider's id, polls and the end", async () => {
    const row = await enlist(await claimedJob(`openai/s-${newId("job")}`), { windowMs: 0 });
    const id = row?.id ?? "";
    const submitting = await store.providerBatches.markSubmitting(id);
    const again = await store.providerBatches.markSubmitting(id);
    expect(again.submit_started_at).toEqual(submitting.submit_started_at);
    await store.providerBatches.markSubmitted(id, `batch_${id}`, new Date(Date.now() + 60_000));
    expect(await store.providerBatches.knownProviderIds("openai")).toContain(`batch_${id}`);
    // Not due until its poll time.
    expect((await store.providerBatches.lease(1, 100)).map((r) => r.id)).not.toContain(id);
    const counts = { total: 1, succeeded: 0, errored: 0, expired: 0, canceled: 0, processing: 1 };
    await store.providerBatches.recordPoll(id, { providerStatus: "in_progress", counts, nextPollAt: new Date(0) });
    await store.providerBatches.end(id, { status: "ended", providerStatus: "completed", counts });
    const ended = await store.providerBatches.get(id);
    expect(ended).toMatchObject({ status: "ended", polls: 1, provider_status: "completed", lease_until: null });
  });
});
