import { describe, expect, it } from "vitest";
import { type ChatDialect, ChatEventMapper } from "./chat-completion-events.ts";
import { convertOpenAICompatibleUsage } from "./convert-openai-compatible-usage.ts";
import { mapOpenAICompatibleFinishReason } from "./map-openai-compatible-finish-reason.ts";

const dialect = (fields: ChatDialect["reasoningFields"]): ChatDialect => ({
  provider: "test",
  reasoningFields: fields,
  convertUsage: (raw) => convertOpenAICompatibleUsage(raw, "includes_reasoning"),
  mapFinish: mapOpenAICompatibleFinishReason,
});
const chunk = (delta: object, finish: string | null = null, extra: object = {}) => ({
  id: "c1",
  choices: [{ index: 0, delta, finish_reason: finish }],
  ...extra,
});

describe("ChatEventMapper", () => {
  it("reads the first reasoning field present, and holds usage and finish to the end", () => {
    const mapper = new ChatEventMapper(dialect(["reasoning", "reasoning_content"]));
    expect(mapper.push(chunk({ role: "assistant", content: "" }))).toEqual([{ type: "response-id", id: "c1" }]);
    expect(mapper.push(chunk({ reasoning_content: "old " }))).toEqual([{ type: "reasoning-delta", text: "old " }]);
    expect(mapper.push(chunk({ reasoning: "new", reasoning_content: "ignored" }))).toEqual([
      { type: "reasoning-delta", text: "new" },
    ]);
    expect(mapper.push(chunk({ content: "4" }, "stop"))).toEqual([{ type: "text-delta", text: "4" }]);
    expect(mapper.push({ id: "c1", choices: [], usage: { prompt_tokens: 3, completion_tokens: 5 } })).toEqual([]);
    expect(mapper.end()).toEqual([
      {
        type: "usage",
        usage: expect.objectContaining({ input_tokens: 3, output_tokens: 5, reasoning_tokens: undefined }),
      },
      { type: "finish", reason: "stop", raw: "stop" },
    ]);
  });

  it("fails a stream that ended without a finish reason as dropped", () => {
    const mapper = new ChatEventMapper(dialect(["reasoning"]));
    mapper.push(chunk({ reasoning: "thinking" }));
    expect(() => mapper.end()).toThrow(expect.objectContaining({ type: "provider_stream_dropped" }));
  });

  it("treats a reasoning count of 0 beside reasoning text as unknown", () => {
    const mapper = new ChatEventMapper(dialect(["reasoning"]));
    mapper.push(
      chunk({ reasoning: "hmm" }, "stop", {
        usage: { completion_tokens: 9, completion_tokens_details: { reasoning_tokens: 0 } },
      }),
    );
    expect(mapper.end()[0]).toMatchObject({ type: "usage", usage: { reasoning_tokens: undefined } });
  });

  it("merges streamed reasoning_details fragments by index and type, taking the text from them when alone", () => {
    const mapper = new ChatEventMapper(dialect(["reasoning", "reasoning_details"]));
    const events = [
      ...mapper.push(chunk({ reasoning_details: [{ type: "reasoning.text", text: "a", index: 0 }] })),
      ...mapper.push(chunk({ reasoning_details: [{ type: "reasoning.text", text: "b", index: 0, signature: null }] })),
      ...mapper.push(chunk({ reasoning_details: [{ type: "reasoning.text", text: "", index: 0, signature: "sig" }] })),
      ...mapper.push(chunk({ reasoning_details: [{ type: "reasoning.encrypted", data: "opaque", index: 1 }] }, "stop")),
      ...mapper.end(),
    ];
    expect(events.filter((e) => e.type === "reasoning-delta")).toEqual([
      { type: "reasoning-delta", text: "a" },
      { type: "reasoning-delta", text: "b" },
    ]);
    expect(events.filter((e) => e.type === "thinking-block")).toEqual([
      {
        type: "thinking-block",
        block: {
          type: "thinking",
          thinking: "ab",
          signature: "sig",
          detail: { type: "reasoning.text", text: "ab", index: 0, signature: "sig" },
        },
      },
      {
        type: "thinking-block",
        block: {
          type: "redacted_thinking",
          data: "opaque",
          detail: { type: "reasoning.encrypted", data: "opaque", index: 1 },
        },
      },
    ]);
  });

  it("maps a non-streaming message the same way", () => {
    const events = new ChatEventMapper(dialect(["reasoning_content"])).mapResponse({
      id: "r1",
      choices: [
        {
          index: 0,
          message: { role: "assistant", content: "hi", reasoning_content: "think" },
          finish_reason: "length",
        },
      ],
      usage: { prompt_tokens: 1, completion_tokens: 2, completion_tokens_details: { reasoning_tokens: 1 } },
    });
    expect(events).toEqual([
      { type: "response-id", id: "r1" },
      { type: "reasoning-delta", text: "think" },
      { type: "text-delta", text: "hi" },
      { type: "usage", usage: expect.objectContaining({ output_tokens: 2, reasoning_tokens: 1 }) },
      { type: "finish", reason: "length", raw: "length" },
    ]);
  });
});
