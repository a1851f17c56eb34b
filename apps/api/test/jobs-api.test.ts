import type { Job } from "@reasonq/core";
import { testDatabases, waitFor } from "@reasonq/testkit";
import { Decimal } from "decimal.js";
import { describe, expect, it } from "vitest";
import { auth, useHarness } from "./harness.ts";

describe.each(testDatabases())("jobs API on $name", ({ options }) => {
  const h = useHarness(options, { workers: 1 });

  async function submit(body: unknown, key = h.keys.a, headers: Record<string, string> = {}) {
    return h.app.inject({
      method: "POST",
      url: "/v1/jobs",
      headers: { ...auth(key), ...headers },
      payload: body as object,
    });
  }

  it("runs a reasoning job end to end: answer, reasoning, usage and an exact cost", async () => {
    const created = await submit({ model: "sim/reasoner", prompt: "What is 17*23?", metadata: { ticket: "A-17" } });
    expect(created.statusCode).toBe(202);
    const job = created.json<Job>();
    expect(created.headers.location).toBe(`/v1/jobs/${job.id}`);
    expect(job.id).toMatch(/^job_[0-9A-HJKMNP-TV-Z]{26}$/);
    expect(job.status).toBe("queued");
    expect(job.resolved_params).not.toBeNull();

    const read = await h.app.inject({ method: "GET", url: `/v1/jobs/${job.id}?wait=30`, headers: auth(h.keys.a) });
    expect(read.statusCode).toBe(200);
    const done = read.json<Job>();
    expect(done.status).toBe("succeeded");
    expect(done.output?.answer).toContain("391");
    expect(done.output?.reasoning.length).toBeGreaterThan(0);
    expect(done.output?.reasoning_kind).toBe("full");
    expect(done.metadata).toEqual({ ticket: "A-17" });
    expect(done.attempts).toBe(1);
    expect(done.started_at).not.toBeNull();
    expect(done.first_token_at).not.toBeNull();
    expect(done.completed_at).not.toBeNull();

    const usage = done.usage;
    expect(usage).not.toBeNull();
    if (usage === null || done.cost === null) return;
    expect(usage.reasoning_tokens).toBeGreaterThan(0);
    expect(usage.reasoning_tokens + usage.answer_tokens).toBe(usage.output_tokens);
    const c = done.cost;
    const parts = [c.input, c.cached_input, c.cache_write, c.reasoning, c.answer].reduce(
      (sum, part) => sum.plus(new Decimal(part)),
      new Decimal(0),
    );
    expect(parts.equals(new Decimal(c.total))).toBe(true);
    expect(new Decimal(c.total).greaterThan(0)).toBe(true);
    expect(
      new Decimal(c.reasoning).equals(
        new Decimal(usage.reasoning_tokens).times(c.unit_prices_per_million.output).div(1e6),
      ),
    ).toBe(true);
  });

  it("shows a key only its own jobs", async () => {
    const job = (await submit({ model: "sim/hasty", prompt: "What is 2+2?" })).json<Job>();
    const other = await h.app.inject({ method: "GET", url: `/v1/jobs/${job.id}`, headers: auth(h.keys.b) });
    expect(other.statusCode).toBe(404);
    expect(other.json().error.type).toBe("not_found");
    const cancel = await h.app.inject({ method: "POST", url: `/v1/jobs/${job.id}/cancel`, headers: auth(h.keys.b) });
    expect(cancel.statusCode).toBe(404);
    const list = await h.app.inject({ method: "GET", url: "/v1/jobs?limit=100", headers: auth(h.keys.b) });
    expect(list.json<{ data: Job[] }>().data.map((j) => j.id)).not.toContain(job.id);
  });

  it("refuses missing and wrong keys with 401", async () => {
    const none = await h.app.inject({ method: "GET", url: "/v1/jobs" });
    expect(none.statusCode).toBe(401);
    expect(none.json().error).toMatchObject({ type: "authentication_error", field: "authorization" });
    const wrong = await h.app.inject({ method: "GET", url: "/v1/jobs", headers: auth("rq_not-a-key-at-all") });
    expect(wrong.statusCode).toBe(401);
    const malformed = await h.app.inject({ method: "GET", url: "/v1/jobs", headers: { authorization: "Basic abc" } });
    expect(malformed.statusCode).toBe(401);
  });

  it("returns the same job for a repeated Idempotency-Key and 409 for a different body", async () => {
    const body = { model: "sim/reasoner", prompt: "What is 3*3?" };
    const first = await submit(body, h.keys.a, { "idempotency-key": "idem-1" });
    expect(first.statusCode).toBe(202);
    const again = await submit({ prompt: "What is 3*3?", model: "sim/reasoner" }, h.keys.a, {
      "idempotency-key": "idem-1",
    });
    expect(again.statusCode).toBe(200);
    expect(again.json<Job>().id).toBe(first.json<Job>().id);
    const different = await submit({ ...body, prompt: "What is 4*4?" }, h.keys.a, { "idempotency-key": "idem-1" });
    expect(different.statusCode).toBe(409);
    expect(different.json().error.type).toBe("conflict");
  });

  it("pages the list newest first with a cursor", async () => {
    const key = (await h.store.apiKeys.create("pager")).key;
    const ids: string[] = [];
    for (let i = 0; i < 3; i++)
      ids.push((await submit({ model: "sim/hasty", prompt: `What is ${i}+1?` }, key)).json<Job>().id);
    const page1 = (await h.app.inject({ method: "GET", url: "/v1/jobs?limit=2", headers: auth(key) })).json();
    expect(page1.object).toBe("list");
    expect(page1.data.map((j: Job) => j.id)).toEqual([ids[2], ids[1]]);
    expect(page1.has_more).toBe(true);
    const page2 = (
      await h.app.inject({ method: "GET", url: `/v1/jobs?limit=2&after=${page1.next_cursor}`, headers: auth(key) })
    ).json();
    expect(page2.data.map((j: Job) => j.id)).toEqual([ids[0]]);
    expect(page2.has_more).toBe(false);
    expect(page2.next_cursor).toBeNull();
  });

  it("cancels a running job and keeps its partial reasoning and cost", async () => {
    const job = (
      await submit({ model: "sim/reasoner", prompt: "What is 123*456? [sim:tps=40]", reasoning: { effort: "max" } })
    ).json<Job>();
    await waitFor(
      async () => {
        const row = await h.store.jobs.get(job.id);
        return row?.first_token_at !== null && row?.status === "running";
      },
      { what: "the job to stream" },
    );
    const cancelled = await h.app.inject({ method: "POST", url: `/v1/jobs/${job.id}/cancel`, headers: auth(h.keys.a) });
    expect(cancelled.statusCode).toBe(200);
    const final = (
      await h.app.inject({ method: "GET", url: `/v1/jobs/${job.id}?wait=30`, headers: auth(h.keys.a) })
    ).json<Job>();
    expect(final.status).toBe("cancelled");
    expect(final.error?.type).toBe("job_cancelled");
    expect(final.output?.reasoning.length).toBeGreaterThan(0);
    expect(final.output?.finish_reason).toBe("cancelled");
    expect(final.usage?.reasoning_tokens_source).toBe("estimated");
    expect(new Decimal(final.cost?.total ?? "0").greaterThan(0)).toBe(true);
  });

  it("retries a provider server error and records every attempt", async () => {
    const job = (await submit({ model: "sim/reasoner", prompt: "What is 6*7? [sim:fail=server_error:2]" })).json<Job>();
    const done = (
      await h.app.inject({ method: "GET", url: `/v1/jobs/${job.id}?wait=60&include=attempts`, headers: auth(h.keys.a) })
    ).json<Job>();
    expect(done.status).toBe("succeeded");
    expect(done.attempts).toBe(3);
    expect(done.attempt_list?.map((a) => a.outcome)).toEqual(["retried", "retried", "succeeded"]);
    expect(done.attempt_list?.[0]?.error?.type).toBe("provider_server_error");
  });

  it("fails an invalid provider request at once, with its message", async () => {
    const job = (
      await submit({ model: "sim/reasoner", prompt: "What is 6*7? [sim:fail=invalid_request]" })
    ).json<Job>();
    const done = (
      await h.app.inject({ method: "GET", url: `/v1/jobs/${job.id}?wait=30`, headers: auth(h.keys.a) })
    ).json<Job>();
    expect(done.status).toBe("failed");
    expect(done.attempts).toBe(1);
    expect(done.error?.type).toBe("provider_invalid_request");
  });

  it("reports reasoning that ate the whole output budget as incomplete", async () => {
    const job = (
      await submit({
        model: "sim/reasoner",
        prompt: "What is 987*654?",
        reasoning: { effort: "max" },
        max_output_tokens: 20,
      })
    ).json<Job>();
    const done = (
      await h.app.inject({ method: "GET", url: `/v1/jobs/${job.id}?wait=30`, headers: auth(h.keys.a) })
    ).json<Job>();
    expect(done.status).toBe("incomplete");
    expect(done.incomplete_reason).toBe("max_output_tokens");
    expect(done.output?.answer).toBe("");
    expect(done.cost).not.toBeNull();
  });
});
