import type { Job, JobEvent } from "@reasonq/core";
import { beforeAll, describe, expect, it } from "vitest";
import { auth, useHarness } from "./harness.ts";
import { readSse } from "./sse-client.ts";

const WEATHER = {
  type: "function",
  function: {
    name: "get_weather",
    description: "The weather in a city",
    parameters: { type: "object", properties: { city: { type: "string" } }, required: ["city"] },
  },
};
const THINKING = { type: "enabled", budget_tokens: 2000 };
const QUESTION = { role: "user", content: "What is the weather in Paris?" };

/** Tool calls on the live events stream, and a /v1/jobs tool loop whose client dropped the thinking blocks. */
describe("tool calls on /v1/jobs", () => {
  const h = useHarness({ kind: "pglite" }, { mocks: { anthropic: {}, deepseek: {} }, workers: 1 });
  let base: string;
  beforeAll(async () => {
    base = await h.listen();
  });

  async function run(payload: Record<string, unknown>): Promise<Job> {
    const created = await h.app.inject({ method: "POST", url: "/v1/jobs", headers: auth(h.keys.a), payload });
    expect(created.statusCode, created.body).toBe(202);
    const id = created.json<Job>().id;
    return (await h.app.inject({ method: "GET", url: `/v1/jobs/${id}?wait=30`, headers: auth(h.keys.a) })).json<Job>();
  }

  it.each([
    ["anthropic/claude-sonnet-4-6", { thinking: THINKING }],
    ["deepseek/deepseek-v4-flash", {}],
  ])("%s: the events stream carries each tool call as a tool_call event before done", async (model, extra) => {
    const job = await run({ model, messages: [QUESTION], tools: [WEATHER], ...extra });
    expect(job.output?.finish_reason).toBe("tool_calls");
    const events = (await readSse(`${base}/v1/jobs/${job.id}/events`, { headers: auth(h.keys.a) })).map((message) => ({
      name: message.event,
      event: JSON.parse(message.data) as JobEvent,
    }));
    const calls = events.filter((e) => e.event.type === "tool_call");
    expect(calls).toHaveLength(1);
    expect(calls[0]?.name).toBe("tool_call");
    expect(calls[0]?.event).toEqual({ type: "tool_call", attempt: 1, call: job.output?.tool_calls?.[0] });
    const order = events.map((e) => e.event.type);
    expect(order.indexOf("tool_call")).toBeLessThan(order.indexOf("usage"));
    expect(order.indexOf("tool_call")).toBeLessThan(order.indexOf("done"));
  });

  it("streams the tool call once on /v1/chat/completions, from the live event", async () => {
    const response = await fetch(`${base}/v1/chat/completions`, {
      method: "POST",
      headers: { ...auth(h.keys.a), "content-type": "application/json" },
      body: JSON.stringify({
        model: "deepseek/deepseek-v4-flash",
        messages: [QUESTION],
        tools: [WEATHER],
        stream: true,
      }),
    });
    const text = await response.text();
    const chunks = text
      .split("\n")
      .filter((line) => line.startsWith("data: {"))
      .map((line) => JSON.parse(line.slice(6)) as { choices: Array<{ delta: Record<string, unknown> }> });
    const deltas = chunks.flatMap((c) => c.choices.map((choice) => choice.delta));
    const withCalls = deltas.filter((d) => d.tool_calls !== undefined);
    expect(withCalls).toHaveLength(1);
    expect(withCalls[0]?.tool_calls).toEqual([
      expect.objectContaining({
        index: 0,
        type: "function",
        function: expect.objectContaining({ name: "get_weather" }),
      }),
    ]);
  });

  it("restores the thinking blocks of an assistant turn sent back without them, as /v1/chat/completions does", async () => {
    const first = await run({
      model: "anthropic/claude-sonnet-4-6",
      messages: [QUESTION],
      tools: [WEATHER],
      thinking: THINKING,
    });
    const output = first.output;
    const call = output?.tool_calls?.[0];
    if (output == null || call === undefined) throw new Error("no tool call");
    // What a client that keeps only the text, the reasoning text and the calls sends back.
    const assistant = {
      role: "assistant",
      content: output.answer,
      reasoning_content: output.reasoning,
      tool_calls: [call],
    };
    const second = await run({
      model: "anthropic/claude-sonnet-4-6",
      messages: [QUESTION, assistant, { role: "tool", tool_call_id: call.id, content: "18°C" }],
      tools: [WEATHER],
      thinking: THINKING,
    });
    expect(second.status, JSON.stringify(second.error)).toBe("succeeded");
    expect(second.output?.answer).toBe("The tool returned: 18°C.");
    const sent = h.mocks.anthropic.requests.at(-1)?.body as { messages: Array<{ content: unknown[] }> };
    const { provider: _provider, ...issued } = output.thinking_blocks[0] as Record<string, unknown>;
    expect(JSON.stringify(sent.messages[1]?.content[0])).toBe(JSON.stringify(issued));
  });

  it("leaves a turn that names its blocks, even as an empty list, as sent (the provider refuses it)", async () => {
    const first = await run({
      model: "anthropic/claude-sonnet-4-6",
      messages: [QUESTION],
      tools: [WEATHER],
      thinking: THINKING,
    });
    const call = first.output?.tool_calls?.[0];
    if (call === undefined) throw new Error("no tool call");
    const assistant = { role: "assistant", content: "", thinking_blocks: [], tool_calls: [call] };
    const second = await run({
      model: "anthropic/claude-sonnet-4-6",
      messages: [QUESTION, assistant, { role: "tool", tool_call_id: call.id, content: "18°C" }],
      tools: [WEATHER],
      thinking: THINKING,
    });
    expect(second.status).toBe("failed");
    expect(second.error?.message).toContain("must start with a thinking block");
  });
});
