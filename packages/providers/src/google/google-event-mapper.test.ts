import { readFileSync } from "node:fs";
import type { ProviderEvent } from "@reasonq/core";
import { describe, expect, it } from "vitest";
import fixture from "./__fixtures__/google-reasoning.json" with { type: "json" };
import { GoogleEventMapper, mapGoogleResponse } from "./google-event-mapper.ts";

/** The recorded-shape stream, one parsed chunk per `data:` line. */
function chunksOf(name: string): unknown[] {
  const text = readFileSync(new URL(`./__fixtures__/${name}`, import.meta.url), "utf8");
  return text
    .split(/\r?\n\r?\n/)
    .filter((event) => event.startsWith("data:"))
    .map((event) => JSON.parse(event.slice("data:".length)) as unknown);
}

function streamed(chunks: unknown[]): ProviderEvent[] {
  const mapper = new GoogleEventMapper();
  return [...chunks.flatMap((c) => mapper.push(c)), ...mapper.end()];
}

describe("GoogleEventMapper", () => {
  it("maps a generateContent response: thoughts, answer, signature verbatim, usage, finish", () => {
    expect(mapGoogleResponse(fixture)).toEqual([
      { type: "response-id", id: "YH6LaZT7ENmPxN8P-r2J8Aw" },
      { type: "reasoning-delta", text: "**Counting letters**\nI'm scanning s-t-r-a-w-b-e-r-r-y ..." },
      { type: "text-delta", text: "There are 3 r's in strawberry." },
      {
        type: "thinking-block",
        block: {
          type: "thinking",
          thinking: "**Counting letters**\nI'm scanning s-t-r-a-w-b-e-r-r-y ...",
          signature: "EvsFCvgFAb4+9vtg...",
        },
      },
      {
        type: "usage",
        usage: expect.objectContaining({ input_tokens: 9, output_tokens: 290, reasoning_tokens: 282 }),
      },
      { type: "finish", reason: "stop", raw: "STOP" },
    ]);
  });

  it("maps a stream chunk by chunk, one response id, finish last", () => {
    const events = streamed(chunksOf("google-reasoning.chunks.txt"));
    expect(events.filter((e) => e.type === "response-id")).toEqual([{ type: "response-id", id: "r1" }]);
    expect(events.filter((e) => e.type === "text-delta").map((e) => e.text)).toEqual([
      "There are 3",
      " r's in strawberry.",
    ]);
    expect(events.filter((e) => e.type === "usage").map((e) => e.usage.output_tokens)).toEqual([282, 286, 290]);
    expect(events.at(-1)).toEqual({ type: "finish", reason: "stop", raw: "STOP" });
    expect(events.find((e) => e.type === "thinking-block")).toEqual({
      type: "thinking-block",
      block: { type: "thinking", thinking: "**Counting letters**\n...", signature: "EvsF..." },
    });
  });

  it("keeps a signature that arrives on an empty trailing part", () => {
    const events = streamed(chunksOf("google-trailing-signature.chunks.txt"));
    expect(events.filter((e) => e.type === "text-delta").map((e) => e.text)).toEqual(["Rayleigh scattering."]);
    const blocks = events.filter((e) => e.type === "thinking-block");
    expect(blocks).toHaveLength(1);
    expect(blocks[0]).toMatchObject({
      block: { signature: "CiQBcsjafE2x...", thinking: expect.stringContaining("Weighing") },
    });
  });

  it("is not finished until a finish reason arrives; a blocked prompt is content_filter", () => {
    const mapper = new GoogleEventMapper();
    mapper.push(chunksOf("google-reasoning.chunks.txt")[0]);
    expect(mapper.finished).toBe(false);
    expect(mapper.end()).toEqual([]);
    expect(mapGoogleResponse({ promptFeedback: { blockReason: "PROHIBITED_CONTENT" } }).at(-1)).toEqual({
      type: "finish",
      reason: "content_filter",
      raw: "PROHIBITED_CONTENT",
    });
  });

  it("turns a function call into a tool call, its signature naming the call", () => {
    const events = mapGoogleResponse({
      candidates: [
        {
          content: { parts: [{ functionCall: { id: "fc1", name: "f", args: { a: 1 } }, thoughtSignature: "SIG" }] },
          finishReason: "STOP",
        },
      ],
    });
    expect(events).toEqual([
      { type: "tool-call", call: { id: "fc1", type: "function", function: { name: "f", arguments: '{"a":1}' } } },
      { type: "thinking-block", block: { type: "thinking", thinking: "", signature: "SIG", tool_call_id: "fc1" } },
      { type: "finish", reason: "stop", raw: "STOP" },
    ]);
  });

  it("ignores what it does not read", () => {
    expect(
      mapGoogleResponse({ candidates: [{ content: { parts: [{ executableCode: { code: "1" } }, 7, null] } }] }),
    ).toEqual([]);
    expect(new GoogleEventMapper().push("not a chunk")).toEqual([]);
  });
});
