import { type Cost, newId, type Usage } from "@reasonq/core";
import { dropSchema, testDatabases } from "@reasonq/testkit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createStore, type Store } from "../create-store.ts";

/**
 * The store cannot import billing or fast-check (they are not its dependencies), so the
 * generated cases come from a seeded generator, and the expected sums are computed here in
 * BigInt: exact, and independent of the `numeric` arithmetic under test.
 */
function generator(seed: number) {
  let state = seed >>> 0;
  const next = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (min: number, max: number) => min + Math.floor(next() * (max - min + 1));
  return { int, pick: <T>(items: readonly T[]) => items[int(0, items.length - 1)] as T };
}

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

type Rng = ReturnType<typeof generator>;

/** A random decimal amount with up to 15 decimals, like a token count times a unit price. */
function amount(rng: Rng): string {
  const scale = rng.int(0, 15);
  const units = BigInt(rng.int(0, 2_000_000)) * BigInt(rng.int(0, 1_000_000));
  return fromUnits(units * 10n ** (SCALE - BigInt(scale)));
}

function attemptUsage(rng: Rng): Usage {
  const cached = rng.int(0, 50_000);
  const write = rng.int(0, 5_000);
  const reasoning = rng.int(0, 40_000);
  const answer = rng.int(0, 10_000);
  return {
    input_tokens: cached + write + rng.int(0, 300_000),
    cached_input_tokens: cached,
    cache_write_tokens: write,
    output_tokens: reasoning + answer,
    reasoning_tokens: reasoning,
    answer_tokens: answer,
    reasoning_tokens_source: "provider",
  };
}

function attemptCost(rng: Rng): Cost {
  const lines = {
    input: amount(rng),
    cached_input: amount(rng),
    cache_write: amount(rng),
    reasoning: amount(rng),
    answer: amount(rng),
  };
  return {
    currency: "USD",
    ...lines,
    total: add(Object.values(lines)),
    unit_prices_per_million: { input: "1", cached_input: "0.1", cache_write: "1.25", output: "4" },
    price_source: "usage repository test",
  };
}

const MODELS = [
  { model: "sim/reasoner", provider: "sim" },
  { model: "openai/o3", provider: "openai" },
  { model: "anthropic/claude-sonnet-4-20250514", provider: "anthropic" },
] as const;

const sumUsage = (usages: Usage[], field: keyof Omit<Usage, "reasoning_tokens_source">) =>
  usages.reduce((acc, u) => acc + u[field], 0);

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

  /** Creates a job and runs it through `attempts` billed attempts, as the worker does. */
  async function runJob(rng: Rng, apiKeyId: string, attempts: number, lostFirst = false) {
    const { model, provider } = rng.pick(MODELS);
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
      metadata: {},
      warnings: [],
    });
    const usages: Usage[] = [];
    const totals: string[] = [];
    let delivery = 1;
    // A holder that died before any usage: the next delivery takes over, its attempt is `lost`.
    if (lostFirst) expect((await store.jobs.claim(id, delivery++)).kind).toBe("claimed");
    for (let billed = 1; billed <= attempts; billed++) {
      const claimed = await store.jobs.claim(id, delivery++);
      if (claimed.kind !== "claimed") throw new Error(`not claimed: ${claimed.kind}`);
      const attempt = claimed.job.attempts;
      const usage = attemptUsage(rng);
      const cost = attemptCost(rng);
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

  it.each([1, 2, 3, 4, 5])("reports a key's usage as the exact sum of its jobs (seed %i)", async (seed) => {
    const rng = generator(seed);
    const keyA = (await store.apiKeys.create(`a${seed}`)).apiKey.id;
    const keyB = (await store.apiKeys.create(`b${seed}`)).apiKey.id;
    const jobs = [];
    for (let i = rng.int(1, 6); i > 0; i--) jobs.push(await runJob(rng, keyA, rng.int(1, 3)));
    await runJob(rng, keyB, 2);
    // An attempt that consumed nothing measurable (its holder died) is not in the ledger's sums.
    const lost = await runJob(rng, keyA, 1, true);
    expect((await store.jobs.attempts(lost.id)).map((a) => [a.outcome, a.usage])).toEqual([
      ["lost", null],
      ["succeeded", lost.usages[0]],
    ]);

    const stored = await store.db.selectFrom("jobs").select("cost_total").where("api_key_id", "=", keyA).execute();
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
  });

  it("groups by provider, UTC day and key, and keeps other keys out", async () => {
    const rng = generator(42);
    const keyA = (await store.apiKeys.create("group-a")).apiKey.id;
    const keyB = (await store.apiKeys.create("group-b")).apiKey.id;
    const a = [await runJob(rng, keyA, 2), await runJob(rng, keyA, 1), await runJob(rng, keyA, 1)];
    const b = await runJob(rng, keyB, 1);

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
    const rng = generator(7);
    const key = (await store.apiKeys.create("window")).apiKey.id;
    const job = await runJob(rng, key, 1);
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

    expect(await store.usage.reservedBy(apiKey.id)).toBe("0");
    const queued = newId("job");
    await store.jobs.create({
      id: queued,
      api_key_id: apiKey.id,
      model: "sim/reasoner",
      provider: "sim",
      spec: {
        model: "sim/reasoner",
        messages: [{ role: "user", content: "hi" }],
        reasoning: { include: true, enabled: true },
        sampling: {},
        metadata: {},
      },
      resolved_params: {},
      metadata: {},
      warnings: [],
    });
    await store.db.updateTable("jobs").set({ max_cost_estimate: "0.75" }).where("id", "=", queued).execute();
    expect(await store.usage.reservedBy(apiKey.id)).toBe("0.75");
    await store.jobs.cancel(queued, apiKey.id);
    expect(await store.usage.reservedBy(apiKey.id)).toBe("0");
  });
});
