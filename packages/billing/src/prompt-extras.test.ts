import type { Message, Tool } from "@reasonq/core";
import { countTokens } from "gpt-tokenizer";
import { describe, expect, it } from "vitest";
import { countInputTokens, estimateMaxCost } from "./estimate-cost.ts";
import { DEFAULT_IMAGE_INPUT_TOKENS, IMAGE_INPUT_TOKENS, TOOL_SYSTEM_PROMPT_TOKENS } from "./prompt-extras.ts";

const NOW = new Date("2026-11-22T12:00:00Z");
const image = { type: "image" as const, image: { url: "https://example.com/a.png" } };
const withImages = (n: number): Message[] => [
  {
    role: "user",
    content: "What is in these images?",
    parts: [{ type: "text", text: "What is in these images?" }, ...Array.from({ length: n }, () => image)],
  },
];
const WEATHER: Tool = {
  type: "function",
  function: {
    name: "get_weather",
    description: "The weather in a city",
    parameters: { type: "object", properties: { city: { type: "string" } }, required: ["city"] },
  },
};

describe("the pre-flight estimate counts images and tools", () => {
  it.each([
    ["openai/o4-mini", IMAGE_INPUT_TOKENS.openai],
    ["anthropic/claude-sonnet-4-6", IMAGE_INPUT_TOKENS.anthropic],
    ["google/gemini-2.5-flash", IMAGE_INPUT_TOKENS.google],
    ["xai/grok-4", IMAGE_INPUT_TOKENS.xai],
    ["openrouter/anthropic/claude-sonnet-4.5", DEFAULT_IMAGE_INPUT_TOKENS],
  ])("%s: each image adds its family's per-image tokens, unpadded", (modelId, perImage) => {
    const text = estimateMaxCost({ modelId, messages: withImages(0), maxOutputTokens: 0, at: NOW });
    const three = estimateMaxCost({ modelId, messages: withImages(3), maxOutputTokens: 0, at: NOW });
    expect(three.images).toBe(3);
    expect(three.countedInputTokens).toBe(text.countedInputTokens);
    expect(three.inputTokens - text.inputTokens).toBe(3 * (perImage as number));
  });

  it("counts tool definitions as their JSON text, padded, plus Anthropic's tool system prompt", () => {
    const messages = [{ role: "user", content: "Weather in Paris?" }];
    for (const modelId of ["openai/o4-mini", "anthropic/claude-sonnet-4-6"]) {
      const bare = estimateMaxCost({ modelId, messages, maxOutputTokens: 0, at: NOW });
      const tooled = estimateMaxCost({ modelId, messages, tools: [WEATHER], maxOutputTokens: 0, at: NOW });
      const definition = countTokens(JSON.stringify(WEATHER.function));
      expect(tooled.countedInputTokens - bare.countedInputTokens).toBe(definition);
      const family = modelId.split("/")[0] as string;
      expect(tooled.inputTokens - bare.inputTokens).toBeGreaterThanOrEqual(
        definition + (TOOL_SYSTEM_PROMPT_TOKENS[family] ?? 0),
      );
    }
  });

  it("counts the calls of earlier assistant turns", () => {
    const call = {
      id: "call_1",
      type: "function" as const,
      function: { name: "get_weather", arguments: '{"city":"Paris"}' },
    };
    const turns: Message[] = [
      { role: "user", content: "Weather in Paris?" },
      { role: "assistant", content: "", tool_calls: [call] },
    ];
    const estimate = estimateMaxCost({ modelId: "openai/o4-mini", messages: turns, maxOutputTokens: 0, at: NOW });
    expect(estimate.countedInputTokens).toBe(
      countInputTokens(turns) + countTokens("get_weather") + countTokens('{"city":"Paris"}'),
    );
  });
});
