import Anthropic, { APIError, BadRequestError, OverloadedError, RateLimitError } from "@anthropic-ai/sdk";
import type { MessageCreateParamsNonStreaming } from "@anthropic-ai/sdk/resources/messages";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { MockServer } from "../http.ts";
import { startAnthropicMock } from "./anthropic-mock.ts";
import { REDACTED_THINKING_TRIGGER } from "./anthropic-mock-script.ts";

let mock: MockServer;
let client: Anthropic;
let legacy: Anthropic;

beforeAll(async () => {
  mock = await startAnthropicMock({ apiKey: "test-key" });
  client = new Anthropic({ apiKey: "test-key", baseURL: mock.url, maxRetries: 0 });
  legacy = new Anthropic({
    apiKey: "test-key",
    baseURL: mock.url,
    maxRetries: 0,
    defaultHeaders: { "anthropic-version": "2023-06-01" },
  });
});
afterAll(() => mock.close());

const ask = (content: string, extra: Record<string, unknown> = {}) =>
  ({
    model: "claude-sonnet-4-6",
    max_tokens: 16_000,
    thinking: { type: "enabled", budget_tokens: 4096, display: "summarized" },
    messages: [{ role: "user", content }],
    ...extra,
  }) as unknown as MessageCreateParamsNonStreaming;

async function refusal(run: () => Promise<unknown>): Promise<APIError> {
  try {
    await run();
  } catch (error) {
    if (error instanceof APIError) return error;
    throw error;
  }
  throw new Error("the mock accepted the request");
}

describe("anthropic mock, through @anthropic-ai/sdk", () => {
  it("answers non-streaming with a signed thinking block, the answer, and additive usage", async () => {
    const message = await client.messages.create(ask("What is 17*23?"));
    expect(message.content.map((b) => b.type)).toEqual(["thinking", "text"]);
    const [thinking, text] = message.content;
    expect(thinking).toMatchObject({ type: "thinking", thinking: expect.stringContaining("Let me think") });
    expect((thinking as { signature: string }).signature).toMatch(/^Eq/);
    expect(text).toMatchObject({ type: "text", text: "The answer is 391." });
    expect(message.stop_reason).toBe("end_turn");
    expect(message.usage).toMatchObject({ cache_read_input_tokens: 0, cache_creation_input_tokens: 0 });
    expect(message.usage.output_tokens).toBeGreaterThan(0);
    expect(message.usage.output_tokens_details).toBeNull();
    // SDK 1.x authenticates with a bearer token and sends the 2026-10-21 version.
    const seen = mock.requests.at(-1);
    expect(seen?.headers.authorization).toBe("Bearer test-key");
    expect(seen?.headers["anthropic-version"]).toBe("2026-10-21");
  });

  it("streams what MessageStream folds into the same message: thinking, signature, redacted block, cumulative usage", async () => {
    const prompt = `Think hard. ${REDACTED_THINKING_TRIGGER}`;
    const stream = client.messages.stream({
      ...ask(prompt),
      model: "claude-opus-4-8",
      thinking: { type: "adaptive", display: "summarized" },
    } as never);
    const deltas: string[] = [];
    const signatures: string[] = [];
    stream.on("thinking", (delta) => deltas.push(delta));
    stream.on("signature", (signature) => signatures.push(signature));
    const final = await stream.finalMessage();
    expect(final.content.map((b) => b.type)).toEqual(["thinking", "redacted_thinking", "text"]);
    expect((final.content[0] as { thinking: string }).thinking).toBe(deltas.join(""));
    expect(signatures).toEqual([(final.content[0] as { signature: string }).signature]);
    expect((final.content[1] as { data: string }).data).toMatch(/^Eq/);
    // message_start carried a placeholder of 1; message_delta's totals replace it.
    expect(final.usage.output_tokens).toBeGreaterThan(1);
    expect(final.usage.output_tokens_details?.thinking_tokens).toBeGreaterThan(0);
    expect(final.usage.output_tokens_details?.thinking_tokens).toBeLessThanOrEqual(final.usage.output_tokens);
  });

  it("accepts x-api-key as well as a bearer token, and refuses a wrong key", async () => {
    const response = await fetch(`${mock.url}/v1/messages`, {
      method: "POST",
      headers: { "x-api-key": "test-key", "anthropic-version": "2023-06-01", "content-type": "application/json" },
      body: JSON.stringify(ask("hi")),
    });
    expect(response.status).toBe(200);
    const wrong = new Anthropic({ apiKey: "nope", baseURL: mock.url, maxRetries: 0 });
    const error = await refusal(() => wrong.messages.create(ask("hi")));
    expect(error.status).toBe(401);
    expect(error.type).toBe("authentication_error");
  });

  it("enforces the thinking budget rules with 400s in Anthropic's error shape", async () => {
    const low = await refusal(() =>
      client.messages.create(ask("x", { thinking: { type: "enabled", budget_tokens: 512 } })),
    );
    expect(low).toBeInstanceOf(BadRequestError);
    expect(low.type).toBe("invalid_request_error");
    expect(low.apiMessage).toMatch(/budget_tokens: Input should be greater than or equal to 1024/);
    const above = await refusal(() =>
      client.messages.create(ask("x", { max_tokens: 4096, thinking: { type: "enabled", budget_tokens: 4096 } })),
    );
    expect(above.apiMessage).toMatch(/^`max_tokens` must be greater than `thinking.budget_tokens`/);
    const manual = await refusal(() => client.messages.create(ask("x", { model: "claude-opus-5-5" })));
    expect(manual.apiMessage).toMatch(/^"thinking.type.enabled" is not supported for this model/);
  });

  it("applies the sampling rules of each API version", async () => {
    const current = await refusal(() => client.messages.create(ask("x", { temperature: 1 })));
    expect(current.apiMessage).toBe("temperature: Extra inputs are not permitted");
    const withThinking = await refusal(() => legacy.messages.create(ask("x", { temperature: 0.5 })));
    expect(withThinking.apiMessage).toMatch(/^`temperature` may only be set to 1 when thinking is enabled/);
    const off = await legacy.messages.create(ask("x", { temperature: 0.5, thinking: { type: "disabled" } }));
    expect(off.content.map((b) => b.type)).toEqual(["text"]);
    expect(mock.requests.at(-1)?.headers["anthropic-version"]).toBe("2023-06-01");
  });

  it("returns thinking with an empty text and a signature when display is omitted", async () => {
    const message = await client.messages.create(
      ask("x", { thinking: { type: "enabled", budget_tokens: 2048, display: "omitted" } }),
    );
    expect(message.content[0]).toMatchObject({
      type: "thinking",
      thinking: "",
      signature: expect.stringMatching(/^Eq/),
    });
  });

  it("enforces the multi-turn thinking-block rules", async () => {
    const first = await client.messages.create(ask("What is 2+3?"));
    const turn = (content: unknown, thinking: unknown = { type: "enabled", budget_tokens: 2048 }) =>
      client.messages.create(
        ask("", {
          thinking,
          messages: [
            { role: "user", content: "What is 2+3?" },
            { role: "assistant", content },
            { role: "user", content: "And 4+4?" },
          ],
        }),
      );
    await expect(turn(first.content)).resolves.toMatchObject({ type: "message" });
    const [block, text] = first.content as [{ thinking: string }, unknown];
    const forged = await refusal(() => turn([{ ...block, thinking: `${block.thinking} (edited)` }, text]));
    expect(forged.apiMessage).toMatch(/Invalid `signature` in `thinking` block/);
    const order = await refusal(() => turn([text, block]));
    expect(order.apiMessage).toMatch(/the first block must be thinking or redacted_thinking\. Found text\./);
  });

  it("answers faults in Anthropic's formats: 429 with retry-after, 529, and an overload inside the stream", async () => {
    const limited = await refusal(() => client.messages.create(ask("x [mock:status=429,retry_after=7]")));
    expect(limited).toBeInstanceOf(RateLimitError);
    expect(limited.headers?.get("retry-after")).toBe("7");
    expect(limited.headers?.get("anthropic-ratelimit-requests-remaining")).toBe("0");
    expect(limited.type).toBe("rate_limit_error");
    const overloaded = await refusal(() => client.messages.create(ask("x [mock:status=529]")));
    expect(overloaded).toBeInstanceOf(OverloadedError);
    expect(overloaded.type).toBe("overloaded_error");

    const stream = await client.messages.create({ ...ask("x [mock:overload_mid_stream]"), stream: true });
    const inStream = await refusal(async () => {
      for await (const _ of stream) {
        // drain
      }
    });
    expect(inStream.status).toBeUndefined();
    expect(inStream.type).toBe("overloaded_error");
  });
});

describe("anthropic mock: tools", () => {
  const tools = [{ name: "lookup", input_schema: { type: "object", properties: { q: { type: "string" } } } }];

  it("calls the tool (streamed input too), answers from its result, and wants the thinking block back", async () => {
    const first = await client.messages.create(ask("Look it up", { tools }));
    expect(first.stop_reason).toBe("tool_use");
    const use = first.content.find((b) => b.type === "tool_use");
    expect(use).toMatchObject({ name: "lookup", input: { q: "Look it up" } });
    const streamed = await client.messages.stream(ask("Look it up", { tools })).finalMessage();
    expect(streamed.content.find((b) => b.type === "tool_use")).toMatchObject({ input: { q: "Look it up" } });
    if (use?.type !== "tool_use") throw new Error("no tool_use");
    const result = { role: "user", content: [{ type: "tool_result", tool_use_id: use.id, content: "42" }] };
    const next = (assistant: unknown[]) =>
      client.messages.create(
        ask("", {
          tools,
          messages: [{ role: "user", content: "Look it up" }, { role: "assistant", content: assistant }, result],
        }),
      );
    const answer = await next(first.content);
    expect(answer.content.at(-1)).toMatchObject({ type: "text", text: "The tool returned: 42." });
    const dropped = await refusal(() => next(first.content.filter((b) => b.type !== "thinking")));
    expect(dropped.message).toContain("must start with a thinking block");
  });

  it("refuses a forced tool choice under manual thinking, and a tool_result that answers no tool_use", async () => {
    const forced = await refusal(() =>
      client.messages.create(ask("Look it up", { tools, tool_choice: { type: "any" } })),
    );
    expect(forced.message).toContain("Thinking may not be enabled when tool_choice forces tool use");
    const orphan = await refusal(() =>
      client.messages.create(
        ask("", {
          tools,
          messages: [{ role: "user", content: [{ type: "tool_result", tool_use_id: "toolu_nope", content: "1" }] }],
        }),
      ),
    );
    expect(orphan.message).toContain("unexpected `tool_use_id`");
  });
});
