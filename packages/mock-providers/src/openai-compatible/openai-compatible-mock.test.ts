import OpenAI from "openai";
import { afterEach, describe, expect, it } from "vitest";
import type { MockServer } from "../http.ts";
import { type OpenAICompatibleDialectName, startOpenAICompatibleMock } from "./openai-compatible-mock.ts";

type Loose = Record<string, unknown>;
const servers: MockServer[] = [];
afterEach(async () => {
  for (const server of servers.splice(0)) await server.close();
});

async function clientFor(dialect: OpenAICompatibleDialectName, apiKey = "sk-mock") {
  const server = await startOpenAICompatibleMock({ dialect, apiKey });
  servers.push(server);
  const path = dialect === "openrouter" ? "/api/v1" : "/v1";
  return { server, client: new OpenAI({ apiKey, baseURL: `${server.url}${path}`, maxRetries: 0 }) };
}

async function streamed(client: OpenAI, body: Loose) {
  const stream = await client.chat.completions.create({
    ...body,
    stream: true,
    stream_options: { include_usage: true },
  } as never);
  const chunks: Loose[] = [];
  for await (const chunk of stream as unknown as AsyncIterable<Loose>) chunks.push(chunk);
  const deltas = chunks.flatMap((c) => (c.choices as Loose[]).map((choice) => choice.delta as Loose));
  const join = (key: string) => deltas.map((d) => (typeof d[key] === "string" ? d[key] : "")).join("");
  return { chunks, join, usage: chunks.at(-1)?.usage as Loose | undefined };
}

const user = (content: string) => [{ role: "user" as const, content }];

describe("openai-compatible mock, driven by the openai SDK", () => {
  it("theagentic: reasoning_content only when return_reasoning is true", async () => {
    const { client } = await clientFor("theagentic");
    const withReasoning = await streamed(client, {
      model: "agentic-large",
      messages: user("What is 2*3?"),
      return_reasoning: true,
    });
    expect(withReasoning.join("reasoning_content")).toMatch(/^Let me think/);
    expect(withReasoning.join("content")).toBe("The answer is 6.");
    const without = await streamed(client, { model: "agentic-large", messages: user("What is 2*3?") });
    expect(without.join("reasoning_content")).toBe("");
    expect(without.usage).toMatchObject({ completion_tokens: 28, completion_tokens_details: { reasoning_tokens: 24 } });
  });

  it("xai: completion_tokens excludes reasoning, and refused parameters are 400s", async () => {
    const { client } = await clientFor("xai");
    const { usage, join } = await streamed(client, {
      model: "grok-3-mini",
      messages: user("What is 2*3?"),
      reasoning_effort: "high",
    });
    expect(join("reasoning_content")).not.toBe("");
    expect(usage).toMatchObject({ completion_tokens: 4, completion_tokens_details: { reasoning_tokens: 32 } });
    expect(usage?.total_tokens).toBe((usage?.prompt_tokens as number) + 4 + 32);
    await expect(
      client.chat.completions.create({ model: "grok-4", messages: user("x"), reasoning_effort: "low" } as never),
    ).rejects.toMatchObject({
      status: 400,
      message: expect.stringContaining("does not support parameter reasoningEffort"),
    });
    await expect(
      client.chat.completions.create({ model: "grok-4", messages: user("x"), stop: ["."] } as never),
    ).rejects.toMatchObject({
      status: 400,
    });
  });

  it("openrouter: reasoning + reasoning_details with a signature, usage.cost, numeric error codes", async () => {
    const { client } = await clientFor("openrouter");
    const { chunks, join, usage } = await streamed(client, {
      model: "anthropic/claude-sonnet-4.5",
      messages: user("What is 2*3?"),
      reasoning: { effort: "low" },
    });
    expect(join("reasoning")).toMatch(/^Let me think/);
    const details = chunks.flatMap((c) =>
      (c.choices as Loose[]).flatMap(
        (choice) => ((choice.delta as Loose).reasoning_details as Loose[] | undefined) ?? [],
      ),
    );
    expect(details.at(-1)).toMatchObject({
      type: "reasoning.text",
      format: "anthropic-claude-v1",
      signature: expect.any(String),
    });
    expect(usage).toMatchObject({ cost: expect.any(Number), prompt_tokens_details: { cache_write_tokens: 0 } });
    await expect(
      client.chat.completions.create({
        model: "openai/o4-mini",
        messages: user("x"),
        reasoning: { effort: "low", max_tokens: 10 },
      } as never),
    ).rejects.toMatchObject({ status: 400 });
    const limited = client.chat.completions.create({
      model: "openai/o4-mini",
      messages: user("x [mock:status=429,retry_after=1]"),
    });
    await expect(limited).rejects.toMatchObject({ status: 429, error: { code: 429 } });
  });

  it("openrouter: an error after processing started is an HTTP 200, in the stream or as the body", async () => {
    const { client } = await clientFor("openrouter");
    const body = await client.chat.completions.create({
      model: "openai/o4-mini",
      messages: user("x [mock:overload_mid_stream]"),
    });
    expect(body).toMatchObject({ error: { code: "server_error" } });
    await expect(
      streamed(client, { model: "openai/o4-mini", messages: user("What is 1+1? [mock:overload_mid_stream]") }),
    ).rejects.toMatchObject({
      status: undefined,
      message: expect.stringContaining("overloaded"),
    });
  });

  it("vllm, sglang, ollama: their reasoning fields, no reasoning counts, no key needed", async () => {
    const expectations: Array<[OpenAICompatibleDialectName, string, string]> = [
      ["vllm", "Qwen/Qwen3-8B", "reasoning"],
      ["sglang", "Qwen/Qwen3-8B", "reasoning_content"],
      ["ollama", "qwen3", "reasoning"],
    ];
    for (const [dialect, model, field] of expectations) {
      const server = await startOpenAICompatibleMock({ dialect });
      servers.push(server);
      const client = new OpenAI({ apiKey: "ignored", baseURL: `${server.url}/v1`, maxRetries: 0 });
      const { join, usage } = await streamed(client, { model, messages: user("What is 2*3?") });
      expect(join(field)).toMatch(/^Let me think/);
      expect(usage).not.toHaveProperty("completion_tokens_details");
    }
  });

  it("ollama: refuses an effort it does not know, with its own message", async () => {
    const server = await startOpenAICompatibleMock({ dialect: "ollama" });
    servers.push(server);
    const client = new OpenAI({ apiKey: "ignored", baseURL: `${server.url}/v1`, maxRetries: 0 });
    await expect(
      client.chat.completions.create({ model: "qwen3", messages: user("x"), reasoning_effort: "max" } as never),
    ).rejects.toMatchObject({ status: 400, message: expect.stringContaining("invalid reasoning value: 'max'") });
  });
});
