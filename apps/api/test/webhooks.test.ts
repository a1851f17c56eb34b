import type { Job } from "@reasonq/core";
import { postgresOptions, waitFor } from "@reasonq/testkit";
import { describe, expect, it } from "vitest";
import { auth, type Harness, useHarness } from "./harness.ts";
import { type Received, useReceiver, verifiedEvent, webhookEnv } from "./webhook-receiver.ts";

const SECRET = `whsec_${Buffer.from("reasonq-webhook-test-secret-32by").toString("base64")}`;

describe("webhooks", () => {
  const receiver = useReceiver();
  const h = useHarness(postgresOptions(), { env: webhookEnv(SECRET) });

  const submit = (body: object) =>
    h.app.inject({ method: "POST", url: "/v1/jobs", headers: auth(h.keys.a), payload: body });
  const read = async (id: string) =>
    (await h.app.inject({ method: "GET", url: `/v1/jobs/${id}?include=webhook`, headers: auth(h.keys.a) })).json<Job>();

  it("delivers a finished job, signed, retried through a worker restart; attempts are on the job", async () => {
    // A job the API ends itself (cancelled while queued) is delivered too.
    const cancelled = (
      await submit({ model: "sim/hasty", prompt: "Never run", webhook_url: receiver.url })
    ).json<Job>();
    const cancel = await h.app.inject({
      method: "POST",
      url: `/v1/jobs/${cancelled.id}/cancel`,
      headers: auth(h.keys.a),
    });
    expect(cancel.json<Job>().status).toBe("cancelled");

    const first = await h.startWorker();
    const job = (await submit({ model: "sim/hasty", prompt: "What is 2+2?", webhook_url: receiver.url })).json<Job>();
    const refusedOnce = (id: string) => receiver.hits(id).length > 0;
    await waitFor(() => refusedOnce(job.id) && refusedOnce(cancelled.id), { what: "a first, refused delivery" });
    await first.close(1000);

    receiver.answer = 200;
    await h.startWorker();
    const delivered = (id: string) => receiver.hits(id, 200)[0];
    await waitFor(() => delivered(job.id) && delivered(cancelled.id), { what: "both deliveries", timeoutMs: 30_000 });

    for (const [id, status] of [
      [job.id, "succeeded"],
      [cancelled.id, "cancelled"],
    ] as const) {
      const hit = delivered(id) as Received;
      const event = verifiedEvent<Job>(SECRET, hit);
      expect(event.type).toBe("job.ended");
      expect(event.data).toMatchObject({ id, status });
      expect(() => verifiedEvent(SECRET, { ...hit, body: hit.body.replace(status, "failed") })).toThrow();
    }

    const seen = await read(job.id);
    expect(seen.webhook).toMatchObject({ id: job.id, url: receiver.url, event: "job.ended", status: "delivered" });
    const codes = seen.webhook?.attempts.map((a) => a.status_code) ?? [];
    expect(codes.at(-1)).toBe(200);
    expect(codes.slice(0, -1).every((c) => c === 503)).toBe(true);
    expect(codes.length).toBeGreaterThanOrEqual(2);
    expect(receiver.hits(job.id, 200)).toHaveLength(1);
    expect((await read(job.id)).webhook?.status).toBe("delivered");
    const plain = await h.app.inject({ method: "GET", url: `/v1/jobs/${job.id}`, headers: auth(h.keys.a) });
    expect(plain.json<Job>().webhook).toBeUndefined();
  }, 60_000);
});

describe("webhook_url refused at submit", () => {
  const guarded = useHarness(postgresOptions(), { env: { REASONQ_WEBHOOK_SECRET: SECRET } });
  const off = useHarness(postgresOptions());

  const submit = (h: Harness, webhook_url: string) =>
    h.app.inject({
      method: "POST",
      url: "/v1/jobs",
      headers: auth(h.keys.a),
      payload: { model: "sim/hasty", prompt: "hi", webhook_url },
    });

  it("for loopback, private and link-local addresses and names resolving to them (SSRF)", async () => {
    for (const url of [
      "http://127.0.0.1:8080/hook",
      "http://localhost/hook",
      "http://169.254.169.254/latest/meta-data",
      "http://10.0.0.7/hook",
      "http://[::1]/hook",
      "https://192.168.1.10/hook",
    ]) {
      const res = await submit(guarded, url);
      expect(res.statusCode, url).toBe(400);
      expect(res.json().error).toMatchObject({ type: "invalid_request", field: "webhook_url" });
    }
    expect(await guarded.store.db.selectFrom("jobs").select("id").execute()).toEqual([]);
  });

  it("on a batch too, for the same addresses", async () => {
    const res = await guarded.app.inject({
      method: "POST",
      url: "/v1/batches",
      headers: auth(guarded.keys.a),
      payload: {
        name: "b",
        items: [{ prompt: "hi" }],
        variants: [{ model: "sim/hasty" }],
        scorer: { type: "numeric" },
        webhook_url: "http://169.254.169.254/latest/meta-data",
      },
    });
    expect(res.statusCode).toBe(400);
    expect(res.json().error).toMatchObject({ type: "invalid_request", field: "webhook_url" });
    expect(await guarded.store.db.selectFrom("batches").select("id").execute()).toEqual([]);
  });

  it("when the server has no signing secret, instead of accepting and ignoring it", async () => {
    const res = await submit(off, "https://example.com/hook");
    expect(res.statusCode).toBe(400);
    expect(res.json().error).toMatchObject({ field: "webhook_url", message: expect.stringContaining("webhooks") });
  });
});
