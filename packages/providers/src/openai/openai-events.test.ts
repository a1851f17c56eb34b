import { readFileSync } from "node:fs";
import type { ProviderEvent } from "@reasonq/core";
import { describe, expect, it } from "vitest";
import type { ModelInfo } from "../adapter.ts";
import { ResultAssembler } from "../shared/assemble-result.ts";
import { mapOpenAIResponse } from "./openai-adapter.ts";
import { ChatStreamMapper } from "./openai-chat-events.ts";
import { OPENAI_MODELS } from "./openai-models.ts";
import { ResponsesStreamMapper } from "./openai-responses-events.ts";

// Replays the recorded-shape samples in __fixtures__ (see its README for their sources).
const fixture = (name: string) => readFileSync(new URL(`./__fixtures__/${name}`, import.meta.url), "utf8");
const json = (name: string): unknown => JSON.parse(fixture(name));

/** The `data:` payloads of an SSE text, up to `[DONE]`. */
function sse(text: string): unknown[] {
  const out: unknown[] = [];
  for (const block of text.split("\n\n")) {
    const data = block
      .split("\n")
      .filter((line) => line.startsWith("data: "))
      .map((line) => line.slice("data: ".length))
      .join("\n");
    if (data === "") continue;
    if (data === "[DONE]") break;
    out.push(JSON.parse(data));
  }
  return out;
}

function replay(mapper: ChatStreamMapper | ResponsesStreamMapper, items: unknown[]): ProviderEvent[] {
  return [...items.flatMap((item) => mapper.push(item)), ...mapper.end()];
}

function model(name: string): ModelInfo {
  return OPENAI_MODELS.find((m) => m.model === name) as ModelInfo;
}

function assemble(m: ModelInfo, events: ProviderEvent[]) {
  const assembler = new ResultAssembler(m, { include: true });
  for (const event of events) assembler.push(event);
  return assembler.result();
}

describe("Chat Completions samples", () => {
  it("stream and complete body assemble to the same hidden-reasoning result", () => {
    const streamed = assemble(
      model("o4-mini"),
      replay(new ChatStreamMapper(), sse(fixture("openai-chat-o4-mini.chunks.txt"))),
    );
    const whole = assemble(model("o4-mini"), mapOpenAIResponse(json("openai-chat-o4-mini.json")));
    expect(streamed).toEqual(whole);
    expect(whole.output).toMatchObject({
      answer: "The answer is 42.",
      reasoning: "",
      reasoning_kind: "hidden",
      finish_reason: "stop",
      provider_finish_reason: "stop",
      provider_response_id: "chatcmpl-Bx7",
    });
    expect(whole.usage).toEqual({
      input_tokens: 120,
      cached_input_tokens: 64,
      cache_write_tokens: 0,
      output_tokens: 580,
      reasoning_tokens: 512,
      answer_tokens: 68,
      reasoning_tokens_source: "provider",
    });
  });

  it("a length finish with no content stays length with an empty answer", () => {
    const result = assemble(model("o3-mini"), mapOpenAIResponse(json("openai-chat-length.json")));
    expect(result.output).toMatchObject({ answer: "", finish_reason: "length", reasoning_kind: "hidden" });
    expect(result.usage).toMatchObject({ output_tokens: 2000, reasoning_tokens: 2000, answer_tokens: 0 });
  });

  it("a stream without its finish or usage chunk counts as dropped", () => {
    const chunks = sse(fixture("openai-chat-o4-mini.chunks.txt"));
    expect(() => replay(new ChatStreamMapper(), chunks.slice(0, 3))).toThrow(
      expect.objectContaining({ type: "provider_stream_dropped" }),
    );
    expect(() => replay(new ChatStreamMapper(), chunks.slice(0, 4))).toThrow(/usage chunk/);
  });
});

describe("Responses samples", () => {
  it("stream and complete body assemble to the same summary, answer and usage", () => {
    const events = replay(new ResponsesStreamMapper(), sse(fixture("openai-responses-gpt-5.2.chunks.txt")));
    const streamed = assemble(model("gpt-5.2"), events);
    const whole = assemble(model("gpt-5.2"), mapOpenAIResponse(json("openai-responses-gpt-5.2.json")));
    expect(streamed).toEqual(whole);
    expect(whole.output.reasoning).toBe(
      "**Recalling Euclid**\n\nI will assume a finite list of primes.\n\n**Building the contradiction**\n\nTheir product plus one has a prime factor outside the list.",
    );
    expect(whole.output).toMatchObject({
      reasoning_kind: "summary",
      finish_reason: "stop",
      provider_response_id: "resp_68a1",
    });
    expect(whole.output.answer).toMatch(/^Suppose the primes were finite/);
    expect(whole.usage).toMatchObject({ output_tokens: 1186, reasoning_tokens: 1024, answer_tokens: 162 });
  });

  it("an incomplete response is a length finish with the summary kept and no answer", () => {
    const result = assemble(model("o3"), mapOpenAIResponse(json("openai-responses-incomplete.json")));
    expect(result.output).toMatchObject({
      answer: "",
      reasoning: "**Exploring cases**\n\nThere are many cases to check.",
      finish_reason: "length",
      provider_finish_reason: "max_output_tokens",
    });
  });

  it("response.failed throws the classified failure", () => {
    expect(() => replay(new ResponsesStreamMapper(), sse(fixture("openai-responses-failed.chunks.txt")))).toThrow(
      expect.objectContaining({ type: "provider_overloaded" }),
    );
  });

  it("a stream without a terminal event counts as dropped", () => {
    const events = sse(fixture("openai-responses-gpt-5.2.chunks.txt"));
    expect(() => replay(new ResponsesStreamMapper(), events.slice(0, -1))).toThrow(
      expect.objectContaining({ type: "provider_stream_dropped" }),
    );
  });
});

it("mapOpenAIResponse refuses a body of another shape", () => {
  expect(() => mapOpenAIResponse({ type: "message" })).toThrow(expect.objectContaining({ type: "invalid_request" }));
});
