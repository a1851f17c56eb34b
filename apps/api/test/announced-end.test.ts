import type { Job } from "@reasonq/core";
import { postgresOptions } from "@reasonq/testkit";
import { afterEach, describe, expect, it, vi } from "vitest";
import { auth, useHarness } from "./harness.ts";

/**
 * A worker announces a job's end with the row it committed, and the requests waiting on the
 * job answer with it: the database is not read again for them. A sim job at 20 tokens a
 * second runs for seconds, so the waits below start while it runs.
 */
describe("waits answered from the announced end", () => {
  const h = useHarness(postgresOptions(), { workers: 1 });
  afterEach(() => {
    vi.restoreAllMocks();
  });

  it("answers a long-polling GET with the announced row after one read", async () => {
    const created = await h.app.inject({
      method: "POST",
      url: "/v1/jobs",
      headers: auth(h.keys.a),
      payload: { model: "sim/reasoner", prompt: "What is 6*7? [sim:tps=20]" },
    });
    const { id } = created.json<Job>();
    const reads = vi.spyOn(h.store.jobs, "get");
    const polled = await h.app.inject({ method: "GET", url: `/v1/jobs/${id}?wait=60`, headers: auth(h.keys.a) });
    const job = polled.json<Job>();
    expect(job.status).toBe("succeeded");
    expect(job.output?.answer).toContain("42");
    expect(reads).toHaveBeenCalledTimes(1);
    const read = await h.app.inject({ method: "GET", url: `/v1/jobs/${id}`, headers: auth(h.keys.a) });
    expect(job).toEqual(read.json<Job>());
  });

  it("answers a chat completion without reading its job", async () => {
    const reads = vi.spyOn(h.store.jobs, "get");
    const response = await h.app.inject({
      method: "POST",
      url: "/v1/chat/completions",
      headers: auth(h.keys.a),
      payload: { model: "sim/reasoner", messages: [{ role: "user", content: "What is 6*9? [sim:tps=20]" }] },
    });
    expect(response.statusCode, response.body).toBe(200);
    expect(response.json<{ choices: Array<{ message: { content: string } }> }>().choices[0]?.message.content).toContain(
      "54",
    );
    expect(reads).not.toHaveBeenCalled();
  });
});
