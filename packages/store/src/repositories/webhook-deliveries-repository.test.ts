import { dropSchema, testDatabases } from "@reasonq/testkit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sampleJob } from "../../test/sample-job.ts";
import { createStore, type Store } from "../create-store.ts";
import { toWebhookDelivery } from "./webhook-deliveries-repository.ts";

describe.each(testDatabases())("webhook deliveries on $name", ({ options }) => {
  let store: Store;
  let key: string;

  beforeAll(async () => {
    store = await createStore(options);
    key = (await store.apiKeys.create("a")).apiKey.id;
  });
  afterAll(async () => {
    await store.close();
    if (options.kind === "postgres") await dropSchema(options.schema);
  });

  async function cancelledJob(webhookUrl?: string): Promise<string> {
    const job = sampleJob(key);
    if (webhookUrl !== undefined) job.spec.webhook_url = webhookUrl;
    const { id } = (await store.jobs.create(job)).job;
    expect((await store.jobs.cancel(id, key))?.kind).toBe("cancelled");
    return id;
  }

  it("finds ended jobs whose webhook was never scheduled, and schedules each once", async () => {
    const withHook = await cancelledJob("https://example.com/hook");
    const without = await cancelledJob();
    const later = new Date(Date.now() + 60_000);
    const missing = (await store.webhooks.jobsMissingDelivery(later)).map((j) => j.id);
    expect(missing).toContain(withHook);
    expect(missing).not.toContain(without);
    expect((await store.webhooks.jobsMissingDelivery(later)).find((j) => j.id === withHook)?.url).toBe(
      "https://example.com/hook",
    );

    const delivery = { id: withHook, api_key_id: key, event: "job.ended", url: "https://example.com/hook" };
    await store.webhooks.create(delivery);
    await store.webhooks.create(delivery);
    expect((await store.webhooks.jobsMissingDelivery(later)).map((j) => j.id)).not.toContain(withHook);
    expect((await store.webhooks.stalePending(later)).map((d) => d.id)).toContain(withHook);
  });

  it("appends every attempt and ends delivered", async () => {
    const id = await cancelledJob("https://example.com/hook");
    await store.webhooks.create({ id, api_key_id: key, event: "job.ended", url: "https://example.com/hook" });
    const at = new Date().toISOString();
    await store.webhooks.recordAttempt(
      id,
      { attempt: 1, at, status_code: 503, error: "the receiver answered 503", duration_ms: 3 },
      "pending",
    );
    await store.webhooks.recordAttempt(
      id,
      { attempt: 2, at, status_code: 200, error: null, duration_ms: 2 },
      "delivered",
    );
    const view = toWebhookDelivery(await store.webhooks.get(id));
    expect(view).toMatchObject({ id, status: "delivered", event: "job.ended" });
    expect(view?.attempts.map((a) => a.status_code)).toEqual([503, 200]);
    expect((await store.webhooks.stalePending(new Date(Date.now() + 60_000))).map((d) => d.id)).not.toContain(id);
    expect(toWebhookDelivery(undefined)).toBeNull();
  });
});
