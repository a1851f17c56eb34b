import { type Cost, newId, type Usage } from "@reasonq/core";
import { dropSchema, testDatabases } from "@reasonq/testkit";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sampleJob } from "../../test/sample-job.ts";
import { createStore, type Store } from "../create-store.ts";

/**
 * Usages and costs come from fast-check; the expected sums are computed here in BigInt:
 * exact, and independent of the `numeric` arithmetic under test.
 */
const SCALE = 30n;
function toUnits(text: string): bigint {
  const [whole = "0", fraction = ""] = text.split(".");
  return BigInt(whole) * 10n ** SCALE + BigInt(fraction.padEnd(Number(SCALE), "0") || "0");
}
function fromUnits(units: bigint): string {
  const digits = units.toString().padStart(Number(SCALE) + 1, "0");
  const text = `${digits.slice(0, -Number(SCALE))}.${digits.slice(-Number(SCALE))}`.replace(/\.?0+$/, "");
  return text === "" ? "0" : text;
}
const add = (values: readonly string[]) => fromUnits(values.reduce((acc, v) => acc + toUnits(v), 0n));

/** A decimal amount with up to 15 decimals, like a token count times a unit price. */
const amountArb = fc
  .tuple(fc.integer({ min: 0, max: 15 }), fc.bigInt({ min: 0n, max: 2_000_000_000_000n }))
  .map(([scale, units]) => fromUnits(units * 10n ** (SCALE - BigInt(scale))));

const usageArb: fc.Arbitrary<Usage> = fc
  .record({
    cached: fc.integer({ min: 0, max: 50_000 }),
    write: fc.integer({ min: 0, max: 5_000 }),
    fresh: fc.integer({ min: 0, max: 300_000 }),
    reasoning: fc.integer({ min: 0, max: 40_000 }),
    answer: fc.integer({ min: 0, max: 10_000 }),
  })
  .map(({ cached, write, fresh, reasoning, answer }) => ({
    input_tokens: cached + write + fresh,
    cached_input_tokens: cached,
    cache_write_tokens: write,
    output_tokens: reasoning + answer,
    reasoning_tokens: reasoning,
    answer_tokens: answer,
    reasoning_tokens_source: "provider" as const,
  }));

const costArb: fc.Arbitrary<Cost> = fc
  .record({
    input: amountArb,
    cached_input: amountArb,
    cache_write: amountArb,
    reasoning: amountArb,
    answer: amountArb,
  })
  .map((lines) => ({
    currency: "USD" as const,
    ...lines,
    total: add(Object.values(lines)),
    unit_prices_per_million: { input: "1", cached_input: "0.1", cache_write: "1.25", output: "4" },
    price_source: "usage repository test",
  }));

interface PlannedJob {
  model: number;
  attempts: Array<{ usage: Usage; cost: Cost }>;
}

const jobArb: fc.Arbitrary<PlannedJob> = fc.record({
  model: fc.integer({ min: 0, max: 2 }),
  attempts: fc.array(fc.record({ usage: usageArb, cost: costArb }), { minLength: 1, maxLength: 3 }),
});

/** One fixed job plan (fast-check's sample with a seed, so the same every run). */
function planned(attempts: number, model: number, seed: number): PlannedJob {
  const [first] = fc.sample(
    fc.array(fc.record({ usage: usageArb, cost: costArb }), { minLength: attempts, maxLength: attempts }),
    {
      seed,
      numRuns: 1,
    },
  );
  return { model, attempts: first ?? [] };
}

const MODELS = [
  { model: "sim/reasoner", provider: "sim" },
  { model: "openai/o3", provider: "openai" },
  { model: "anthropic/claude-sonnet-4-20250514", provider: "anthropic" },
] as const;

const sumUsage = (usages: Usage[], field: keyof Omit<Usage, "reasoning_tokens_source">) =>
  usages.reduce((acc, u) => acc + (u[field] ?? 0), 0);

describe.each(testDatabases())("usage repository on $name", ({ options }) => {
  let store: Store;
  const from = new Date("2000-01-01T00:00:00Z");
  const to = new Date("2100-01-01T00:00:00Z");

  beforeAll(async () => {
    store = await createStore(options);
  });
  afterAll(async () => {
    await store.close();
    if (options.kind === "postgres") await dropSchema(options.schema);
  });

  /** Creates a job and runs it through its planned billed attempts, as the worker does. */
  async function runJob(plan: PlannedJob, apiKeyId: string, lostFirst = false) {
    const { model, provider } = MODELS[plan.model] as (typeof MODELS)[number];
    const id = newId("job");
    await store.jobs.create({
      id,
      api_key_id: apiKeyId,
      model,
      provider,
      spec: {
        model,
        messages: [{ role: "user", content: "2+2?" }],
        reasoning: { include: true, enabled: true },
        sampling: {},
        metadata: {},
      },
      resolved_params: {},
      prepared_request: { model: {}, body: {} },
      metadata: {},
      warnings: [],
    });
    const usages: Usage[] = [];
    const totals: string[] = [];
    let delivery = 1;
    // A holder that died before any usage: the next delivery takes over, its attempt is `lost`.
    if (lostFirst) expect((await store.jobs.claim(id, delivery++)).kind).toBe("claimed");
    const attempts = plan.attempts.length;
    for (let billed = 1; billed <= attempts; billed++) {
      const claimed = await store.jobs.claim(id, delivery++);
      if (claimed.kind !== "claimed") throw new Error(`not claimed: ${claimed.kind}`);
      const attempt = claimed.job.attempts;
      const { usage, cost } = plan.attempts[billed - 1] as { usage: Usage; cost: Cost };
      usages.push(usage);
      totals.push(cost.total);
      const jobCost = { ...cost, total: add(totals) };
      await store.jobs.endAttempt(id, attempt, {
        outcome: billed === attempts ? "succeeded" : "retried",
        error: billed === attempts ? null : { type: "provider_stream_dropped", message: "the stream dropped" },
        usage,
        cost,
        jobUsage: usage,
        jobCost,
        output: null,
      });
    }
    return { id, model, provider, usages, total: add(totals) };
  }

  it("reports a key's usage as the exact sum of its jobs (fast-check)", async () => {
    let run = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.array(jobArb, { minLength: 1, maxLength: 5 }),
        jobArb,
        jobArb,
        async (plans, other, lostPlan) => {
          run++;
          const keyA = (await store.apiKeys.create(`a${run}`)).apiKey.id;
          const keyB = (await store.apiKeys.create(`b${run}`)).apiKey.id;
          const jobs = [];
          for (const plan of plans) jobs.push(await runJob(plan, keyA));
          await runJob(other, keyB);
          // An attempt that consumed nothing measurable (its holder died) is not in the ledger's sums.
          const lost = await runJob({ ...lostPlan, attempts: lostPlan.attempts.slice(0, 1) }, keyA, true);
          expect((await store.jobs.attempts(lost.id)).map((a) => [a.outcome, a.usage])).toEqual([
            ["lost", null],
            ["succeeded", lost.usages[0]],
          ]);

          const stored = await store.db
            .selectFrom("jobs")
            .select("cost_total")
            .where("api_key_id", "=", keyA)
            .execute();
          const jobsTotal = add(stored.map((j) => j.cost_total ?? "0"));
          const expected = add([...jobs.map((j) => j.total), lost.total]);
          expect(jobsTotal).toBe(expected);

          const byModel = await store.usage.report({ apiKeyId: keyA, from, to, groupBy: "model" });
          expect(add(byModel.map((r) => r.cost))).toBe(expected);
          expect(byModel.map((r) => r.group)).toEqual([...new Set([...jobs, lost].map((j) => j.model))].sort());
          for (const row of byModel) {
            const mine = [...jobs, lost].filter((j) => j.model === row.group);
            const usages = mine.flatMap((j) => j.usages);
            expect(row).toEqual({
              group: row.group,
              input_tokens: sumUsage(usages, "input_tokens"),
              cached_input_tokens: sumUsage(usages, "cached_input_tokens"),
              cache_write_tokens: sumUsage(usages, "cache_write_tokens"),
              output_tokens: sumUsage(usages, "output_tokens"),
              reasoning_tokens: sumUsage(usages, "reasoning_tokens"),
              cost: add(mine.map((j) => j.total)),
              jobs: mine.length,
              attempts: usages.length,
            });
          }
          expect(await store.usage.spentBy(keyA)).toBe(expected);
        },
      ),
      { numRuns: 8 },
    );
  });

  it("groups by provider, UTC day and key, and keeps other keys out", async () => {
    const keyA = (await store.apiKeys.create("group-a")).apiKey.id;
    const keyB = (await store.apiKeys.create("group-b")).apiKey.id;
    const a = [
      await runJob(planned(2, 0, 1), keyA),
      await runJob(planned(1, 1, 2), keyA),
      await runJob(planned(1, 2, 3), keyA),
    ];
    const b = await runJob(planned(1, 0, 4), keyB);

    const byProvider = await store.usage.report({ apiKeyId: keyA, from, to, groupBy: "provider" });
    expect(byProvider.map((r) => r.group)).toEqual([...new Set(a.map((j) => j.provider))].sort());
    expect(add(byProvider.map((r) => r.cost))).toBe(add(a.map((j) => j.total)));

    const today = new Date().toISOString().slice(0, 10);
    const byDay = await store.usage.report({ apiKeyId: keyA, from, to, groupBy: "day" });
    expect(byDay).toHaveLength(1);
    expect(byDay[0]).toMatchObject({ group: today, jobs: 3, attempts: 4, cost: add(a.map((j) => j.total)) });

    const byKey = await store.usage.report({ from, to, groupBy: "key" });
    const rowOf = (key: string) => byKey.find((r) => r.group === key);
    expect(rowOf(keyA)?.cost).toBe(add(a.map((j) => j.total)));
    expect(rowOf(keyB)?.cost).toBe(b.total);
    const onlyB = await store.usage.report({ apiKeyId: keyB, from, to, groupBy: "key" });
    expect(onlyB.map((r) => r.group)).toEqual([keyB]);
  });

  it("reports by when attempts started: from inclusive, to exclusive", async () => {
    const key = (await store.apiKeys.create("window")).apiKey.id;
    const job = await runJob(planned(1, 0, 7), key);
    const [attempt] = await store.jobs.attempts(job.id);
    const started = attempt?.started_at as Date;
    const at = (ms: number) => new Date(started.getTime() + ms);
    expect(await store.usage.report({ apiKeyId: key, from: started, to: at(1), groupBy: "model" })).toHaveLength(1);
    expect(await store.usage.report({ apiKeyId: key, from: at(1), to: at(60_000), groupBy: "model" })).toEqual([]);
    expect(await store.usage.report({ apiKeyId: key, from: at(-60_000), to: started, groupBy: "model" })).toEqual([]);
    expect(await store.usage.spentBy(key, at(1))).toBe("0");
    expect(await store.usage.spentBy(key, started)).toBe(job.total);
  });

  it("keeps spend caps on keys and the unfinished jobs' reserve", async () => {
    const { apiKey, key } = await store.apiKeys.create("capped");
    expect(apiKey.spend_cap_usd).toBeNull();
    expect(await store.apiKeys.setSpendCap(apiKey.id, "12.50")).toBe(true);
    expect((await store.apiKeys.authenticate(key))?.spend_cap_usd).toBe("12.50");
    expect(await store.apiKeys.setSpendCap(apiKey.id, null)).toBe(true);
    expect((await store.apiKeys.authenticate(key))?.spend_cap_usd).toBeNull();
    expect(await store.apiKeys.setSpendCap("key_missing", "1")).toBe(false);
    await expect(store.apiKeys.setSpendCap(apiKey.id, "-1")).rejects.toThrow(/non-negative/);
    await expect(store.apiKeys.setSpendCap(apiKey.id, "1e3")).rejects.toThrow(RangeError);

    expect((await store.usage.committedBy(apiKey.id)).reserved).toBe("0");
    const queued = (await store.jobs.create(sampleJob(apiKey.id))).job.id;
    await store.db.updateTable("jobs").set({ max_cost_estimate: "0.75" }).where("id", "=", queued).execute();
    expect((await store.usage.committedBy(apiKey.id)).reserved).toBe("0.75");
    await store.jobs.cancel(queued, apiKey.id);
    expect((await store.usage.committedBy(apiKey.id)).reserved).toBe("0");
  });
});
