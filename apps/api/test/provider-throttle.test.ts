import type { Job } from "@reasonq/core";
import { postgresOptions } from "@reasonq/testkit";
import { describe, expect, it } from "vitest";
import { auth, settle, useHarness } from "./harness.ts";

const RETRY_AFTER_S = 3;
/** Between a 429's attempt being stored and its pause being set in Redis, a start may slip in. */
const STORE_TO_PAUSE_SLACK_MS = 300;

/**
 * A provider answering 429 with retry-after pauses its queue for every worker (two workers,
 * two slots each), while another provider's jobs keep starting; throttled jobs are retried,
 * not failed, and the refused calls cost nothing.
 */
describe("a provider's 429 slows that provider's queue for all workers", () => {
  const h = useHarness(postgresOptions(), {
    mocks: { openai: {}, anthropic: {} },
    env: { REASONQ_WORKER_CONCURRENCY: "2" },
    workers: 2,
  });

  async function submit(model: string, prompt: string): Promise<string> {
    const created = await h.app.inject({
      method: "POST",
      url: "/v1/jobs",
      headers: auth(h.keys.a),
      payload: { model, prompt },
    });
    expect(created.statusCode, created.body).toBe(202);
    return created.json<Job>().id;
  }

  it("pauses the throttled queue for retry-after across workers; the other provider runs on", async () => {
    // Only the first call to the OpenAI mock answers 429, so one worker sees it and the other
    // must learn of the pause through Redis; paced streams keep a backlog on both queues.
    const [throttledIds, otherIds] = await Promise.all([
      Promise.all(
        Array.from({ length: 12 }, (_, i) =>
          submit("o3-mini", `Explain ${i}+1 [mock:status=429,retry_after=${RETRY_AFTER_S},times=1,trickle_ms=30]`),
        ),
      ),
      Promise.all(
        Array.from({ length: 16 }, (_, i) => submit("claude-sonnet-4-6", `Explain ${i}+2 [mock:trickle_ms=20]`)),
      ),
    ]);
    const throttled = await Promise.all(throttledIds.map((id) => settle(h, id)));
    const other = await Promise.all(otherIds.map((id) => settle(h, id)));

    for (const job of [...throttled, ...other]) expect(job.status, JSON.stringify(job.error)).toBe("succeeded");
    const attempts = throttled.flatMap((job) => job.attempt_list ?? []);
    const refused = attempts.filter((a) => a.error?.type === "provider_rate_limited");
    expect(refused).toHaveLength(1);
    // A refused call consumed nothing: no usage, no cost; each job is billed for its one answer.
    for (const a of refused) expect([a.usage, a.cost_total]).toEqual([null, null]);
    for (const job of throttled) {
      expect(job.attempt_list?.filter((a) => a.outcome === "succeeded")).toHaveLength(1);
      expect(job.cost?.total).toBe(job.attempt_list?.find((a) => a.outcome === "succeeded")?.cost_total);
    }

    const at = (iso: string | null) => Date.parse(iso ?? "");
    const pauseFrom = Math.min(...refused.map((a) => at(a.ended_at)));
    const pauseUntil = pauseFrom + RETRY_AFTER_S * 1000;
    // Any worker may take a refused job back: none did before its retry-after.
    for (const job of throttled) {
      const list = job.attempt_list ?? [];
      list.forEach((a, i) => {
        const next = list[i + 1];
        if (a.error?.type === "provider_rate_limited" && next !== undefined) {
          expect(at(next.started_at) - at(a.ended_at)).toBeGreaterThanOrEqual(RETRY_AFTER_S * 1000 - 50);
        }
      });
    }
    const startedInPause = (jobs: Job[]) =>
      jobs
        .flatMap((job) => job.attempt_list ?? [])
        .filter((a) => at(a.started_at) > pauseFrom + STORE_TO_PAUSE_SLACK_MS && at(a.started_at) < pauseUntil - 50)
        .length;
    expect(startedInPause(throttled)).toBe(0);
    // The other provider kept its pace: its jobs started during the pause, each on its first attempt.
    expect(startedInPause(other)).toBeGreaterThan(0);
    for (const job of other) expect(job.attempts).toBe(1);
  });
});
