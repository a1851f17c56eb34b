import type { Job } from "@reasonq/core";
import { postgresOptions, waitFor } from "@reasonq/testkit";
import OpenAI from "openai";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { auth, useHarness } from "./harness.ts";

/**
 * Requests held waiting for a job are bounded per API process (2 here) and per key (1):
 * past a bound the answer is at once a 429 with Retry-After, before any job is created.
 * No worker runs, so every job stays queued and every wait holds.
 */
const METRICS_TOKEN = "long-polls-metrics";

describe("bounded long polls", () => {
  const h = useHarness(postgresOptions(), {
    env: { REASONQ_MAX_LONG_POLLS: "2", REASONQ_MAX_LONG_POLLS_PER_KEY: "1" },
    metricsToken: METRICS_TOKEN,
  });
  let base: string;
  const holds: AbortController[] = [];

  beforeAll(async () => {
    base = await h.listen();
  });
  // Registered after the harness, so it runs before the harness closes.
  afterAll(() => {
    for (const hold of holds) hold.abort();
  });

  async function submit(key: string): Promise<string> {
    const created = await h.app.inject({
      method: "POST",
      url: "/v1/jobs",
      headers: auth(key),
      payload: { model: "sim/reasoner", prompt: "What is 2+2?" },
    });
    expect(created.statusCode, created.body).toBe(202);
    return created.json<Job>().id;
  }

  /** What `/metrics` says this process holds. */
  async function held(): Promise<number> {
    const scraped = await h.app.inject({
      method: "GET",
      url: "/metrics",
      headers: { authorization: `Bearer ${METRICS_TOKEN}` },
    });
    const line = scraped.body.split("\n").find((l) => l.startsWith("reasonq_long_polls_held "));
    return Number(line?.split(" ")[1]);
  }

  /**
   * A poll held until the test ends (or aborts it), returned once the server holds it: a
   * probe racing ahead of it would take the slot it is meant to fill.
   */
  async function hold(key: string, id: string): Promise<AbortController> {
    const before = await held();
    const controller = new AbortController();
    holds.push(controller);
    fetch(`${base}/v1/jobs/${id}?wait=60`, { headers: auth(key), signal: controller.signal }).catch(() => {});
    await waitFor(async () => (await held()) === before + 1, { what: "the poll held" });
    return controller;
  }

  /** A short poll: 200 after a second while slots are free, 429 at once past a bound. */
  const probe = (key: string, id: string) => fetch(`${base}/v1/jobs/${id}?wait=1`, { headers: auth(key) });

  it("answers 429 with Retry-After past the key's bound and the process's, and frees slots as polls end", async () => {
    const [a1, a2, b1] = [await submit(h.keys.a), await submit(h.keys.a), await submit(h.keys.b)];
    const first = await hold(h.keys.a, a1 as string);
    const refused = await probe(h.keys.a, a2 as string);
    expect(refused.status).toBe(429);
    expect(refused.headers.get("retry-after")).toBe("1");
    const body = (await refused.json()) as { error: { type: string; message: string } };
    expect(body.error.type).toBe("rate_limited");
    expect(body.error.message).toContain("this key already holds 1");

    // Another key has its own slot, up to the process's bound.
    await hold(h.keys.b, b1 as string);
    const full = await probe(h.keys.b, b1 as string);
    expect(full.status).toBe(429);
    expect(((await full.json()) as { error: { message: string } }).error.message).toContain(
      "this server already holds 2",
    );

    // A synchronous call is refused before its job exists; the OpenAI SDK sees a RateLimitError.
    const listed = async () =>
      (await h.app.inject({ method: "GET", url: "/v1/jobs?limit=100", headers: auth(h.keys.a) })).json<{
        data: Job[];
      }>().data.length;
    const before = await listed();
    const client = new OpenAI({ baseURL: `${base}/v1`, apiKey: h.keys.a, maxRetries: 0 });
    const error = await client.chat.completions
      .create({ model: "sim/reasoner", messages: [{ role: "user", content: "What is 3+3?" }] })
      .then(
        () => undefined,
        (e: unknown) => e,
      );
    expect(error).toBeInstanceOf(OpenAI.RateLimitError);
    expect((error as InstanceType<typeof OpenAI.RateLimitError>).headers?.get("retry-after")).toBe("1");
    expect(await listed()).toBe(before);

    // The key's poll ends: its slot is free again.
    first.abort();
    await waitFor(async () => (await held()) === 1, { what: "the aborted poll released" });
    expect((await probe(h.keys.a, a2 as string)).status).toBe(200);
  });
});
