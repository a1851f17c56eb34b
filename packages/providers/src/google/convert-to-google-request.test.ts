import type { JobSpec } from "@reasonq/core";
import { describe, expect, it } from "vitest";
import { catalog } from "../catalog/resolve-model.ts";
import { prepareGoogleRequest } from "./convert-to-google-request.ts";
import { createGoogleAdapter } from "./google-adapter.ts";

const flash = catalog.resolve("google/gemini-2.5-flash").model;

function spec(over: Partial<JobSpec> = {}): JobSpec {
  return {
    model: flash.id,
    messages: [{ role: "user", content: "What is 17*23?" }],
    reasoning: { include: true, enabled: true },
    sampling: {},
    metadata: {},
    ...over,
  };
}

describe("prepareGoogleRequest", () => {
  it("builds the generateContent body; resolvedParams is exactly the generationConfig sent", () => {
    const prepared = prepareGoogleRequest(
      spec({
        messages: [
          { role: "system", content: "Be brief." },
          { role: "developer", content: "Answer in English." },
          { role: "user", content: "Hi" },
          { role: "assistant", content: "Hello." },
          { role: "user", content: "What is 2+2?" },
        ],
        reasoning: { include: true, enabled: true, effort: "low" },
        max_output_tokens: 4000,
        sampling: { temperature: 0.2, top_p: 0.9, top_k: 40, stop: ["END"], seed: 7 },
      }),
      flash,
    );
    const generationConfig = {
      maxOutputTokens: 4000,
      temperature: 0.2,
      topP: 0.9,
      topK: 40,
      stopSequences: ["END"],
      seed: 7,
      thinkingConfig: { thinkingBudget: 1024, includeThoughts: true },
    };
    expect(prepared.body).toEqual({
      contents: [
        { role: "user", parts: [{ text: "Hi" }] },
        { role: "model", parts: [{ text: "Hello." }] },
        { role: "user", parts: [{ text: "What is 2+2?" }] },
      ],
      systemInstruction: { parts: [{ text: "Be brief.\n\nAnswer in English." }] },
      generationConfig,
    });
    expect(prepared.resolvedParams).toEqual({ generationConfig });
    expect(prepared.warnings).toEqual([]);
  });

  it("defaults maxOutputTokens to the model's cap and sends no thinking knob when none is asked", () => {
    const prepared = prepareGoogleRequest(spec({ reasoning: { include: false, enabled: true } }), flash);
    expect(prepared.resolvedParams).toEqual({ generationConfig: { maxOutputTokens: 65_536 } });
    expect(prepared.body).not.toHaveProperty("systemInstruction");
  });

  it("refuses a max_output_tokens above the model's limit", () => {
    expect(() => prepareGoogleRequest(spec({ max_output_tokens: 70_000 }), flash)).toThrow(
      expect.objectContaining({ type: "invalid_request", field: "max_output_tokens" }),
    );
  });

  it("carries the reasoning warnings", () => {
    const flash3 = catalog.resolve("gemini-3.8-flash").model;
    const prepared = prepareGoogleRequest(
      spec({ reasoning: { include: true, enabled: true, effort: "minimal" } }),
      flash3,
    );
    expect(prepared.resolvedParams).toEqual({
      generationConfig: { maxOutputTokens: 65_536, thinkingConfig: { thinkingLevel: "LOW", includeThoughts: true } },
    });
    expect(prepared.warnings).toHaveLength(1);
  });
});

describe("google adapter prepare", () => {
  it("refuses to prepare without a key, naming GEMINI_API_KEY", () => {
    expect(() => createGoogleAdapter({}).prepare(spec(), flash)).toThrow(
      expect.objectContaining({
        type: "invalid_request",
        field: "model",
        message: expect.stringContaining("GEMINI_API_KEY"),
      }),
    );
  });

  it("resolves the catalog's Gemini names", () => {
    expect(catalog.resolve("gemini-2.5-flash-thinking")).toEqual({ model: flash, warnings: [] });
    expect(catalog.resolve("gemini-2.5-pro").model.id).toBe("google/gemini-2.5-pro");
    const retired = catalog.resolve("gemini-3-pro-preview");
    expect(retired.model.id).toBe("google/gemini-3.1-pro-preview");
    expect(retired.warnings).toEqual([expect.objectContaining({ type: "deprecated", field: "model" })]);
  });
});
