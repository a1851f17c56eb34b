import type { JobSpec, Message } from "@reasonq/core";
import { describe, expect, it } from "vitest";
import { ANTHROPIC_MODELS } from "../anthropic/anthropic-models.ts";
import { convertToAnthropicRequest } from "../anthropic/convert-to-anthropic-request.ts";
import { toGeminiContents, toGeminiTools } from "../google/convert-google-contents.ts";
import { convertResponsesInput, convertResponsesTools } from "../openai/convert-openai-messages.ts";
import { toChatMessages } from "./chat-messages.ts";
import { ToolCallAccumulator } from "./tool-call-deltas.ts";

const call = { id: "call_1", type: "function" as const, function: { name: "lookup", arguments: '{"q":"x"}' } };
const thinking = { type: "thinking" as const, thinking: "Let me look.", signature: "EqSig", provider: "anthropic" };
const conversation: Message[] = [
  { role: "system", content: "Be brief." },
  { role: "user", content: "Look it up" },
  { role: "assistant", content: "", thinking_blocks: [thinking], tool_calls: [call] },
  { role: "tool", tool_call_id: "call_1", content: "42" },
];
const tools = [{ type: "function" as const, function: { name: "lookup", parameters: { type: "object" } } }];

describe("Anthropic messages", () => {
  const sonnet = ANTHROPIC_MODELS.find((m) => m.model === "claude-sonnet-4-6");
  if (sonnet === undefined) throw new Error("catalog entry missing");
  const prepare = (spec: Partial<JobSpec>) =>
    convertToAnthropicRequest(
      {
        model: sonnet.id,
        messages: conversation,
        reasoning: { include: true, enabled: true, budget_tokens: 2000 },
        sampling: {},
        metadata: {},
        ...spec,
      },
      sonnet,
      { apiVersion: "2026-10-21", promptCaching: false },
    );

  it("puts the kept blocks first, verbatim without reasonq's tag, then tool_use; results become tool_result", () => {
    const body = prepare({ tools, tool_choice: "auto" }).body;
    expect(body.system).toBe("Be brief.");
    expect(body.messages).toEqual([
      { role: "user", content: "Look it up" },
      {
        role: "assistant",
        content: [
          { type: "thinking", thinking: "Let me look.", signature: "EqSig" },
          { type: "tool_use", id: "call_1", name: "lookup", input: { q: "x" } },
        ],
      },
      { role: "user", content: [{ type: "tool_result", tool_use_id: "call_1", content: "42" }] },
    ]);
    expect(body.tools).toEqual([{ name: "lookup", input_schema: { type: "object" } }]);
    expect(body.tool_choice).toEqual({ type: "auto" });
  });

  it("refuses a forced tool choice with manual thinking, before any call", () => {
    expect(() => prepare({ tools, tool_choice: "required" })).toThrow(/tool_choice forces tool use/);
  });
});

describe("Gemini contents", () => {
  it("puts a call's signature on its functionCall part, and names the function of each result", () => {
    const signed = {
      type: "thinking" as const,
      thinking: "",
      signature: "GSig",
      tool_call_id: "call_1",
      provider: "google",
    };
    const messages: Message[] = [
      ...conversation.slice(0, 2),
      { ...(conversation[2] as Message), thinking_blocks: [signed] },
      conversation[3] as Message,
    ];
    expect(toGeminiContents(messages)).toEqual([
      { role: "user", parts: [{ text: "Look it up" }] },
      { role: "model", parts: [{ functionCall: { name: "lookup", args: { q: "x" } }, thoughtSignature: "GSig" }] },
      { role: "user", parts: [{ functionResponse: { name: "lookup", response: { result: "42" } } }] },
    ]);
    expect(toGeminiTools(tools, "required")).toEqual({
      tools: [{ functionDeclarations: [{ name: "lookup", parametersJsonSchema: { type: "object" } }] }],
      toolConfig: { functionCallingConfig: { mode: "ANY" } },
    });
  });
});

describe("OpenAI messages", () => {
  it("Responses: reasoning items verbatim, then function_call and function_call_output items", () => {
    const item = { type: "reasoning" as const, id: "rs_1", summary: [], encrypted_content: "gAAA", provider: "openai" };
    const messages: Message[] = [
      conversation[1] as Message,
      { ...(conversation[2] as Message), thinking_blocks: [item] },
      conversation[3] as Message,
    ];
    expect(convertResponsesInput(messages)).toEqual([
      { role: "user", content: "Look it up" },
      { type: "reasoning", id: "rs_1", summary: [], encrypted_content: "gAAA" },
      { type: "function_call", call_id: "call_1", name: "lookup", arguments: '{"q":"x"}' },
      { type: "function_call_output", call_id: "call_1", output: "42" },
    ]);
    expect(convertResponsesTools(tools, { type: "function", function: { name: "lookup" } })).toEqual({
      tools: [{ type: "function", name: "lookup", parameters: { type: "object" }, strict: false }],
      tool_choice: { type: "function", name: "lookup" },
    });
  });

  it("Chat: tool calls with null content, tool results with their id", () => {
    expect(toChatMessages(conversation, "developer")).toEqual([
      { role: "developer", content: "Be brief." },
      { role: "user", content: "Look it up" },
      { role: "assistant", content: null, tool_calls: [call] },
      { role: "tool", tool_call_id: "call_1", content: "42" },
    ]);
  });

  it("folds streamed tool_calls fragments into whole calls", () => {
    const tools = new ToolCallAccumulator();
    tools.push([{ index: 0, id: "call_9", type: "function", function: { name: "lookup", arguments: "" } }]);
    tools.push([{ index: 0, function: { arguments: '{"q":' } }]);
    tools.push([{ index: 0, function: { arguments: '"x"}' } }]);
    expect(tools.events()).toEqual([
      {
        type: "tool-call",
        call: { id: "call_9", type: "function", function: { name: "lookup", arguments: '{"q":"x"}' } },
      },
    ]);
  });
});
