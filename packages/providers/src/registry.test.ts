import { describe, expect, it } from "vitest";
import { catalog, createAdapters, PROVIDER_FAMILIES } from "./index.ts";

describe("adapter registry", () => {
  const registry = createAdapters({ simTokensPerSecond: 1000 });

  it("has an adapter for every family in the catalog", () => {
    expect([...PROVIDER_FAMILIES].sort()).toEqual(
      [
        "anthropic",
        "deepseek",
        "google",
        "ollama",
        "openai",
        "openrouter",
        "sglang",
        "sim",
        "theagentic",
        "vllm",
        "xai",
      ].sort(),
    );
    expect(registry.families()).toEqual(PROVIDER_FAMILIES);
    for (const model of catalog.list()) expect(registry.get(model.provider).family).toBe(model.provider);
  });

  it("refuses an unknown family", () => {
    expect(() => registry.get("nope")).toThrow(expect.objectContaining({ type: "unknown_model" }));
  });
});
