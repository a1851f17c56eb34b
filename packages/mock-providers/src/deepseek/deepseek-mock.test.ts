import OpenAI from "openai";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { MockServer } from "../http.ts";
import { REASONING_PASSBACK_MESSAGE, startDeepSeekMock } from "./deepseek-mock.ts";

const KEY = "sk-mock-deepseek";
let mock: MockServer;
let client: OpenAI;

beforeAll(async () => {
  mock = await startDeepSeekMock({ apiKey: KEY });
  client = new OpenAI({ apiKey: KEY, baseURL: mock.url, maxRetries: 0 });
});
afterAll(() => mock.close());

type Loose = Record<string, unknown>;
const user = (content: string) => [{ role: "user" as const, content }];

describe("deepseek mock, driven by the openai SDK", () => {
  it("streams reasoning_content deltas, then content, with usage on the finish chunk", async () => {
    const stream = await client.chat.completions.create({
      model: "deepseek-flash",
      messages: user("What is 6*7?"),
      stream: true,
      reasoning_effort: "low",
    } as never);
    const chunks = [];
    for await (const chunk of stream as unknown as AsyncIterable<Loose>) chunks.push(chunk);
    const deltas = chunks.map((c) => ((c.choices as Loose[])[0] as Loose).delta as Loose);
    const reasoning = deltas.map((d) => d.reasoning_content ?? "").join("");
    const content = deltas.map((d) => d.content ?? "").join("");
    expect(reasoning.split(" ").filter(Boolean)).toHaveLength(8);
    expect(content).toBe("The answer is 42.");
    const last = chunks.at(-1) as Loose;
    expect((last.choices as Loose[])[0]).toMatchObject({ finish_reason: "stop" });
    expect(last.usage).toEqual({
      prompt_tokens: 7,
      completion_tokens: 12,
      total_tokens: 19,
      prompt_tokens_details: { cached_tokens: 0 },
      completion_tokens_details: { reasoning_tokens: 8 },
      prompt_cache_hit_tokens: 0,
      prompt_cache_miss_tokens: 7,
    });
    expect(chunks.slice(0, -1).every((c) => c.usage === null)).toBe(true);
  });

  it("sends keep-alive comments before the stream and blank lines before a JSON body", async () => {
    const post = (stream: boolean) =>
      fetch(`${mock.url}/chat/completions`, {
        method: "POST",
        headers: { authorization: `Bearer ${KEY}`, "content-type": "application/json" },
        body: JSON.stringify({ model: "deepseek-flash", messages: user("hi"), stream }),
      }).then((r) => r.text());
    expect(await post(true)).toMatch(/^: keep-alive\n\n: keep-alive\n\ndata: /);
    expect(await post(true)).toMatch(/data: \[DONE\]\n\n$/);
    const json = await post(false);
    expect(json.startsWith("\n\n{")).toBe(true);
    const parsed = await client.chat.completions.create({ model: "deepseek-v4-pro", messages: user("What is 1+1?") });
    const message = parsed.choices[0]?.message as unknown as Loose;
    expect(message.content).toBe("The answer is 2.");
    expect(message.reasoning_content).toMatch(/^Let me think/);
  });

  it("does not think with thinking disabled", async () => {
    const body = await client.chat.completions.create({
      model: "deepseek-flash",
      messages: user("What is 1+1?"),
      thinking: { type: "disabled" },
    } as never);
    expect((body as unknown as Loose).usage).toMatchObject({ completion_tokens_details: { reasoning_tokens: 0 } });
  });

  it("enforces the reasoning_content passback after tool calls, in thinking mode only", async () => {
    const messages = [
      { role: "user", content: "look it up" },
      {
        role: "assistant",
        content: "",
        tool_calls: [{ id: "c", type: "function", function: { name: "f", arguments: "{}" } }],
      },
      { role: "tool", tool_call_id: "c", content: "42" },
      { role: "user", content: "so?" },
    ];
    await expect(client.chat.completions.create({ model: "deepseek-flash", messages } as never)).rejects.toMatchObject({
      status: 400,
      message: expect.stringContaining(REASONING_PASSBACK_MESSAGE),
    });
    const passed = messages.map((m) => (m.role === "assistant" ? { ...m, reasoning_content: "call f" } : m));
    await expect(
      client.chat.completions.create({ model: "deepseek-flash", messages: passed } as never),
    ).resolves.toBeDefined();
    const off = { model: "deepseek-flash", messages, thinking: { type: "disabled" } };
    await expect(client.chat.completions.create(off as never)).resolves.toBeDefined();
  });

  it("answers DeepSeek's statuses and refuses retired or unknown models and bad parameters", async () => {
    await expect(
      client.chat.completions.create({ model: "deepseek-flash", messages: user("x [mock:status=402]") }),
    ).rejects.toMatchObject({
      status: 402,
      message: "402 Insufficient Balance",
    });
    await expect(
      client.chat.completions.create({ model: "deepseek-reasoner", messages: user("x") }),
    ).rejects.toMatchObject({
      status: 400,
      message: "400 Model Not Exist",
    });
    await expect(
      client.chat.completions.create({
        model: "deepseek-flash",
        messages: user("x"),
        reasoning_effort: "extreme",
      } as never),
    ).rejects.toMatchObject({ status: 422 });
    const wrongKey = new OpenAI({ apiKey: "sk-wrong", baseURL: mock.url, maxRetries: 0 });
    await expect(
      wrongKey.chat.completions.create({ model: "deepseek-flash", messages: user("x") }),
    ).rejects.toMatchObject({
      status: 401,
    });
  });

  it("reports prefix-cache hits on a repeated system prompt", async () => {
    const messages = (q: string) => [
      { role: "system" as const, content: "Be brief." },
      { role: "user" as const, content: q },
    ];
    await client.chat.completions.create({ model: "deepseek-v4-flash", messages: messages("a") });
    const second = (await client.chat.completions.create({
      model: "deepseek-v4-flash",
      messages: messages("b"),
    })) as unknown as Loose;
    expect(second.usage).toMatchObject({ prompt_cache_hit_tokens: 6, prompt_tokens_details: { cached_tokens: 6 } });
  });
});

describe("deepseek mock: tools", () => {
  const tools = [
    {
      type: "function" as const,
      function: { name: "lookup", parameters: { type: "object", properties: { q: { type: "string" } } } },
    },
  ];

  it("calls the tool, streamed as tool_calls deltas, then answers from the result", async () => {
    const stream = await client.chat.completions.create({
      model: "deepseek-flash",
      messages: user("Look it up"),
      tools,
      stream: true,
    });
    let args = "";
    let finish: string | null = null;
    for await (const chunk of stream) {
      args += chunk.choices[0]?.delta.tool_calls?.[0]?.function?.arguments ?? "";
      finish = chunk.choices[0]?.finish_reason ?? finish;
    }
    expect(JSON.parse(args)).toEqual({ q: "Look it up" });
    expect(finish).toBe("tool_calls");
    const first = await client.chat.completions.create({
      model: "deepseek-flash",
      messages: user("Look it up"),
      tools,
    });
    const message = first.choices[0]?.message as OpenAI.Chat.ChatCompletionMessage & { reasoning_content?: string };
    const call = message.tool_calls?.[0];
    if (call === undefined) throw new Error("no tool call");
    const answer = await client.chat.completions.create({
      model: "deepseek-flash",
      tools,
      messages: [...user("Look it up"), message, { role: "tool", tool_call_id: call.id, content: "42" }],
    });
    expect(answer.choices[0]?.message.content).toBe("The tool returned: 42.");
    const orphan = await client.chat.completions
      .create({
        model: "deepseek-flash",
        messages: [...user("x"), { role: "tool", tool_call_id: "nope", content: "1" }],
      })
      .catch((e: unknown) => e);
    expect((orphan as InstanceType<typeof OpenAI.APIError>).status).toBe(400);
  });
});
