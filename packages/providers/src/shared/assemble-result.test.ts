import type { ProviderEvent, ReportedUsage } from "@reasonq/core";
import { describe, expect, it } from "vitest";
import type { ModelInfo } from "../adapter.ts";
import { ResultAssembler } from "./assemble-result.ts";

function modelOf(kind: ModelInfo["reasoning"]["kind"], supported = true): ModelInfo {
  return {
    id: "test/m",
    provider: "test",
    model: "m",
    aliases: [],
    reasoning: { supported, field: supported ? "effort" : null, kind, can_disable: true },
    context_window: 1000,
    max_output_tokens: 100,
    default_max_output_tokens: 50,
    sampling: [],
  };
}

const usage = (output: number, reasoning: number | undefined): ReportedUsage => ({
  input_tokens: 10,
  cached_input_tokens: 0,
  cache_write_tokens: 0,
  output_tokens: output,
  reasoning_tokens: reasoning,
  raw: { out: output },
});

function assemble(model: ModelInfo, events: ProviderEvent[], include = true) {
  const assembler = new ResultAssembler(model, { include });
  for (const event of events) assembler.push(event);
  return assembler;
}

const stream: ProviderEvent[] = [
  { type: "response-id", id: "resp_1" },
  { type: "reasoning-delta", text: "Let me " },
  { type: "reasoning-delta", text: "think." },
  { type: "text-delta", text: "4" },
  { type: "warning", warning: { type: "adapted", message: "effort adapted" } },
  { type: "usage", usage: usage(3, 1) },
  { type: "usage", usage: usage(7, 5) },
  { type: "finish", reason: "stop", raw: "end_turn" },
];

describe("ResultAssembler", () => {
  it("folds a finished stream into the output", () => {
    const result = assemble(modelOf("full"), stream).result();
    expect(result.output).toEqual({
      schema_version: 1,
      answer: "4",
      reasoning: "Let me think.",
      reasoning_kind: "full",
      thinking_blocks: [],
      tool_calls: [],
      finish_reason: "stop",
      provider_finish_reason: "end_turn",
      provider_response_id: "resp_1",
      provider_metadata: { raw_usage: { out: 7 } },
    });
    expect(result.reported?.output_tokens).toBe(7);
    expect(result.usage).toMatchObject({ output_tokens: 7, reasoning_tokens: 5, answer_tokens: 2 });
    expect(result.warnings).toEqual([{ type: "adapted", message: "effort adapted" }]);
  });

  it("exposes the partial state of an unfinished attempt", () => {
    const assembler = assemble(modelOf("full"), stream.slice(0, 4));
    expect(assembler.reasoningText).toBe("Let me think.");
    expect(assembler.answerText).toBe("4");
    expect(assembler.responseId).toBe("resp_1");
    expect(assembler.finished).toBe(false);
    const { output, usage: u } = assembler.result();
    expect(output.finish_reason).toBe("error");
    expect(output.provider_finish_reason).toBeNull();
    expect(u).toBeNull();
    expect(assembler.result("cancelled").output.finish_reason).toBe("cancelled");
  });

  it("keeps thinking blocks verbatim and falls back to their text", () => {
    const blocks: ProviderEvent[] = [
      { type: "thinking-block", block: { type: "thinking", thinking: "step one", signature: "sig==" } },
      { type: "thinking-block", block: { type: "redacted_thinking", data: "opaque" } },
      { type: "usage", usage: usage(9, undefined) },
    ];
    const result = assemble(modelOf("summary"), blocks).result();
    expect(result.output.reasoning).toBe("step one");
    expect(result.output.thinking_blocks).toEqual([
      { type: "thinking", thinking: "step one", signature: "sig==", provider: "test" },
      { type: "redacted_thinking", data: "opaque", provider: "test" },
    ]);
    expect(result.output.reasoning_kind).toBe("summary");
    // No answer arrived: all of the billed output is reasoning.
    expect(result.usage).toMatchObject({ reasoning_tokens: 9, reasoning_tokens_source: "estimated" });
  });

  describe("reasoning_kind", () => {
    const kind = (model: ModelInfo, events: ProviderEvent[], include = true) =>
      assemble(model, events, include).result().output.reasoning_kind;

    it("is none for a model that does not reason", () => {
      expect(kind(modelOf("none", false), stream)).toBe("none");
    });

    it("is hidden when reasoning was billed but no text came", () => {
      expect(kind(modelOf("full"), [{ type: "usage", usage: usage(10, 8) }])).toBe("hidden");
      expect(kind(modelOf("hidden"), [{ type: "usage", usage: usage(10, 8) }])).toBe("hidden");
    });

    it("is hidden, with the text dropped, when include is false", () => {
      const result = assemble(modelOf("full"), stream, false).result();
      expect(result.output.reasoning_kind).toBe("hidden");
      expect(result.output.reasoning).toBe("");
      expect(result.usage?.reasoning_tokens).toBe(5);
    });

    it("is hidden when only redacted thinking arrived", () => {
      expect(kind(modelOf("full"), [{ type: "thinking-block", block: { type: "redacted_thinking", data: "x" } }])).toBe(
        "hidden",
      );
    });

    it("is none when no reasoning happened", () => {
      expect(
        kind(modelOf("full"), [
          { type: "text-delta", text: "hi" },
          { type: "usage", usage: usage(1, 0) },
        ]),
      ).toBe("none");
    });
  });
});
