import OpenAI from "openai";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { MockServer } from "../http.ts";
import { startOpenAIMock } from "./openai-mock.ts";

// Drives the mock with the official SDK directly: what it sends must be what the SDK parses.
let mock: MockServer;
let client: OpenAI;

beforeAll(async () => {
  mock = await startOpenAIMock({ apiKey: "sk-test-key", reasoningDelayMs: 0 });
  client = new OpenAI({ apiKey: "sk-test-key", baseURL: `${mock.url}/v1`, maxRetries: 0 });
});
afterAll(() => mock.close());

async function rejection(run: () => Promise<unknown>): Promise<InstanceType<typeof OpenAI.APIError>> {
  try {
    await run();
  } catch (error) {
    if (error instanceof OpenAI.APIError) return error;
    throw error;
  }
  throw new Error("did not fail");
}

describe("OpenAI mock — Chat Completions", () => {
  it("answers without reasoning text, counting reasoning inside completion_tokens", async () => {
    const completion = await client.chat.completions.create({
      model: "o3-mini",
      messages: [{ role: "user", content: "What is 17*23?" }],
      reasoning_effort: "low",
      max_completion_tokens: 4000,
    });
    expect(completion.model).toBe("o3-mini-2025-01-31");
    expect(completion.choices[0]?.message.content).toBe("The answer is 391.");
    expect(completion.choices[0]?.finish_reason).toBe("stop");
    const usage = completion.usage;
    const reasoning = usage?.completion_tokens_details?.reasoning_tokens ?? 0;
    expect(reasoning).toBeGreaterThan(0);
    expect(usage?.completion_tokens).toBe(reasoning + Math.ceil("The answer is 391.".length / 4));
    expect(usage?.total_tokens).toBe((usage?.prompt_tokens ?? 0) + (usage?.completion_tokens ?? 0));
  });

  it("streams data-only chunks, a usage chunk with include_usage, and stops at [DONE]", async () => {
    const stream = await client.chat.completions.create({
      model: "o4-mini",
      messages: [{ role: "user", content: "What is 2+2?" }],
      stream: true,
      stream_options: { include_usage: true },
    });
    let text = "";
    const finishes: string[] = [];
    let usageChunk: OpenAI.Chat.Completions.ChatCompletionChunk | undefined;
    for await (const chunk of stream) {
      text += chunk.choices[0]?.delta.content ?? "";
      const finish = chunk.choices[0]?.finish_reason;
      if (finish) finishes.push(finish);
      if (chunk.usage) usageChunk = chunk;
      else expect(chunk.usage).toBeNull();
    }
    expect(text).toBe("The answer is 4.");
    expect(finishes).toEqual(["stop"]);
    expect(usageChunk?.choices).toEqual([]);
    expect(usageChunk?.usage?.completion_tokens_details?.reasoning_tokens).toBeGreaterThan(0);
    const raw = await fetch(`${mock.url}/v1/chat/completions`, {
      method: "POST",
      headers: { authorization: "Bearer sk-test-key", "content-type": "application/json" },
      body: JSON.stringify({ model: "o4-mini", messages: [{ role: "user", content: "hi" }], stream: true }),
    }).then((r) => r.text());
    expect(raw).not.toContain("event:");
    expect(raw).not.toContain('"usage"');
    expect(raw.trimEnd().endsWith("data: [DONE]")).toBe(true);
  });

  it("refuses what reasoning models refuse, in OpenAI's words", async () => {
    const messages = [{ role: "user" as const, content: "hi" }];
    const maxTokens = await rejection(() => client.chat.completions.create({ model: "o3", messages, max_tokens: 10 }));
    expect(maxTokens).toMatchObject({ status: 400, code: "unsupported_parameter", param: "max_tokens" });
    expect(maxTokens.message).toContain("Use 'max_completion_tokens' instead.");

    const temperature = await rejection(() =>
      client.chat.completions.create({ model: "o3-mini", messages, temperature: 0 }),
    );
    expect(temperature).toMatchObject({ status: 400, code: "unsupported_value", param: "temperature" });
    expect(temperature.message).toContain("does not support 0.0 with this model");

    const effort = await rejection(() =>
      client.chat.completions.create({ model: "o4-mini", messages, reasoning_effort: "none" }),
    );
    expect(effort.message).toContain("Supported values are: 'low', 'medium', and 'high'.");
    // gpt-5.1 with effort none takes sampling parameters (providers.md §1.5).
    await expect(
      client.chat.completions.create({ model: "gpt-5.1", messages, reasoning_effort: "none", temperature: 0.2 }),
    ).resolves.toMatchObject({ object: "chat.completion" });

    const system = await rejection(() =>
      client.chat.completions.create({
        model: "o1-mini",
        messages: [{ role: "system", content: "Be brief." }, ...messages],
      }),
    );
    expect(system).toMatchObject({ status: 400, param: "messages[0].role", code: "unsupported_value" });
    const pro = await rejection(() => client.chat.completions.create({ model: "gpt-5-pro", messages }));
    expect(pro.status).toBe(404);
  });

  it("answers 401 for a wrong key and 404 for an unknown model", async () => {
    const other = new OpenAI({ apiKey: "sk-wrong-000000", baseURL: `${mock.url}/v1`, maxRetries: 0 });
    const auth = await rejection(() =>
      other.chat.completions.create({ model: "o3", messages: [{ role: "user", content: "hi" }] }),
    );
    expect(auth).toMatchObject({ status: 401, code: "invalid_api_key" });
    const unknown = await rejection(() =>
      client.chat.completions.create({ model: "o9", messages: [{ role: "user", content: "hi" }] }),
    );
    expect(unknown).toMatchObject({ status: 404, code: "model_not_found" });
  });

  it("turns fault markers into OpenAI errors", async () => {
    const messages = [{ role: "user" as const, content: "hi [mock:status=429,retry_after=3]" }];
    const limited = await rejection(() => client.chat.completions.create({ model: "o3", messages }));
    expect(limited).toMatchObject({ status: 429, code: "rate_limit_exceeded", type: "tokens" });
    expect(limited.headers?.get("retry-after")).toBe("3");
    expect(limited.headers?.get("x-ratelimit-reset-tokens")).toBe("1.574s");

    const stream = await client.chat.completions.create({
      model: "o3",
      messages: [{ role: "user", content: "Tell me a long story about primes [mock:overload_mid_stream]" }],
      stream: true,
    });
    const overload = await rejection(async () => {
      for await (const _ of stream) {
        // drain
      }
    });
    expect(overload.status).toBeUndefined();
    expect(overload).toMatchObject({ code: "server_is_overloaded", type: "service_unavailable_error" });
  });
});

describe("OpenAI mock — Responses", () => {
  it("returns a reasoning item with summary and encrypted content, then the message", async () => {
    const response = await client.responses.create({
      model: "o4-mini",
      input: [{ role: "user", content: "What is 6*7?" }],
      reasoning: { effort: "high", summary: "auto" },
      include: ["reasoning.encrypted_content"],
      max_output_tokens: 20000,
    });
    expect(response.status).toBe("completed");
    expect(response.output_text).toBe("The answer is 42.");
    const [reasoning, message] = response.output;
    expect(reasoning?.type).toBe("reasoning");
    if (reasoning?.type !== "reasoning") throw new Error("no reasoning item");
    expect(reasoning.summary).toHaveLength(3);
    expect(reasoning.encrypted_content).toMatch(/^gAAAAAB/);
    expect(message?.type).toBe("message");
    const usage = response.usage;
    expect(usage?.output_tokens).toBe(
      (usage?.output_tokens_details.reasoning_tokens ?? 0) + Math.ceil("The answer is 42.".length / 4),
    );
  });

  it("streams named events with sequence numbers from 0 and no [DONE]", async () => {
    const stream = await client.responses.create({
      model: "gpt-5.2",
      input: "What is 1+1?",
      reasoning: { effort: "medium", summary: "auto" },
      include: ["reasoning.encrypted_content"],
      stream: true,
    });
    const types: string[] = [];
    const sequence: number[] = [];
    let summary = "";
    let text = "";
    for await (const event of stream) {
      types.push(event.type);
      sequence.push(event.sequence_number);
      if (event.type === "response.reasoning_summary_text.delta") summary += event.delta;
      if (event.type === "response.output_text.delta") text += event.delta;
      if (event.type === "response.output_item.done" && event.item.type === "reasoning") {
        expect(event.item.encrypted_content).toMatch(/^gAAAAAB/);
      }
    }
    expect(sequence).toEqual(sequence.map((_, i) => i));
    expect(types[0]).toBe("response.created");
    expect(types.at(-1)).toBe("response.completed");
    expect(types.filter((t) => t === "response.reasoning_summary_part.added")).toHaveLength(2);
    expect(summary).toContain("Let me think about");
    expect(text).toBe("The answer is 2.");
  });

  it("returns encrypted_content only when asked, and refuses it changed or missing when sent back", async () => {
    const tools = [
      {
        type: "function" as const,
        name: "lookup",
        parameters: { type: "object", properties: { q: { type: "string" } } },
        strict: false,
      },
    ];
    const plain = await client.responses.create({ model: "o3", input: "Look it up", tools, store: false });
    expect(plain.output.find((i) => i.type === "reasoning")).not.toHaveProperty("encrypted_content");
    const first = await client.responses.create({
      model: "o3",
      input: "Look it up",
      tools,
      store: false,
      include: ["reasoning.encrypted_content"],
    });
    const [reasoning, call] = first.output;
    expect(reasoning?.type).toBe("reasoning");
    expect(call).toMatchObject({ type: "function_call", name: "lookup", arguments: '{"q":"Look it up"}' });
    if (reasoning?.type !== "reasoning" || call?.type !== "function_call") throw new Error("unexpected output");
    const answer = (item: unknown) =>
      client.responses.create({
        model: "o3",
        tools,
        store: false,
        input: [
          { role: "user", content: "Look it up" },
          item as OpenAI.Responses.ResponseInputItem,
          call,
          { type: "function_call_output", call_id: call.call_id, output: "42" },
        ],
      });
    expect((await answer(reasoning)).output_text).toBe("The tool returned: 42.");
    const changed = await rejection(() =>
      answer({ ...reasoning, encrypted_content: `${reasoning.encrypted_content}x` }),
    );
    expect(changed).toMatchObject({ status: 400, code: "invalid_encrypted_content" });
    const { encrypted_content: _dropped, ...without } = reasoning;
    expect(await rejection(() => answer(without))).toMatchObject({ status: 404 });
    const orphan = await rejection(() =>
      client.responses.create({
        model: "o3",
        input: [{ type: "function_call_output", call_id: "call_nope", output: "42" }],
      }),
    );
    expect(orphan.status).toBe(400);
  });

  it("ends with response.incomplete when reasoning eats max_output_tokens", async () => {
    const response = await client.responses.create({
      model: "o3",
      input: "Prove it [mock:finish=length]",
      reasoning: { effort: "low" },
    });
    expect(response.status).toBe("incomplete");
    expect(response.incomplete_details?.reason).toBe("max_output_tokens");
    expect(response.output.map((i) => i.type)).toEqual(["reasoning"]);
  });

  it("refuses Chat Completions parameter names and unsupported efforts", async () => {
    const moved = await rejection(() =>
      client.responses.create({
        model: "o3",
        input: "hi",
        max_tokens: 10,
      } as unknown as OpenAI.Responses.ResponseCreateParamsNonStreaming),
    );
    expect(moved).toMatchObject({ status: 400, code: "unsupported_parameter", param: "max_tokens" });
    const effort = await rejection(() =>
      client.responses.create({ model: "gpt-5-pro", input: "hi", reasoning: { effort: "low" } }),
    );
    expect(effort).toMatchObject({ status: 400, param: "reasoning.effort", code: "unsupported_value" });
  });

  it("throws the in-stream overload event as an APIError without status", async () => {
    const stream = await client.responses.create({
      model: "o3",
      input: "Tell me about primes [mock:overload_mid_stream]",
      reasoning: { effort: "low", summary: "auto" },
      stream: true,
    });
    const overload = await rejection(async () => {
      for await (const _ of stream) {
        // drain
      }
    });
    expect(overload.status).toBeUndefined();
    expect(overload.code).toBe("server_is_overloaded");
  });
});
