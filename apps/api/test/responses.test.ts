import type { Job } from "@reasonq/core";
import type OpenAI from "openai";
import type { Response, ResponseInputItem, ResponseStreamEvent } from "openai/resources/responses/responses";
import { beforeAll, describe, expect, it } from "vitest";
import { auth, openAIClient, useHarness } from "./harness.ts";

const WEATHER = {
  type: "function" as const,
  name: "get_weather",
  description: "The weather in a city",
  parameters: { type: "object", properties: { city: { type: "string" } }, required: ["city"] },
  strict: false,
};

/** reasonq's extra fields on the Response object. */
type WithCost = Response & { cost: { total: string } | null; job_id: string };

/** The Responses API on reasonq jobs, through the official openai SDK only. */
describe("OpenAI Responses API", () => {
  const h = useHarness(
    { kind: "pglite" },
    { mocks: { anthropic: {}, openai: {}, google: {}, deepseek: {}, xai: {} }, workers: 1 },
  );
  let client: OpenAI;
  beforeAll(async () => {
    client = await openAIClient(h);
  });

  const job = async (id: string) =>
    (await h.app.inject({ method: "GET", url: `/v1/jobs/${id}`, headers: auth(h.keys.a) })).json<Job>();

  /** Polls as an SDK user does, until the response leaves queued/in_progress. */
  async function poll(id: string): Promise<WithCost> {
    for (;;) {
      const response = await client.responses.retrieve(id);
      if (response.status !== "queued" && response.status !== "in_progress") return response as WithCost;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }

  it.each([
    ["sim/reasoner", "What is 17*23?"],
    ["openai/gpt-5.2", "What is 17*23?"],
    ["anthropic/claude-sonnet-4-6", "What is 17*23?"],
    ["google/gemini-2.5-flash", "What is 17*23?"],
    ["deepseek/deepseek-v4-flash", "What is 17*23?"],
    ["xai/grok-3-mini", "What is 17*23?"],
  ])("runs %s in the background: queued at once, then the provider's summary, answer and usage", async (model, q) => {
    const created = await client.responses.create({
      model,
      input: q,
      reasoning: { effort: "low", summary: "auto" },
      background: true,
    });
    expect(created.status).toBe("queued");
    expect(created.background).toBe(true);
    const done = await poll(created.id);
    expect(done.status).toBe("completed");
    const row = await job(created.id);
    expect(row.status).toBe("succeeded");
    const reasoning = done.output.find((item) => item.type === "reasoning");
    expect(reasoning?.summary[0]?.text).toBe(row.output?.reasoning);
    expect(row.output?.reasoning).not.toBe("");
    expect(done.output_text).toBe(row.output?.answer);
    expect(done.usage).toEqual({
      input_tokens: row.usage?.input_tokens,
      input_tokens_details: { cached_tokens: row.usage?.cached_input_tokens },
      output_tokens: row.usage?.output_tokens,
      output_tokens_details: { reasoning_tokens: row.usage?.reasoning_tokens },
      total_tokens: (row.usage?.input_tokens ?? 0) + (row.usage?.output_tokens ?? 0),
    });
    expect(done.usage?.output_tokens_details.reasoning_tokens).toBeGreaterThan(0);
    expect(done.cost?.total).toBe(row.cost?.total);
  });

  it("streams with the SDK helper; finalResponse() is the stored response", async () => {
    const stream = client.responses.stream({
      model: "openai/gpt-5.2",
      input: "What is 12*11?",
      reasoning: { effort: "low", summary: "auto" },
    });
    const types: string[] = [];
    let text = "";
    stream.on("event", (event) => types.push(event.type));
    stream.on("response.output_text.delta", (event) => {
      text += event.delta;
    });
    const final = await stream.finalResponse();
    expect(final.status).toBe("completed");
    expect(final.output_text).toBe(text);
    expect(types[0]).toBe("response.created");
    expect(types).toContain("response.reasoning_summary_text.delta");
    expect(types.at(-1)).toBe("response.completed");
    const stored = await client.responses.retrieve(final.id);
    expect(stored.output_text).toBe(final.output_text);
    expect(stored.output.map((item) => item.id)).toEqual(final.output.map((item) => item.id));
    expect(stored.usage).toEqual(final.usage);
  });

  it("resumes a dropped background stream with starting_after: every event once, in order", async () => {
    const first = await client.responses.create({
      model: "sim/reasoner",
      input: "What is 31*29? [sim:tps=400]",
      reasoning: { summary: "auto" },
      background: true,
      stream: true,
    });
    const seen: ResponseStreamEvent[] = [];
    for await (const event of first) {
      seen.push(event);
      if (seen.length === 5) break;
    }
    const id = (seen[0] as { response: Response }).response.id;
    const resumed = await client.responses.retrieve(id, {
      stream: true,
      starting_after: seen.at(-1)?.sequence_number ?? 0,
    });
    for await (const event of resumed) seen.push(event);
    expect(seen.map((e) => e.sequence_number)).toEqual(seen.map((_, i) => i));
    expect(seen.at(-1)?.type).toBe("response.completed");
    const text = seen.flatMap((e) => (e.type === "response.output_text.delta" ? [e.delta] : [])).join("");
    expect(text).toBe((await job(id)).output?.answer);

    const replay = client.responses.stream({ response_id: id, starting_after: 3 });
    const replayed: number[] = [];
    replay.on("event", (event) => replayed.push(event.sequence_number));
    expect((await replay.finalResponse()).output_text).toBe(text);
    expect(replayed[0]).toBe(4);
    expect(replayed.at(-1)).toBe(seen.length - 1);
  });

  it("cancels a background response; the job is cancelled too", async () => {
    const created = await client.responses.create({
      model: "sim/reasoner",
      input: "What is 123*45? [sim:tps=5]",
      background: true,
    });
    const cancelled = await client.responses.cancel(created.id);
    expect(cancelled.status).toBe("cancelled");
    expect((await poll(created.id)).status).toBe("cancelled");
    expect((await job(created.id)).status).toBe("cancelled");
    const sync = await client.responses.create({ model: "sim/echo", input: "hi" });
    await expect(client.responses.cancel(sync.id)).rejects.toMatchObject({ status: 400 });
  });

  it("honours Idempotency-Key: a retried create answers the same response, with one job behind it", async () => {
    const body = { model: "sim/echo", input: "only once", background: true };
    const headers = { "Idempotency-Key": "responses-once-1" };
    const first = await client.responses.create(body, { headers });
    const again = await client.responses.create(body, { headers });
    expect(again.id).toBe(first.id);
    const jobs = (
      await h.app.inject({ method: "GET", url: "/v1/jobs?model=sim/echo&limit=100", headers: auth(h.keys.a) })
    ).json<{ data: Job[] }>();
    expect(jobs.data.filter((j) => j.id === first.id)).toHaveLength(1);
    const doc = (await h.app.inject({ method: "GET", url: "/openapi.json" })).json<{
      paths: Record<string, unknown>;
    }>();
    expect(Object.keys(doc.paths)).toEqual(
      expect.arrayContaining(["/v1/responses", "/v1/responses/{id}", "/v1/responses/{id}/input_items"]),
    );
  });

  it("lists input items and deletes a response (its job stays)", async () => {
    const created = await client.responses.create({
      model: "sim/echo",
      instructions: "Be brief.",
      input: [
        { role: "user", content: "first" },
        { role: "user", content: [{ type: "input_text", text: "second" }] },
      ],
    });
    const page = await client.responses.inputItems.list(created.id, { order: "asc", limit: 1 });
    expect(page.data).toHaveLength(1);
    expect(page.data[0]).toMatchObject({
      type: "message",
      role: "user",
      content: [{ type: "input_text", text: "first" }],
    });
    const all = [];
    for await (const item of client.responses.inputItems.list(created.id, { order: "asc", limit: 1 })) all.push(item);
    expect(all).toHaveLength(2);
    await client.responses.delete(created.id);
    await expect(client.responses.retrieve(created.id)).rejects.toMatchObject({ status: 404 });
    expect((await job(created.id)).status).toBe("succeeded");
  });

  it("continues with previous_response_id through a tool call on Claude with thinking", async () => {
    const first = await client.responses.create({
      model: "anthropic/claude-sonnet-4-6",
      input: "What is the weather in Paris?",
      reasoning: { effort: "low", summary: "auto" },
      tools: [WEATHER],
    });
    const call = first.output.find((item) => item.type === "function_call");
    if (call?.type !== "function_call") throw new Error("no function call");
    expect(call.name).toBe("get_weather");
    expect(first.output[0]?.type).toBe("reasoning");
    expect(first.output[0]).not.toHaveProperty("encrypted_content");
    const withBlocks = await client.responses.retrieve(first.id, { include: ["reasoning.encrypted_content"] });
    const reasoningItem = withBlocks.output[0];
    expect(reasoningItem?.type === "reasoning" && reasoningItem.encrypted_content).toMatch(/^rq1\./);
    const second = await client.responses.create({
      model: "anthropic/claude-sonnet-4-6",
      previous_response_id: first.id,
      input: [{ type: "function_call_output", call_id: call.call_id, output: "18°C and sunny" }],
      reasoning: { effort: "low", summary: "auto" },
      tools: [WEATHER],
    });
    expect(second.output_text).toContain("18°C and sunny");
    expect(second.previous_response_id).toBe(first.id);
    const sent = h.mocks.anthropic.requests.at(-1)?.body as {
      messages: Array<{ role: string; content: Array<Record<string, unknown>> }>;
    };
    const blocks = (await job(first.id)).output?.thinking_blocks ?? [];
    const { provider: _p, ...issued } = blocks[0] as Record<string, unknown>;
    expect(JSON.stringify(sent.messages[1]?.content[0])).toBe(JSON.stringify(issued));
    expect(sent.messages[1]?.content[1]).toMatchObject({ type: "tool_use", name: "get_weather" });
    expect(sent.messages[2]?.content[0]).toMatchObject({ type: "tool_result", content: "18°C and sunny" });
  });

  it("carries reasoning statelessly through encrypted_content (store: false)", async () => {
    const first = await client.responses.create({
      model: "anthropic/claude-sonnet-4-6",
      input: "What is the weather in Paris?",
      reasoning: { effort: "low" },
      tools: [WEATHER],
      include: ["reasoning.encrypted_content"],
      store: false,
    });
    const call = first.output.find((item) => item.type === "function_call");
    if (call?.type !== "function_call") throw new Error("no function call");
    await expect(client.responses.retrieve(first.id)).rejects.toMatchObject({ status: 404 });
    const second = await client.responses.create({
      model: "anthropic/claude-sonnet-4-6",
      input: [
        { role: "user", content: "What is the weather in Paris?" },
        ...(first.output as ResponseInputItem[]),
        {
          type: "function_call_output",
          call_id: call.call_id,
          output: "18°C and sunny",
        },
      ],
      reasoning: { effort: "low" },
      tools: [WEATHER],
      store: false,
    });
    expect(second.output_text).toContain("18°C and sunny");
    const sent = h.mocks.anthropic.requests.at(-1)?.body as {
      messages: Array<{ content: Array<Record<string, unknown>> }>;
    };
    expect(sent.messages[1]?.content[0]).toMatchObject({ type: "thinking" });
  });
});
