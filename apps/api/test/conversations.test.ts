import type { Job } from "@reasonq/core";
import type { MockServer } from "@reasonq/mock-providers";
import OpenAI from "openai";
import type { ChatCompletionMessageParam, ChatCompletionTool } from "openai/resources/chat/completions";
import { beforeAll, describe, expect, it } from "vitest";
import { auth, openAIClient, useHarness } from "./harness.ts";

const WEATHER: ChatCompletionTool = {
  type: "function",
  function: {
    name: "get_weather",
    description: "The weather in a city",
    parameters: { type: "object", properties: { city: { type: "string" } }, required: ["city"] },
  },
};

/** What the gateway shape adds to OpenAI's message. */
interface GatewayMessage {
  thinking_blocks?: Array<Record<string, unknown>>;
  reasoning_content?: string;
}

type Body = Record<string, unknown>;
const bodies = (mock: MockServer) => mock.requests.map((r) => r.body as Body).filter((b) => b !== undefined);

/** Conversations with tools through /v1/chat/completions and /v1/jobs, against each family's mock. */
describe("conversations with tools and carried reasoning", () => {
  const h = useHarness(
    { kind: "pglite" },
    { mocks: { anthropic: {}, google: {}, openai: {}, deepseek: {}, xai: {} }, workers: 1 },
  );
  let client: OpenAI;
  beforeAll(async () => {
    client = await openAIClient(h);
  });

  /** Question → tool call → tool result → answer, appending choices[0].message exactly as returned. */
  async function threeTurns(model: string, extra: Record<string, unknown> = {}) {
    const messages: ChatCompletionMessageParam[] = [{ role: "user", content: "What is the weather in Paris?" }];
    const first = await client.chat.completions.create({ model, messages, tools: [WEATHER], ...extra });
    const choice = first.choices[0];
    expect(choice?.finish_reason).toBe("tool_calls");
    const call = choice?.message.tool_calls?.[0];
    expect(call?.type).toBe("function");
    if (call === undefined || call.type !== "function" || choice === undefined) throw new Error("no tool call");
    expect(call.function.name).toBe("get_weather");
    expect(JSON.parse(call.function.arguments)).toHaveProperty("city");
    messages.push(choice.message);
    messages.push({ role: "tool", tool_call_id: call.id, content: "18°C and sunny" });
    const second = await client.chat.completions.create({ model, messages, tools: [WEATHER], ...extra });
    expect(second.choices[0]?.finish_reason).toBe("stop");
    expect(second.choices[0]?.message.content).toContain("18°C and sunny");
    return { first: choice.message as typeof choice.message & GatewayMessage, second };
  }

  it("runs the loop on Claude with thinking; the thinking block goes back byte-identical", async () => {
    const { first } = await threeTurns("anthropic/claude-sonnet-4-6", {
      thinking: { type: "enabled", budget_tokens: 2000 },
    });
    const blocks = first.thinking_blocks ?? [];
    expect(blocks[0]).toMatchObject({ type: "thinking", provider: "anthropic" });
    expect(String(blocks[0]?.signature)).not.toBe("");
    const sent = bodies(h.mocks.anthropic).at(-1) as { messages: Array<{ content: unknown[] }> };
    const { provider: _p, ...issued } = blocks[0] as Record<string, unknown>;
    expect(JSON.stringify(sent.messages[1]?.content[0])).toBe(JSON.stringify(issued));
    expect(sent.messages[1]?.content[1]).toMatchObject({ type: "tool_use", name: "get_weather" });
    expect(sent.messages[2]?.content[0]).toMatchObject({ type: "tool_result", content: "18°C and sunny" });
  });

  it("runs the loop on Gemini 3; the thought signature goes back on the function-call part", async () => {
    const { first } = await threeTurns("google/gemini-3.1-pro-preview");
    const block = first.thinking_blocks?.[0];
    expect(block).toMatchObject({ type: "thinking", provider: "google", tool_call_id: first.tool_calls?.[0]?.id });
    const sent = bodies(h.mocks.google).at(-1) as {
      contents: Array<{ role: string; parts: Array<Record<string, unknown>> }>;
    };
    expect(sent.contents[1]).toEqual({
      role: "model",
      parts: [{ functionCall: { name: "get_weather", args: expect.any(Object) }, thoughtSignature: block?.signature }],
    });
    expect(sent.contents[2]?.parts[0]).toMatchObject({
      functionResponse: { name: "get_weather", response: { result: "18°C and sunny" } },
    });
  });

  it("runs the loop on an OpenAI reasoning model through Responses; encrypted reasoning goes back unchanged", async () => {
    const { first } = await threeTurns("openai/gpt-5.2", { reasoning_effort: "low" });
    const item = first.thinking_blocks?.[0];
    expect(item).toMatchObject({ type: "reasoning", provider: "openai" });
    expect(String(item?.encrypted_content)).toMatch(/^gAAAA/);
    const requests = bodies(h.mocks.openai);
    expect(requests.at(-2)).toMatchObject({ include: ["reasoning.encrypted_content"], store: false });
    const input = (requests.at(-1) as { input: Array<Record<string, unknown>> }).input;
    const { provider: _p, ...issued } = item as Record<string, unknown>;
    expect(JSON.stringify(input[1])).toBe(JSON.stringify(issued));
    expect(input[2]).toMatchObject({ type: "function_call", call_id: first.tool_calls?.[0]?.id, name: "get_weather" });
    expect(input[3]).toEqual({
      type: "function_call_output",
      call_id: first.tool_calls?.[0]?.id,
      output: "18°C and sunny",
    });
  });

  it("runs the loop on DeepSeek; reasoning_content goes back after the tool call", async () => {
    const { first } = await threeTurns("deepseek/deepseek-v4-flash");
    expect(first.reasoning_content).not.toBe("");
    const sent = bodies(h.mocks.deepseek).at(-1) as { messages: Array<Record<string, unknown>> };
    expect(sent.messages[1]).toMatchObject({
      role: "assistant",
      content: null,
      reasoning_content: first.reasoning_content,
      tool_calls: first.tool_calls,
    });
    expect(sent.messages[2]).toEqual({
      role: "tool",
      tool_call_id: first.tool_calls?.[0]?.id,
      content: "18°C and sunny",
    });
  });

  it("streams a tool call as tool_calls deltas that the SDK's stream helper assembles", async () => {
    // Anthropic's native thinking form rides as an extra body field.
    const stream = client.chat.completions.stream({
      model: "anthropic/claude-sonnet-4-6",
      messages: [{ role: "user", content: "What is the weather in Paris?" }],
      tools: [WEATHER],
      thinking: { type: "enabled", budget_tokens: 2000 },
    } as never);
    const final = await stream.finalChatCompletion();
    const choice = final.choices[0];
    expect(choice?.finish_reason).toBe("tool_calls");
    const call = choice?.message.tool_calls?.[0];
    expect(call).toMatchObject({ type: "function", function: { name: "get_weather" } });
    if (call?.type !== "function") throw new Error("no function call");
    expect(JSON.parse(call.function.arguments)).toEqual({ city: "What is the weather in Paris?" });
  });

  it("runs the same loop through /v1/jobs, appending the output as an assistant message", async () => {
    const run = async (messages: unknown[]) => {
      const created = await h.app.inject({
        method: "POST",
        url: "/v1/jobs",
        headers: auth(h.keys.a),
        payload: {
          model: "anthropic/claude-sonnet-4-6",
          messages,
          tools: [WEATHER],
          thinking: { type: "enabled", budget_tokens: 2000 },
        },
      });
      expect(created.statusCode, created.body).toBe(202);
      const read = await h.app.inject({
        method: "GET",
        url: `/v1/jobs/${created.json<Job>().id}?wait=30`,
        headers: auth(h.keys.a),
      });
      return read.json<Job>();
    };
    const question = { role: "user", content: "What is the weather in Paris?" };
    const first = await run([question]);
    expect(first.status).toBe("succeeded");
    expect(first.output?.finish_reason).toBe("tool_calls");
    const output = first.output;
    const call = output?.tool_calls?.[0];
    if (output == null || call === undefined) throw new Error("no tool call");
    const assistant = {
      role: "assistant",
      content: output.answer,
      reasoning_content: output.reasoning,
      thinking_blocks: output.thinking_blocks,
      tool_calls: output.tool_calls,
    };
    const second = await run([question, assistant, { role: "tool", tool_call_id: call.id, content: "18°C" }]);
    expect(second.status, JSON.stringify(second.error)).toBe("succeeded");
    expect(second.output?.answer).toBe("The tool returned: 18°C.");
    expect(second.output?.finish_reason).toBe("stop");
  });

  it("drops another provider's blocks with a warning, never sending them", async () => {
    const { first } = await threeTurns("anthropic/claude-sonnet-4-6", {
      thinking: { type: "enabled", budget_tokens: 2000 },
    });
    const call = first.tool_calls?.[0];
    if (call === undefined) throw new Error("no tool call");
    const foreign = {
      ...first,
      thinking_blocks: [{ type: "thinking", thinking: "x", signature: "s", provider: "google" }],
    };
    const data = await client.chat.completions.create({
      model: "deepseek/deepseek-v4-flash",
      tools: [WEATHER],
      messages: [
        { role: "user", content: "What is the weather in Paris?" },
        foreign as ChatCompletionMessageParam,
        { role: "tool", tool_call_id: call.id, content: "18°C" },
      ],
    });
    const job = (
      await h.app.inject({ method: "GET", url: `/v1/jobs/${data.id}`, headers: auth(h.keys.a) })
    ).json<Job>();
    expect(job.warnings).toContainEqual(expect.objectContaining({ field: "messages.1.thinking_blocks" }));
    const sent = bodies(h.mocks.deepseek).at(-1) as { messages: Array<Record<string, unknown>> };
    expect(JSON.stringify(sent.messages)).not.toContain('"signature"');
  });

  describe("images", () => {
    const PNG = "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==";
    const question: ChatCompletionMessageParam[] = [
      {
        role: "user",
        content: [
          { type: "text", text: "What is in this image?" },
          { type: "image_url", image_url: { url: `data:image/png;base64,${PNG}` } },
        ],
      },
    ];
    const lastBody = (mock: MockServer) => bodies(mock).at(-1) as Record<string, unknown>;

    const first = (key: string) => (b: Record<string, unknown>) => (b[key] as Body[])[0];
    it.each([
      ["anthropic/claude-sonnet-4-6", "anthropic", {}, first("messages"), "content"],
      ["google/gemini-2.5-flash", "google", {}, first("contents"), "parts"],
      ["openai/gpt-5.2", "openai", {}, first("input"), "content"],
      // Without reasoning text asked for, o4-mini runs on Chat Completions.
      ["openai/o4-mini", "openai", { return_reasoning: false }, first("messages"), "content"],
      // OpenAI-compatible: xAI's Grok 4 reads images as Chat Completions image_url parts.
      ["xai/grok-4", "xai", {}, first("messages"), "content"],
    ] as const)("%s takes an image in its provider's own part shape", async (model, family, extra, messageOf, key) => {
      const data = await client.chat.completions.create({ model, messages: question, ...extra });
      expect(data.choices[0]?.finish_reason).toBe("stop");
      const parts = messageOf(lastBody(h.mocks[family]))?.[key] as unknown[];
      const expected = {
        anthropic: { type: "image", source: { type: "base64", media_type: "image/png", data: PNG } },
        google: { inlineData: { mimeType: "image/png", data: PNG } },
        openai: model.endsWith("gpt-5.2")
          ? { type: "input_image", image_url: `data:image/png;base64,${PNG}`, detail: "auto" }
          : { type: "image_url", image_url: { url: `data:image/png;base64,${PNG}` } },
        xai: { type: "image_url", image_url: { url: `data:image/png;base64,${PNG}` } },
      }[family];
      expect(parts).toContainEqual(expected);
    });

    it("refuses an image for a model without image input, and a URL that is not https or data:", async () => {
      // No DeepSeek model reads images (its API refuses image parts), nor does grok-3-mini.
      for (const model of ["deepseek/deepseek-v4-flash", "deepseek/deepseek-flash", "xai/grok-3-mini"]) {
        const text = await client.chat.completions.create({ model, messages: question }).catch((e: unknown) => e);
        expect(text).toBeInstanceOf(OpenAI.BadRequestError);
        expect(String((text as Error).message)).toContain(`model ${model} does not take image input`);
      }
      const http = await client.chat.completions
        .create({
          model: "anthropic/claude-sonnet-4-6",
          messages: [
            { role: "user", content: [{ type: "image_url", image_url: { url: "http://example.com/a.png" } }] },
          ],
        })
        .catch((e: unknown) => e);
      expect(http).toBeInstanceOf(OpenAI.BadRequestError);
    });
  });

  it("runs the README's loop as written (Claude's default adaptive thinking)", async () => {
    const { first } = await threeTurns("anthropic/claude-sonnet-4-6");
    expect(first.thinking_blocks?.[0]).toMatchObject({ type: "thinking", provider: "anthropic" });
  });

  it("refuses manual Claude thinking with a forced tool choice before any call", async () => {
    const error = await client.chat.completions
      .create({
        model: "anthropic/claude-sonnet-4-6",
        messages: [{ role: "user", content: "Weather in Rome?" }],
        tools: [WEATHER],
        tool_choice: "required",
        // @ts-expect-error: Anthropic's native thinking form, accepted as an extra field
        thinking: { type: "enabled", budget_tokens: 2000 },
      })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OpenAI.BadRequestError);
    expect(String((error as Error).message)).toContain("tool_choice");
  });

  it("the mock refuses a tool loop whose thinking block was dropped or altered", async () => {
    const { first } = await threeTurns("anthropic/claude-sonnet-4-6", {
      thinking: { type: "enabled", budget_tokens: 2000 },
    });
    const call = first.tool_calls?.[0];
    if (call === undefined) throw new Error("no tool call");
    const base = { model: "anthropic/claude-sonnet-4-6", tools: [WEATHER] };
    const tool: ChatCompletionMessageParam = { role: "tool", tool_call_id: call.id, content: "18°C" };
    const question: ChatCompletionMessageParam = { role: "user", content: "What is the weather in Paris?" };
    const altered = structuredClone(first);
    (altered.thinking_blocks as Array<Record<string, unknown>>)[0] = {
      ...altered.thinking_blocks?.[0],
      signature: "EqForged",
    };
    const cases = [
      [{ ...first, thinking_blocks: [] }, "must start with a thinking block"],
      [altered, "Invalid `signature` in `thinking` block"],
    ] as const;
    for (const [message, refusal] of cases) {
      const error = await client.chat.completions
        .create({
          ...base,
          messages: [question, message, tool],
          thinking: { type: "enabled", budget_tokens: 2000 },
        } as never)
        .catch((e: unknown) => e);
      expect(error).toBeInstanceOf(OpenAI.APIError);
      expect(String((error as Error).message)).toContain(refusal);
    }
  });
});
