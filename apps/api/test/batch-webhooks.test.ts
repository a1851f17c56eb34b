import type { Batch } from "@reasonq/core";
import { postgresOptions, waitFor } from "@reasonq/testkit";
import { describe, expect, it } from "vitest";
import { auth, useHarness } from "./harness.ts";
import { type Received, useReceiver, verifiedEvent, webhookEnv } from "./webhook-receiver.ts";

const SECRET = `whsec_${Buffer.from("reasonq-batch-webhook-secret-32b").toString("base64")}`;

/** Issue 14: a batch's webhook_url is POSTed once when the batch ends, signed like a job's. */
describe("batch webhooks", () => {
  const receiver = useReceiver();
  const h = useHarness(postgresOptions(), { env: webhookEnv(SECRET) });

  const create = async (name: string, items: number, extra: object = {}) => {
    const res = await h.app.inject({
      method: "POST",
      url: "/v1/batches",
      headers: auth(h.keys.a),
      payload: {
        name,
        items: Array.from({ length: items }, (_, i) => ({
          id: `i${i}`,
          prompt: `What is ${i}+1?`,
          expected: `${i + 1}`,
        })),
        variants: [{ model: "sim/hasty" }],
        scorer: { type: "numeric" },
        webhook_url: receiver.url,
        ...extra,
      },
    });
    expect(res.statusCode, res.body).toBe(202);
    const batch = res.json<Batch>();
    expect(batch.webhook_url).toBe(receiver.url);
    return batch.id;
  };
  const read = async (id: string) =>
    (await h.app.inject({ method: "GET", url: `/v1/batches/${id}`, headers: auth(h.keys.a) })).json<Batch>();

  it("delivers a finished, a cancelled and a budget-stopped batch once each, signed, retried through a worker restart", async () => {
    // Cancelled before any worker ran a step: nothing in flight, so the cancel itself ends it.
    const cancelled = await create("cancelled", 3);
    const cancel = await h.app.inject({
      method: "POST",
      url: `/v1/batches/${cancelled}/cancel`,
      headers: auth(h.keys.a),
    });
    expect(cancel.json<Batch>()).toMatchObject({ status: "cancelled", completed_at: expect.any(String) });
    expect(cancel.json<Batch>().webhook).toMatchObject({ id: cancelled, event: "batch.ended", status: "pending" });

    const finished = await create("finished", 3);
    // Stopped by its budget before its first job: the fan-out step ends it.
    const broke = await create("broke", 3, { max_cost_usd: "0.000000001" });
    const first = await h.startWorker();
    await waitFor(() => [finished, cancelled, broke].every((id) => receiver.hits(id).length > 0), {
      what: "a first, refused delivery of each batch",
      timeoutMs: 30_000,
    });
    await first.close(1000);

    receiver.answer = 200;
    await h.startWorker();
    await waitFor(() => [finished, cancelled, broke].every((id) => receiver.hits(id, 200).length > 0), {
      what: "both deliveries",
      timeoutMs: 30_000,
    });

    for (const [id, status, jobs] of [
      [finished, "completed", 3],
      [cancelled, "cancelled", 0],
      [broke, "budget_exhausted", 0],
    ] as const) {
      expect(receiver.hits(id, 200), id).toHaveLength(1);
      const hit = receiver.hits(id, 200)[0] as Received;
      const event = verifiedEvent<Batch>(SECRET, hit);
      expect(event.type).toBe("batch.ended");
      expect(event.data).toMatchObject({ id, object: "batch", status, completed_at: expect.any(String) });
      expect(event.data.progress.finished_jobs).toBe(jobs);
      expect(() => verifiedEvent<Batch>(SECRET, { ...hit, body: hit.body.replace(status, "running") })).toThrow();

      const seen = await read(id);
      expect(seen.webhook).toMatchObject({ id, url: receiver.url, event: "batch.ended", status: "delivered" });
      const codes = seen.webhook?.attempts.map((a) => a.status_code) ?? [];
      expect(codes.at(-1)).toBe(200);
      expect(codes.slice(0, -1).every((c) => c === 503)).toBe(true);
    }
    expect((await h.store.db.selectFrom("webhook_deliveries").select("id").execute()).map((r) => r.id).sort()).toEqual(
      [finished, cancelled, broke].sort(),
    );
  }, 90_000);
});
