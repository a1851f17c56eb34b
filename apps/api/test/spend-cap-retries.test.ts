import type { Job } from "@reasonq/core";
import { testDatabases } from "@reasonq/testkit";
import { Decimal } from "decimal.js";
import { describe, expect, it } from "vitest";
import { auth, useHarness } from "./harness.ts";
import { batchEnded, cappedKey, jobsOf, maximumCost, spentBy } from "./spend-caps.ts";

/** Issue 14: a spend cap holds for every job a key causes — every attempt of a retried job, and judge jobs. */
describe.each(testDatabases())("spend caps count retries and judges on $name", ({ options }) => {
  const h = useHarness(options, { workers: 1 });

  /** A sim/reasoner job of `key`'s (at most 2000 output tokens), with its attempts once it has ended. */
  const run = async (key: string, prompt: string) => {
    const created = await h.app.inject({
      method: "POST",
      url: "/v1/jobs",
      headers: auth(key),
      payload: { model: "sim/reasoner", prompt, max_output_tokens: 2000 },
    });
    expect(created.statusCode, created.body).toBe(202);
    const id = created.json<Job>().id;
    return (
      await h.app.inject({ method: "GET", url: `/v1/jobs/${id}?wait=60&include=attempts`, headers: auth(key) })
    ).json<Job>();
  };

  it("bills every attempt of a retried job to the key, and the cap counts them all", async () => {
    const prompt = "What is 6*7? [sim:fail=stream_dropped:1]";
    // Room for the job's maximum twice: the retry may cost it whole again.
    const cap = maximumCost("sim/reasoner", prompt, 2000).times(2);
    const { key, id: keyId } = await cappedKey(h, "retried", cap.toFixed());
    const done = await run(key, prompt);
    expect(done.status).toBe("succeeded");
    const costs = (done.attempt_list ?? []).map((a) => new Decimal(a.cost_total ?? "0"));
    expect(done.attempt_list?.map((a) => a.outcome)).toEqual(["retried", "succeeded"]);
    // The dropped attempt streamed half its reasoning before the drop: it was billed.
    expect(costs[0]?.greaterThan(0)).toBe(true);
    const total = costs.reduce((s, c) => s.plus(c), new Decimal(0));
    expect(new Decimal(done.cost?.total ?? "0").equals(total)).toBe(true);
    expect((await spentBy(h, key)).equals(total)).toBe(true);
    // What admission reads (the key's running total) holds both attempts.
    expect(new Decimal(await h.store.usage.spentBy(keyId)).equals(total)).toBe(true);

    // A probe job whose maximum fits beside the last attempt's cost but not beside the
    // total: refused only because the dropped attempt counts against the cap.
    const last = costs[1] ?? new Decimal(0);
    const probe = "What is 1+1?";
    let tokens = 1;
    while (
      maximumCost("sim/reasoner", probe, tokens + 1)
        .plus(last)
        .lessThanOrEqualTo(cap)
    )
      tokens++;
    expect(maximumCost("sim/reasoner", probe, tokens).plus(total).greaterThan(cap)).toBe(true);
    const refused = await h.app.inject({
      method: "POST",
      url: "/v1/jobs",
      headers: auth(key),
      payload: { model: "sim/reasoner", prompt: probe, max_output_tokens: tokens },
    });
    expect(refused.statusCode, refused.body).toBe(402);
    expect(refused.json().error.type).toBe("budget_exceeded");
  }, 90_000);

  it("does not start a retry that could pass the cap: the job fails with budget_exceeded instead", async () => {
    const prompt = "What is 7*8? [sim:fail=stream_dropped:1]";
    const cap = maximumCost("sim/reasoner", prompt, 2000);
    // The job's maximum fits exactly; once its first attempt is billed, a second one might not.
    const { key } = await cappedKey(h, "retry-capped", cap.toFixed());
    const done = await run(key, prompt);
    expect(done.status).toBe("failed");
    expect(done.error?.type).toBe("budget_exceeded");
    expect(done.attempt_list?.map((a) => a.outcome)).toEqual(["retried", "failed"]);
    expect(new Decimal(done.attempt_list?.[0]?.cost_total ?? "0").greaterThan(0)).toBe(true);
    expect((await spentBy(h, key)).lessThanOrEqualTo(cap)).toBe(true);
  }, 90_000);

  const reasonerMaximum = (prompt: string) => maximumCost("sim/reasoner", prompt, 2000);

  it("does not start a retry that could pass the job's max_cost_usd once the billed attempt counts", async () => {
    const prompt = "What is 8*9? [sim:fail=stream_dropped:1]";
    // The job's maximum fits its limit exactly; the dropped attempt was billed, so a second one might not.
    const limit = reasonerMaximum(prompt);
    const created = await h.app.inject({
      method: "POST",
      url: "/v1/jobs",
      headers: auth(h.keys.a),
      payload: { model: "sim/reasoner", prompt, max_output_tokens: 2000, max_cost_usd: limit.toFixed() },
    });
    expect(created.statusCode, created.body).toBe(202);
    const done = (
      await h.app.inject({
        method: "GET",
        url: `/v1/jobs/${created.json<Job>().id}?wait=60&include=attempts`,
        headers: auth(h.keys.a),
      })
    ).json<Job>();
    expect([done.status, done.error?.type]).toEqual(["failed", "budget_exceeded"]);
    expect(done.error?.message).toContain("max_cost_usd");
    expect(done.attempt_list?.map((a) => [a.outcome, a.usage === null])).toEqual([
      ["retried", false],
      ["failed", true],
    ]);
    expect(new Decimal(done.cost?.total ?? "0").lessThanOrEqualTo(limit)).toBe(true);
  }, 90_000);

  it("does not start a retry that could pass its batch's max_cost_usd once the billed attempt counts", async () => {
    const prompt = "What is 9*9? [sim:fail=stream_dropped:1]";
    const limit = reasonerMaximum(prompt);
    const created = await h.app.inject({
      method: "POST",
      url: "/v1/batches",
      headers: auth(h.keys.a),
      payload: {
        name: "retry-budget",
        items: [{ id: "i0", prompt, expected: "81" }],
        variants: [{ model: "sim/reasoner", max_output_tokens: 2000 }],
        scorer: { type: "numeric" },
        max_cost_usd: limit.toFixed(),
      },
    });
    expect(created.statusCode, created.body).toBe(202);
    const batchId = created.json<{ id: string }>().id;
    const batch = await batchEnded<{ status: string; spent_usd: string }>(h, h.keys.a, batchId);
    const job = (await jobsOf(h, h.keys.a)).find((j) => j.metadata.batch_id === batchId);
    expect([job?.status, job?.error?.type, job?.attempts]).toEqual(["failed", "budget_exceeded", 2]);
    expect(job?.error?.message).toContain("the batch has");
    expect(new Decimal(batch.spent_usd).greaterThan(0)).toBe(true);
    expect(new Decimal(batch.spent_usd).lessThanOrEqualTo(limit)).toBe(true);
  }, 90_000);

  it("keeps a batch whose judges run within the key's cap: grid and judge jobs together never pass it", async () => {
    const item = `Repeat after me: ${"the quick brown fox jumps over the lazy dog ".repeat(8).trim()}`;
    // Room for a few grid jobs and their judges (roughly: the judge's prompt carries the item and the answer), not ten.
    const cap = maximumCost("sim/echo", item, 40)
      .plus(maximumCost("sim/echo", item.repeat(4), 200))
      .times(3);
    const { key } = await cappedKey(h, "judged-batch", cap.toFixed());
    const created = await h.app.inject({
      method: "POST",
      url: "/v1/batches",
      headers: auth(key),
      payload: {
        name: "judged",
        items: Array.from({ length: 10 }, (_, i) => ({ id: `i${i}`, prompt: item, expected: "the fox" })),
        variants: [{ model: "sim/echo", max_output_tokens: 40 }],
        scorer: {
          type: "judge",
          model: "sim/echo",
          rubric: "Pass answers that repeat the prompt.",
          max_output_tokens: 200,
        },
      },
    });
    expect(created.statusCode, created.body).toBe(202);
    const batch = await batchEnded<{ status: string; spent_usd: string }>(h, key, created.json<{ id: string }>().id);
    const jobs = await jobsOf(h, key);
    const judges = jobs.filter((j) => j.metadata.judge_for !== undefined);
    expect(judges.length).toBeGreaterThan(0);
    expect(judges.some((j) => j.status === "succeeded" && new Decimal(j.cost?.total ?? "0").greaterThan(0))).toBe(true);
    // The cap bound: not every item got a graded answer.
    expect(judges.length).toBeLessThan(10);
    const total = await spentBy(h, key);
    expect(total.lessThanOrEqualTo(cap), `${total} > ${cap}`).toBe(true);
    // The judges' cost is the key's and the batch's: usage and the batch agree to the cent.
    const byJobs = jobs.reduce((s, j) => s.plus(j.cost?.total ?? "0"), new Decimal(0));
    expect(total.equals(byJobs)).toBe(true);
    expect(new Decimal(batch.spent_usd).equals(total)).toBe(true);
  }, 90_000);
});
