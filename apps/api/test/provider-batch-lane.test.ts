/**
 * The provider_batch lane end to end: the API takes `lane`, the worker gathers the lane's
 * jobs per provider and model into one provider batch (through the official SDKs, against
 * the mock providers' batch APIs), polls it and fans the results back into the jobs, each
 * stored as an interactive job's would be and priced at the provider's batch rate.
 */
import { computeCost, priceCatalog } from "@reasonq/billing";
import type { Job, JobEvent } from "@reasonq/core";
import type { MockServer } from "@reasonq/mock-providers";
import { postgresOptions, waitFor } from "@reasonq/testkit";
import { Decimal } from "decimal.js";
import { beforeAll, describe, expect, it } from "vitest";
import { auth, useHarness } from "./harness.ts";
import { readSse } from "./sse-client.ts";

/**
 * Long enough that jobs submitted together land in one provider batch even on a loaded
 * machine: the grouping is what several tests assert.
 */
const WINDOW_MS = "2000";

// The lane's store logic runs on PGlite too (store tests); one database keeps this file quick.
describe("the provider_batch lane", () => {
  const h = useHarness(postgresOptions(), {
    mocks: { openai: {}, anthropic: {}, google: {} },
    env: {
      REASONQ_PROVIDER_BATCH_WINDOW_MS: WINDOW_MS,
      REASONQ_PROVIDER_BATCH_POLL_MS: "20",
      REASONQ_PROVIDER_BATCH_MAX_POLL_MS: "100",
    },
    workers: 1,
  });
  let base: string;
  beforeAll(async () => {
    base = await h.listen();
  });

  const submit = async (body: object): Promise<Job> => {
    const res = await h.app.inject({ method: "POST", url: "/v1/jobs", headers: auth(h.keys.a), payload: body });
    expect(res.statusCode).toBe(202);
    return res.json<Job>();
  };
  const finished = async (id: string) =>
    (await h.app.inject({ method: "GET", url: `/v1/jobs/${id}?wait=30`, headers: auth(h.keys.a) })).json<Job>();
  const creates = (mock: MockServer, path: string) =>
    mock.requests.filter((r) => r.method === "POST" && r.path === path).length;

  it("runs each family's jobs as one provider batch, stored like interactive jobs at half the price", async () => {
    const before = {
      openai: creates(h.mocks.openai, "/v1/batches"),
      anthropic: creates(h.mocks.anthropic, "/v1/messages/batches"),
    };
    const keyId = (await h.store.apiKeys.authenticate(h.keys.a))?.id as string;
    const spentBefore = await h.store.usage.spentBy(keyId);
    const models = ["o4-mini", "claude-sonnet-4-6", "gemini-2.5-flash"];
    const jobs = await Promise.all(
      models.flatMap((model) =>
        ["What is 17*23?", "What is 6*7?"].map((prompt) => submit({ model, prompt, lane: "provider_batch" })),
      ),
    );
    const running = await waitFor(async () => {
      const job = (
        await h.app.inject({ method: "GET", url: `/v1/jobs/${jobs[0]?.id}`, headers: auth(h.keys.a) })
      ).json<Job>();
      return job.provider_batch_id !== null ? job : null;
    });
    expect(running.status).toBe("running");
    expect(running.provider_batch_id).toMatch(/^pb_/);

    const done = await Promise.all(jobs.map((job) => finished(job.id)));
    for (const job of done) {
      expect(job.status).toBe("succeeded");
      expect(job.attempts).toBe(1);
      expect(job.output?.answer).toMatch(/391|42/);
      expect(job.usage?.reasoning_tokens).toBeGreaterThan(0);
      expect(job.cost?.price_source).toMatch(/Batch/);
      // Exactly half the interactive price of the same usage.
      const interactive = computeCost(
        job.usage as NonNullable<Job["usage"]>,
        priceCatalog.snapshotFor(job.model, new Date(job.started_at as string), {
          inputTokens: job.usage?.input_tokens as number,
        }),
      );
      expect(new Decimal(job.cost?.total as string).times(2).equals(interactive.total)).toBe(true);
    }
    // The key's running spend total (what its spend cap reads) counts each at the batch price.
    const billed = done.reduce((sum, job) => sum.plus(job.cost?.total as string), new Decimal(spentBefore));
    expect(new Decimal(await h.store.usage.spentBy(keyId)).equals(billed)).toBe(true);
    const claude = done.find((j) => j.provider === "anthropic");
    expect(claude?.output?.thinking_blocks?.length).toBeGreaterThan(0);
    // One provider batch per family: the two jobs of each model went together.
    expect(new Set(done.map((j) => j.provider_batch_id)).size).toBe(3);
    expect(creates(h.mocks.openai, "/v1/batches") - before.openai).toBe(1);
    expect(creates(h.mocks.anthropic, "/v1/messages/batches") - before.anthropic).toBe(1);

    const events = await readSse(`${base}/v1/jobs/${jobs[0]?.id}/events`, { headers: auth(h.keys.a) });
    const waiting = events
      .map((e) => JSON.parse(e.data) as JobEvent)
      .filter((e) => e.type === "status" && e.waiting !== undefined);
    expect(waiting[0]).toMatchObject({ waiting: { on: "provider_batch", provider: "openai" } });
  });

  it("fails only the job whose request errored inside the batch, with the provider's message", async () => {
    const [ok, bad] = await Promise.all([
      submit({ model: "o4-mini", prompt: "What is 9*9?", lane: "provider_batch" }),
      submit({ model: "o4-mini", prompt: "Hi [mock:status=400]", lane: "provider_batch" }),
    ]);
    const [okDone, badDone] = await Promise.all([finished(ok.id), finished(bad.id)]);
    expect(okDone.provider_batch_id).toBe(badDone.provider_batch_id);
    expect(okDone.status).toBe("succeeded");
    expect(badDone.status).toBe("failed");
    expect(badDone.error?.type).toBe("provider_invalid_request");
    expect(badDone.error?.message.length).toBeGreaterThan(10);
  });

  it("fails the jobs an expired batch never ran, with a clear message", async () => {
    const [ran, late] = await Promise.all([
      submit({ model: "claude-sonnet-4-6", prompt: "What is 5+5?", lane: "provider_batch" }),
      submit({ model: "claude-sonnet-4-6", prompt: "What is 6+6? [mock:batch_expire]", lane: "provider_batch" }),
    ]);
    expect((await finished(ran.id)).status).toBe("succeeded");
    const expired = await finished(late.id);
    expect(expired.status).toBe("failed");
    expect(expired.error?.message).toMatch(/Anthropic batch expired before this request ran/);

    const gemini = await finished(
      (await submit({ model: "gemini-2.5-flash", prompt: "What is 7+7? [mock:batch_expire]", lane: "provider_batch" }))
        .id,
    );
    expect(gemini.status).toBe("failed");
    expect(gemini.error?.message).toMatch(/Gemini batch expired/);
  });

  it("cancels the provider batch when all its jobs are cancelled", async () => {
    const job = await submit({
      model: "o4-mini",
      prompt: "What is 8*8? [mock:batch_slow=100000]",
      lane: "provider_batch",
    });
    const row = await waitFor(async () => {
      const id = (await h.store.jobs.get(job.id))?.provider_batch_id;
      const batch = id ? await h.store.providerBatches.get(id) : undefined;
      return batch?.status === "in_progress" ? batch : null;
    });
    const cancel = await h.app.inject({ method: "POST", url: `/v1/jobs/${job.id}/cancel`, headers: auth(h.keys.a) });
    expect(cancel.statusCode).toBeLessThan(300);
    const ended = await finished(job.id);
    expect(ended.status).toBe("cancelled");
    // The jobs end first, then the row.
    await waitFor(async () => (await h.store.providerBatches.get(row.id))?.status === "cancelled");
    expect(h.mocks.openai.requests.some((r) => r.path === `/v1/batches/${row.provider_batch_id}/cancel`)).toBe(true);
  });

  it("ends a job cancelled while its batch gathers, and sends nothing", async () => {
    const sent = creates(h.mocks.anthropic, "/v1/messages/batches");
    const job = await submit({ model: "claude-sonnet-4-6", prompt: "What is 1+9?", lane: "provider_batch" });
    const gathering = await waitFor(async () => {
      const id = (await h.store.jobs.get(job.id))?.provider_batch_id;
      return id ? await h.store.providerBatches.get(id) : null;
    });
    expect(gathering.status).toBe("gathering");
    await h.app.inject({ method: "POST", url: `/v1/jobs/${job.id}/cancel`, headers: auth(h.keys.a) });
    expect((await finished(job.id)).status).toBe("cancelled");
    await waitFor(async () => (await h.store.providerBatches.get(gathering.id))?.status === "cancelled");
    expect(creates(h.mocks.anthropic, "/v1/messages/batches")).toBe(sent);
  });

  it("runs the lane interactively, with a warning, for a family without a batch API", async () => {
    const job = await finished(
      (await submit({ model: "sim/reasoner", prompt: "What is 2+2?", lane: "provider_batch" })).id,
    );
    expect(job.status).toBe("succeeded");
    expect(job.provider_batch_id).toBeNull();
    expect(job.warnings).toContainEqual(
      expect.objectContaining({ field: "lane", message: expect.stringContaining("no batch API") }),
    );
    expect(job.cost?.price_source).not.toMatch(/Batch/);
  });
});

describe("the provider_batch lane across a worker restart", () => {
  const h = useHarness(postgresOptions(), {
    mocks: { openai: {} },
    env: {
      REASONQ_PROVIDER_BATCH_WINDOW_MS: WINDOW_MS,
      REASONQ_PROVIDER_BATCH_POLL_MS: "20",
      REASONQ_PROVIDER_BATCH_MAX_POLL_MS: "50",
    },
  });

  const submit = async (prompt: string): Promise<Job> =>
    (
      await h.app.inject({
        method: "POST",
        url: "/v1/jobs",
        headers: auth(h.keys.a),
        payload: { model: "o4-mini", prompt, lane: "provider_batch" },
      })
    ).json<Job>();
  const batchCreates = () =>
    h.mocks.openai.requests.filter((r) => r.method === "POST" && r.path === "/v1/batches").length;

  it("resumes a batch in flight after the worker stops, without submitting it again; every job ends once", async () => {
    const first = await h.startWorker();
    const jobs = await Promise.all([submit("What is 3*4? [mock:batch_slow=6]"), submit("What is 5*6?")]);
    const row = await waitFor(async () => {
      const id = (await h.store.jobs.get(jobs[0]?.id ?? ""))?.provider_batch_id;
      const batch = id ? await h.store.providerBatches.get(id) : undefined;
      return batch?.status === "in_progress" ? batch : null;
    });
    await first.close(1000);
    const createsBefore = batchCreates();
    expect(createsBefore).toBe(1);

    // As if the worker died after the provider accepted the batch but before recording its id.
    await h.store.db
      .updateTable("provider_batches")
      .set({ status: "submitting", provider_batch_id: null, lease_until: null })
      .where("id", "=", row.id)
      .execute();

    await h.startWorker();
    const done = await Promise.all(
      jobs.map(async (job) =>
        (await h.app.inject({ method: "GET", url: `/v1/jobs/${job.id}?wait=30`, headers: auth(h.keys.a) })).json<Job>(),
      ),
    );
    expect(done.map((j) => j.status)).toEqual(["succeeded", "succeeded"]);
    expect(batchCreates()).toBe(1);
    const resumed = await waitFor(async () => {
      const batch = await h.store.providerBatches.get(row.id);
      return batch?.status === "ended" ? batch : null;
    });
    expect(resumed).toMatchObject({ status: "ended", provider_batch_id: row.provider_batch_id });
    for (const job of jobs) {
      const attempts = await h.store.jobs.attempts(job.id);
      expect(attempts.map((a) => a.outcome)).toEqual(["succeeded"]);
    }
  });
});
