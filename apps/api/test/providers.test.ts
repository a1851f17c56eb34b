import { computeCost, priceSnapshotFor } from "@reasonq/billing";
import type { Job } from "@reasonq/core";
import { Decimal } from "decimal.js";
import { describe, expect, it } from "vitest";
import { auth, MOCK_KEY, openAIClient, useHarness } from "./harness.ts";
import { readSse } from "./sse-client.ts";

/** Jobs through the HTTP API, the queue and the worker, against each provider's mock server. */
describe("every provider family through the API, against its mock", () => {
  const h = useHarness(
    { kind: "pglite" },
    { mocks: { openai: {}, anthropic: {}, google: {}, deepseek: {}, xai: {}, theagentic: {} }, workers: 1 },
  );

  async function run(body: object): Promise<Job> {
    const created = await h.app.inject({ method: "POST", url: "/v1/jobs", headers: auth(h.keys.a), payload: body });
    expect(created.statusCode, created.body).toBe(202);
    const id = created.json<Job>().id;
    let job = created.json<Job>();
    while (job.status === "queued" || job.status === "running") {
      const read = await h.app.inject({
        method: "GET",
        url: `/v1/jobs/${id}?wait=30&include=attempts`,
        headers: auth(h.keys.a),
      });
      job = read.json<Job>();
    }
    return job;
  }

  function expectSpecUsageAndCost(job: Job): void {
    const usage = job.usage;
    expect(usage).not.toBeNull();
    if (usage === null) return;
    expect(usage.reasoning_tokens + usage.answer_tokens).toBe(usage.output_tokens);
    expect(usage.cached_input_tokens + usage.cache_write_tokens).toBeLessThanOrEqual(usage.input_tokens);
    const cost = job.cost;
    if (cost === null) return;
    const parts = [cost.input, cost.cached_input, cost.cache_write, cost.reasoning, cost.answer];
    expect(parts.reduce((s, p) => s.plus(p), new Decimal(0)).equals(cost.total)).toBe(true);
    if (job.attempts === 1) {
      const snapshot = priceSnapshotFor(job.model, new Date(job.started_at ?? job.created_at), {
        inputTokens: usage.input_tokens,
      });
      expect(cost.total).toBe(computeCost(usage, snapshot).total);
    }
  }

  it.each([
    {
      name: "OpenAI o3-mini (Chat Completions, hidden reasoning)",
      body: { model: "o3-mini", prompt: "Explain 2+2", reasoning: { effort: "high" } },
      kind: "hidden",
    },
    {
      name: "OpenAI o4-mini (Responses, reasoning summary)",
      body: { model: "o4-mini", prompt: "Explain 2+2", reasoning: { effort: "low" } },
      kind: "summary",
    },
    {
      name: "Gemini 2.5 Flash (thinking budget, thoughts billed as output)",
      body: { model: "gemini-2.5-flash", prompt: "Explain 2+2", reasoning: { budget_tokens: 2048 } },
      kind: "summary",
    },
    {
      name: "DeepSeek V4 Pro (reasoning_content)",
      body: { model: "deepseek-v4-pro", prompt: "Explain 2+2" },
      kind: "full",
    },
    {
      name: "xAI Grok (completion tokens exclude reasoning)",
      body: { model: "xai/grok-3-mini", prompt: "Explain 2+2", reasoning_effort: "high" },
      kind: undefined,
    },
  ])("$name", async ({ body, kind }) => {
    const job = await run(body);
    expect(job.status, JSON.stringify(job.error)).toBe("succeeded");
    expect(job.output?.answer.length).toBeGreaterThan(0);
    if (kind !== undefined) expect(job.output?.reasoning_kind).toBe(kind);
    if (kind === "hidden") expect(job.output?.reasoning).toBe("");
    else expect(job.output?.reasoning.length).toBeGreaterThan(0);
    expect(job.usage?.reasoning_tokens).toBeGreaterThan(0);
    expect(job.resolved_params).not.toBeNull();
    expectSpecUsageAndCost(job);
  });

  it("Anthropic: the retired seed name runs its replacement, thinking blocks kept with signatures", async () => {
    const job = await run({
      model: "claude-sonnet-4-20250514",
      messages: [{ role: "user", content: "Are there infinitely many primes p ≡ 3 (mod 4)?" }],
      thinking: { type: "enabled", budget_tokens: 10000 },
      max_output_tokens: 16000,
    });
    expect(job.status, JSON.stringify(job.error)).toBe("succeeded");
    expect(job.model).toBe("anthropic/claude-sonnet-4-6");
    expect(job.warnings.some((w) => w.type === "deprecated")).toBe(true);
    const blocks = job.output?.thinking_blocks ?? [];
    expect(blocks.length).toBeGreaterThan(0);
    expect(blocks.some((b) => b.type === "thinking" && typeof b.signature === "string" && b.signature.length > 0)).toBe(
      true,
    );
    expect(job.output?.reasoning.length).toBeGreaterThan(0);
    expectSpecUsageAndCost(job);
  });

  it("DeepSeek: the retired deepseek-r1 name resolves with a warning", async () => {
    const job = await run({ model: "deepseek-r1", prompt: "Explain 2+2" });
    expect(job.status).toBe("succeeded");
    expect(job.warnings.some((w) => w.type === "deprecated" && w.field === "model")).toBe(true);
  });

  it("TheAgentic: no public price, so the usage is kept and the cost is not invented", async () => {
    const job = await run({ model: "agentic-large", prompt: "Explain 2+2", return_reasoning: true });
    expect(job.status).toBe("succeeded");
    expect(job.output?.reasoning.length).toBeGreaterThan(0);
    expect(job.usage).not.toBeNull();
    expect(job.cost).toBeNull();
    expect(job.warnings.some((w) => w.message.includes("no price"))).toBe(true);
  });

  it("a 429 is retried no sooner than its retry-after, and only once", async () => {
    const job = await run({ model: "o3-mini", prompt: "Explain 3+3 [mock:status=429,retry_after=1,times=1]" });
    expect(job.status).toBe("succeeded");
    const [first, second] = job.attempt_list ?? [];
    expect(first?.error?.type).toBe("provider_rate_limited");
    expect(job.attempts).toBe(2);
    const waited = Date.parse(second?.started_at ?? "") - Date.parse(first?.ended_at ?? "");
    expect(waited).toBeGreaterThanOrEqual(1000);
  });

  it.each([
    { model: "claude-sonnet-4-6", marker: "[mock:overload_mid_stream,times=1]", error: "provider_overloaded" },
    { model: "gemini-2.5-flash", marker: "[mock:cut_mid_stream,times=1]", error: "provider_stream_dropped" },
    { model: "deepseek-v4-pro", marker: "[mock:status=500,times=1]", error: "provider_server_error" },
    { model: "o4-mini", marker: "[mock:status=529,times=1]", error: "provider_overloaded" },
  ])("$model: $error is retried and the job still succeeds", async ({ model, marker, error }) => {
    const job = await run({ model, prompt: `Explain 4+4 ${marker}` });
    expect(job.status, JSON.stringify(job.error)).toBe("succeeded");
    expect(job.attempts).toBe(2);
    expect(job.attempt_list?.[0]?.error?.type).toBe(error);
  });

  it.each([
    { model: "claude-sonnet-4-6", marker: "[mock:status=400]", error: "provider_invalid_request" },
    { model: "gemini-2.5-flash", marker: "[mock:status=403]", error: "provider_auth" },
    { model: "o3-mini", marker: "[mock:status=404]", error: "provider_not_found" },
  ])("$model: $error fails at once with the provider's message", async ({ model, marker, error }) => {
    const job = await run({ model, prompt: `Explain 5+5 ${marker}` });
    expect(job.status).toBe("failed");
    expect(job.attempts).toBe(1);
    expect(job.error?.type).toBe(error);
    expect(job.error?.message.length).toBeGreaterThan(0);
    expect(job.error?.message).not.toContain(MOCK_KEY);
  });

  it("serves the OpenAI-compatible surface for a Claude model, with reasoning_content and thinking blocks", async () => {
    const client = await openAIClient(h);
    const completion = await client.chat.completions.create({
      model: "claude-sonnet-4-20250514",
      messages: [{ role: "user", content: "Are there infinitely many primes p ≡ 3 (mod 4)?" }],
      max_tokens: 16000,
      // @ts-expect-error: a gateway field the SDK passes through
      thinking: { type: "enabled", budget_tokens: 10000 },
    });
    const message = completion.choices[0]?.message as unknown as {
      content: string;
      reasoning_content?: string;
      thinking_blocks?: Array<{ type: string; signature?: string }>;
    };
    expect(message.content.length).toBeGreaterThan(0);
    expect(message.reasoning_content?.length).toBeGreaterThan(0);
    expect(message.thinking_blocks?.some((b) => b.type === "thinking" && (b.signature?.length ?? 0) > 0)).toBe(true);
    expect(completion.usage?.completion_tokens_details?.reasoning_tokens).toBeGreaterThan(0);

    const stream = await client.chat.completions.create({
      model: "gemini-2.5-flash",
      messages: [{ role: "user", content: "Explain 6+6" }],
      stream: true,
      stream_options: { include_usage: true },
    });
    let reasoning = "";
    let content = "";
    for await (const chunk of stream) {
      const delta = chunk.choices[0]?.delta as { content?: string; reasoning_content?: string } | undefined;
      reasoning += delta?.reasoning_content ?? "";
      content += delta?.content ?? "";
    }
    expect(reasoning.length).toBeGreaterThan(0);
    expect(content.length).toBeGreaterThan(0);
  });

  it("streams a provider job's live events, which add up to what is stored", async () => {
    const base = await h.listen();
    const created = await h.app.inject({
      method: "POST",
      url: "/v1/jobs",
      headers: auth(h.keys.a),
      payload: { model: "deepseek-v4-pro", prompt: "Explain 7+7" },
    });
    const id = created.json<Job>().id;
    const events = await readSse(`${base}/v1/jobs/${id}/events`, { headers: auth(h.keys.a) });
    const job = (await h.app.inject({ method: "GET", url: `/v1/jobs/${id}`, headers: auth(h.keys.a) })).json<Job>();
    const text = (type: string) =>
      events
        .filter((e) => e.event === type)
        .map((e) => (JSON.parse(e.data) as { text: string }).text)
        .join("");
    expect(text("reasoning.delta")).toBe(job.output?.reasoning);
    expect(text("answer.delta")).toBe(job.output?.answer);
    expect(events.at(-1)?.event).toBe("done");
  });

  it("refuses at submit what a model cannot honour, naming the rule", async () => {
    const res = await h.app.inject({
      method: "POST",
      url: "/v1/jobs",
      headers: auth(h.keys.a),
      payload: { model: "o3-mini", prompt: "hi", temperature: 0.2 },
    });
    expect(res.statusCode).toBe(400);
    expect(res.json().error).toMatchObject({ type: "unsupported_parameter", field: "temperature" });
  });
});
