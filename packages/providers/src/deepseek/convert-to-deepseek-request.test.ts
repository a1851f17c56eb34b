import type { JobSpec, Message } from "@reasonq/core";
import { describe, expect, it } from "vitest";
import { convertDeepSeekMessages, convertToDeepSeekRequest } from "./convert-to-deepseek-request.ts";
import { DEEPSEEK_MODELS } from "./deepseek-models.ts";

const v4 = DEEPSEEK_MODELS.find((m) => m.model === "deepseek-v4-flash");
const r1 = DEEPSEEK_MODELS.find((m) => m.model === "deepseek-reasoner");
if (v4 === undefined || r1 === undefined) throw new Error("catalog entries missing");

const call = { id: "call_1", type: "function" as const, function: { name: "lookup", arguments: "{}" } };
const conversation: Message[] = [
  { role: "developer", content: "Be brief." },
  { role: "user", content: "Weather in Paris?" },
  { role: "assistant", content: "", reasoning_content: "I should call lookup.", tool_calls: [call] },
  { role: "tool", tool_call_id: "call_1", content: "sunny" },
  { role: "assistant", content: "Sunny.", reasoning_content: "It said sunny." },
  { role: "user", content: "And tomorrow?" },
];

describe("convertDeepSeekMessages: passing reasoning_content back (providers.md §5.6)", () => {
  it("V4: sends it back on assistant turns with tool calls, and only there", () => {
    const { messages, warnings } = convertDeepSeekMessages(conversation, v4);
    expect(messages).toEqual([
      { role: "system", content: "Be brief." },
      { role: "user", content: "Weather in Paris?" },
      { role: "assistant", content: null, reasoning_content: "I should call lookup.", tool_calls: [call] },
      { role: "tool", tool_call_id: "call_1", content: "sunny" },
      { role: "assistant", content: "Sunny." },
      { role: "user", content: "And tomorrow?" },
    ]);
    expect(warnings).toEqual([]);
  });

  it("V4: sends an empty reasoning_content, with a warning, when the conversation did not keep it", () => {
    const { messages, warnings } = convertDeepSeekMessages(
      [
        { role: "user", content: "q" },
        { role: "assistant", content: "", tool_calls: [call] },
        { role: "user", content: "q2" },
      ],
      v4,
    );
    expect(messages[1]).toEqual({ role: "assistant", content: null, reasoning_content: "", tool_calls: [call] });
    expect(warnings).toEqual([expect.objectContaining({ type: "adapted", field: "messages" })]);
  });

  it("R1 era: never sends reasoning_content", () => {
    const { messages } = convertDeepSeekMessages(conversation, r1);
    expect(messages.some((m) => "reasoning_content" in m)).toBe(false);
    expect(messages[2]).toEqual({ role: "assistant", content: null, tool_calls: [call] });
  });

  it("leaves today's plain messages untouched", () => {
    const plain: JobSpec["messages"] = [
      { role: "user", content: "a" },
      { role: "assistant", content: "b" },
      { role: "user", content: "c" },
    ];
    expect(convertDeepSeekMessages(plain, v4).messages).toEqual(plain);
  });
});

describe("convertToDeepSeekRequest", () => {
  const spec: JobSpec = {
    model: "deepseek/deepseek-v4-flash",
    messages: [{ role: "user", content: "hi" }],
    reasoning: { include: true, enabled: true, effort: "max" },
    sampling: { stop: ["END"] },
    max_output_tokens: 4_000,
    metadata: {},
  };

  it("builds the body and the resolved params (transport fields excluded)", () => {
    const prepared = convertToDeepSeekRequest(spec, v4, "sk-x");
    expect(prepared.body).toEqual({
      model: "deepseek-v4-flash",
      messages: [{ role: "user", content: "hi" }],
      max_tokens: 4_000,
      thinking: { type: "enabled" },
      reasoning_effort: "max",
      stop: ["END"],
    });
    expect(prepared.resolvedParams).toEqual({
      max_tokens: 4_000,
      thinking: { type: "enabled" },
      reasoning_effort: "max",
      stop: ["END"],
    });
  });

  it("refuses sampling fields on a model that lists none", () => {
    expect(() => convertToDeepSeekRequest({ ...spec, sampling: { temperature: 1 } }, r1, "sk-x")).toThrow(
      expect.objectContaining({ type: "unsupported_parameter", field: "temperature" }),
    );
  });
});
