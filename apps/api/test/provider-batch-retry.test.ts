/**
 * A request that fails retryably inside a provider batch (a per-request 429, 5xx or
 * overload in the batch's results) is tried again in the next provider batch of the lane,
 * at the batch price, while the job has attempts left; then it fails with the provider's error.
 */
import type { Job } from "@reasonq/core";
import type { MockServer } from "@reasonq/mock-providers";
import { postgresOptions } from "@reasonq/testkit";
import { describe, expect, it } from "vitest";
import { auth, useHarness } from "./harness.ts";

describe("retryable errors inside a provider batch", () => {
  const h = useHarness(postgresOptions(), {
    mocks: { openai: {}, anthropic: {} },
    env: {
      REASONQ_JOB_ATTEMPTS: "2",
      REASONQ_PROVIDER_BATCH_WINDOW_MS: "300",
      REASONQ_PROVIDER_BATCH_POLL_MS: "20",
      REASONQ_PROVIDER_BATCH_MAX_POLL_MS: "100",
    },
    workers: 1,
  });

  const run = async (model: string, prompt: string): Promise<Job> => {
    const res = await h.app.inject({
      method: "POST",
      url: "/v1/jobs",
      headers: auth(h.keys.a),
      payload: { model, prompt, lane: "provider_batch" },
    });
    expect(res.statusCode).toBe(202);
    const id = res.json<Job>().id;
    let job = res.json<Job>();
    while (job.status === "queued" || job.status === "running") {
      job = (
        await h.app.inject({ method: "GET", url: `/v1/jobs/${id}?wait=30&include=attempts`, headers: auth(h.keys.a) })
      ).json<Job>();
    }
    return job;
  };
  const creates = (mock: MockServer, path: string) =>
    mock.requests.filter((r) => r.method === "POST" && r.path === path).length;

  it.each([
    ["o4-mini", "What is 4*4? [mock:status=503,times=1]", "provider_overloaded"],
    ["o4-mini", "What is 5*4? [mock:status=429,times=1]", "provider_rate_limited"],
    ["claude-sonnet-4-6", "What is 6*4? [mock:status=529,times=1]", "provider_overloaded"],
  ])("%s: %s runs again in the next provider batch and succeeds at the batch price", async (model, prompt, type) => {
    const mock = model.startsWith("claude") ? h.mocks.anthropic : h.mocks.openai;
    const path = model.startsWith("claude") ? "/v1/messages/batches" : "/v1/batches";
    const before = creates(mock, path);
    const job = await run(model, prompt);
    expect(job.status, JSON.stringify(job.error)).toBe("succeeded");
    expect(job.attempts).toBe(2);
    expect(job.attempt_list?.map((a) => a.outcome)).toEqual(["retried", "succeeded"]);
    expect(job.attempt_list?.[0]?.error?.type).toBe(type);
    expect(job.output?.answer).toMatch(/16|20|24/);
    expect(job.cost?.price_source).toMatch(/Batch/);
    // Two provider batches: the one it failed in, and the next.
    expect(creates(mock, path) - before).toBe(2);
  });

  it("fails the job with the provider's error once its attempts are spent", async () => {
    const job = await run("o4-mini", "What is 7*4? [mock:status=500]");
    expect(job.status).toBe("failed");
    expect(job.attempt_list?.map((a) => a.outcome)).toEqual(["retried", "failed"]);
    expect(job.error?.type).toBe("provider_server_error");
  });

  it("fails a request the provider refused as invalid at once, without a retry", async () => {
    const job = await run("o4-mini", "Hi [mock:status=400]");
    expect(job.status).toBe("failed");
    expect(job.attempt_list?.map((a) => a.outcome)).toEqual(["failed"]);
    expect(job.error?.type).toBe("provider_invalid_request");
  });
});
