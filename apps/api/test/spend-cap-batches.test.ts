import { testDatabases } from "@reasonq/testkit";
import { describe, expect, it } from "vitest";
import { auth, useHarness } from "./harness.ts";
import { batchEnded, cappedKey, jobsOf, maximumCost, spentBy } from "./spend-caps.ts";

interface BatchBody {
  id: string;
  status: string;
  stop_reason: string | null;
  spent_usd: string;
  progress: { total_jobs: number; created_jobs: number; finished_jobs: number };
}

/** sim/echo answers with its prompt, cut at max_output_tokens: a job costs close to its maximum. */
const PROMPT = `Repeat after me: ${"the quick brown fox jumps over the lazy dog ".repeat(8).trim()}`;
const MAX_OUTPUT = 40;
const jobMaximum = () => maximumCost("sim/echo", PROMPT, MAX_OUTPUT);

describe.each(testDatabases())("a key's spend cap bounds batches and judges on $name", ({ options }) => {
  const h = useHarness(options, { workers: 1 });

  const capped = async (name: string, cap: string) => (await cappedKey(h, name, cap)).key;
  const settled = (key: string, id: string) => batchEnded<BatchBody>(h, key, id);

  it("admits grid jobs against the cap like submits, and stops the batch (spend_cap) when the next would pass it", async () => {
    const maximum = jobMaximum();
    const cap = maximum.times("2.5").toFixed();
    const key = await capped("batch-capped", cap);
    const items = Array.from({ length: 30 }, (_, i) => ({ id: `i${i}`, prompt: PROMPT, expected: "x" }));
    const created = await h.app.inject({
      method: "POST",
      url: "/v1/batches",
      headers: auth(key),
      payload: {
        name: "capped",
        items,
        variants: [{ model: "sim/echo", max_output_tokens: MAX_OUTPUT }],
        scorer: { type: "exact" },
      },
    });
    expect(created.statusCode, created.body).toBe(202);
    const batch = await settled(key, created.json<BatchBody>().id);

    expect(batch).toMatchObject({ status: "budget_exhausted", stop_reason: "spend_cap" });
    expect(batch.progress.created_jobs).toBeGreaterThanOrEqual(2);
    expect(batch.progress.created_jobs).toBeLessThan(batch.progress.total_jobs);
    expect(batch.progress.finished_jobs).toBe(batch.progress.created_jobs);
    const total = await spentBy(h, key);
    expect(total.lessThanOrEqualTo(cap)).toBe(true);
    // The job that was not started would not have fitted: spent + its maximum passes the cap.
    expect(total.plus(maximum).greaterThan(cap)).toBe(true);
    // Every grid job held its maximum against the cap while it ran, as a submitted job does.
    const rows = await Promise.all((await jobsOf(h, key)).map((j) => h.store.jobs.get(j.id)));
    expect(rows.every((row) => row?.max_cost_estimate !== null && row?.batch_id === batch.id)).toBe(true);

    const direct = await h.app.inject({
      method: "POST",
      url: "/v1/jobs",
      headers: auth(key),
      payload: { model: "sim/echo", prompt: PROMPT, max_output_tokens: MAX_OUTPUT },
    });
    expect(direct.statusCode).toBe(402);
  });

  it("plans judge jobs against the cap: a judge that would pass it never starts and the answer stays unscored", async () => {
    // One grid job fits; the judge (the model's default max_output_tokens) does not.
    const cap = jobMaximum().times("1.5").toFixed();
    const key = await capped("judge-capped", cap);
    const created = await h.app.inject({
      method: "POST",
      url: "/v1/batches",
      headers: auth(key),
      payload: {
        name: "judged",
        items: [{ id: "only", prompt: PROMPT, expected: "anything" }],
        variants: [{ model: "sim/echo", max_output_tokens: MAX_OUTPUT }],
        scorer: { type: "judge", model: "sim/echo", rubric: "Pass answers that repeat the prompt." },
      },
    });
    expect(created.statusCode, created.body).toBe(202);
    const batch = await settled(key, created.json<BatchBody>().id);
    expect(batch.status).toBe("completed");
    const jobs = await jobsOf(h, key);
    expect(jobs.filter((j) => j.metadata.judge_for !== undefined)).toHaveLength(0);
    expect(jobs).toHaveLength(1);
    const [result] = await h.store.batches.resultRows(batch.id, -1, 10);
    expect(result).toMatchObject({ job_id: jobs[0]?.id, correct: null, score: null });
    const detail = (await h.store.batches.resultFor(jobs[0]?.id ?? ""))?.score_detail;
    expect(detail).toMatchObject({ judge_error_type: "budget_exceeded" });
    expect((await spentBy(h, key)).lessThanOrEqualTo(cap)).toBe(true);
  });
});
