import type { JobSpec } from "@reasonq/core";
import { describe, expect, it } from "vitest";
import type { ModelInfo, PreparedRequest, ProviderAdapter } from "../adapter.ts";
import { prepareConversation } from "./prepare-conversation.ts";

const model = (extra: Partial<ModelInfo> = {}): ModelInfo => ({
  id: "anthropic/m",
  provider: "anthropic",
  model: "m",
  aliases: [],
  reasoning: { supported: true, field: null, kind: "summary", can_disable: true },
  context_window: 1000,
  max_output_tokens: 100,
  default_max_output_tokens: 10,
  sampling: [],
  ...extra,
});

/** Records what the family's own prepare was given. */
function recorder() {
  const seen: JobSpec[] = [];
  const adapter = {
    family: "anthropic",
    prepare: (spec: JobSpec, m: ModelInfo): PreparedRequest => {
      seen.push(spec);
      return { model: m, resolvedParams: {}, warnings: [], body: {} };
    },
  } as unknown as ProviderAdapter;
  return { adapter, seen };
}

const base: JobSpec = {
  model: "anthropic/m",
  messages: [{ role: "user", content: "q" }],
  reasoning: { include: true, enabled: true },
  sampling: {},
  metadata: {},
};

describe("prepareConversation", () => {
  it("drops another provider's blocks with a warning and keeps the model's own", () => {
    const { adapter, seen } = recorder();
    const own = { type: "thinking" as const, thinking: "a", signature: "s", provider: "anthropic" };
    const legacy = { type: "redacted_thinking" as const, data: "d" };
    const foreign = { type: "reasoning" as const, id: "rs_1", provider: "openai" };
    const prepared = prepareConversation(
      adapter,
      {
        ...base,
        messages: [...base.messages, { role: "assistant", content: "x", thinking_blocks: [own, legacy, foreign] }],
      },
      model(),
    );
    expect(seen[0]?.messages[1]?.thinking_blocks).toEqual([own, legacy]);
    expect(prepared.warnings).toEqual([
      expect.objectContaining({ field: "messages.1.thinking_blocks", message: expect.stringContaining("openai") }),
    ]);
  });

  it("refuses images for a model without image input", () => {
    const { adapter } = recorder();
    const spec: JobSpec = {
      ...base,
      messages: [{ role: "user", content: "", parts: [{ type: "image", image: { url: "https://x/a.png" } }] }],
    };
    expect(() => prepareConversation(adapter, spec, model())).toThrow(/does not take image input/);
    expect(() => prepareConversation(adapter, spec, model({ images: true }))).not.toThrow();
  });

  it("refuses a data: image of a type the model does not read, naming the part; an https URL passes", () => {
    const { adapter } = recorder();
    const image = (url: string, media_type: string) => ({
      type: "image" as const,
      image: { url, data: { media_type, base64: "R0lGODlh" } },
    });
    const jpegPng = model({ images: true, image_media_types: ["image/jpeg", "image/png"] });
    const gif: JobSpec = {
      ...base,
      messages: [{ role: "user", content: "q", parts: [{ type: "text", text: "q" }, image("data:…", "image/gif")] }],
    };
    expect(() => prepareConversation(adapter, gif, jpegPng)).toThrow(
      /reads image\/jpeg and image\/png images, not image\/gif/,
    );
    try {
      prepareConversation(adapter, gif, jpegPng);
    } catch (error) {
      expect(error).toMatchObject({ type: "unsupported_parameter", field: "messages.0.content.1.image_url.url" });
    }
    const png: JobSpec = { ...base, messages: [{ role: "user", content: "", parts: [image("data:…", "image/png")] }] };
    expect(() => prepareConversation(adapter, png, jpegPng)).not.toThrow();
    const remote: JobSpec = {
      ...base,
      messages: [{ role: "user", content: "", parts: [{ type: "image", image: { url: "https://x/a.gif" } }] }],
    };
    expect(() => prepareConversation(adapter, remote, jpegPng)).not.toThrow();
  });

  it("runs reasoning_effort none at the lowest effort on a model that cannot turn thinking off", () => {
    const { adapter, seen } = recorder();
    const off = { ...base, reasoning: { include: true, enabled: false, off_by_effort: true } };
    const always = model({ reasoning: { supported: true, field: null, kind: "summary", can_disable: false } });
    const prepared = prepareConversation(adapter, off, always);
    expect(seen[0]?.reasoning).toEqual({ include: true, enabled: true, effort: "minimal" });
    expect(prepared.warnings[0]).toMatchObject({ field: "reasoning_effort" });
    prepareConversation(adapter, off, model());
    expect(seen[1]?.reasoning.enabled).toBe(false);
  });
});
