import { ReasonqError } from "@reasonq/core";
import { describe, expect, it } from "vitest";
import type { ModelInfo } from "../adapter.ts";
import { convertToAnthropicRequest } from "../anthropic/convert-to-anthropic-request.ts";
import { catalog, createCatalog, resolveModel } from "./resolve-model.ts";

const entry = (id: string, extra: Partial<ModelInfo> = {}): ModelInfo => ({
  id,
  provider: id.split("/")[0] as string,
  model: id.split("/")[1] as string,
  aliases: [],
  reasoning: { supported: true, field: "effort", kind: "full", can_disable: false },
  context_window: 1000,
  max_output_tokens: 100,
  default_max_output_tokens: 50,
  sampling: [],
  ...extra,
});

function refusal(run: () => unknown) {
  try {
    run();
  } catch (error) {
    if (ReasonqError.is(error)) return error;
  }
  throw new Error("did not refuse");
}

describe("resolveModel", () => {
  it("resolves canonical names and aliases of the sim models", () => {
    expect(resolveModel("sim/reasoner").model.id).toBe("sim/reasoner");
    expect(resolveModel("sim-hasty")).toEqual({ model: catalog.list()[1], warnings: [] });
    expect(resolveModel("sim/echo").model.reasoning).toMatchObject({ supported: false, kind: "none" });
  });

  it("refuses unknown names, pointing at the catalog", () => {
    for (const name of ["sim/nope", "nope", "reasoner", "openai/"]) {
      const error = refusal(() => resolveModel(name));
      expect(error).toMatchObject({ type: "unknown_model", field: "model" });
      expect(error.message).toBe(`unknown model "${name}"; GET /v1/models lists the catalog`);
    }
  });

  it("sends a retired model to its replacement with a deprecation warning", () => {
    const local = createCatalog([
      entry("acme/old", { aliases: ["old"], retired: { since: "2026-07-24", replacement: "acme/mid" } }),
      entry("acme/mid", { retired: { since: "2026-09-01", replacement: "acme/new" } }),
      entry("acme/new", { aliases: ["new"] }),
    ]);
    const { model, warnings } = local.resolve("old");
    expect(model.id).toBe("acme/new");
    expect(warnings).toEqual([
      { type: "deprecated", field: "model", message: "acme/old was retired on 2026-07-24; acme/mid runs instead" },
      { type: "deprecated", field: "model", message: "acme/mid was retired on 2026-09-01; acme/new runs instead" },
    ]);
    expect(local.resolve("acme/new").warnings).toEqual([]);
  });

  it("rejects a catalog with clashing names", () => {
    expect(() => createCatalog([entry("a/x", { aliases: ["x"] }), entry("b/x", { aliases: ["x"] })])).toThrow(
      /alias x/,
    );
    expect(() => createCatalog([entry("a/x"), entry("a/x")])).toThrow(/duplicate/);
  });
});

describe("a model the catalog lacks but the price data knows", () => {
  const priced = (id: string) =>
    ["anthropic/claude-sonnet-4-5-20250929", "openai/gpt-5.1-2025-11-13", "google/gemini-3-flash-preview"].includes(id);
  const withPrices = createCatalog(catalog.list(), { priced });

  it("runs a dated Claude on the family's defaults, with a warning", () => {
    const { model, warnings } = withPrices.resolve("anthropic/claude-sonnet-4-5-20250929");
    expect(model).toMatchObject({
      id: "anthropic/claude-sonnet-4-5-20250929",
      model: "claude-sonnet-4-5-20250929",
      provider: "anthropic",
      traits_of: "claude-sonnet-4-20250514",
    });
    expect(model.retired).toBeUndefined();
    expect(warnings).toEqual([expect.objectContaining({ type: "adapted", field: "model" })]);
    const prepared = convertToAnthropicRequest(
      {
        model: model.id,
        messages: [{ role: "user", content: "hi" }],
        reasoning: { include: true, enabled: true },
        sampling: {},
        metadata: {},
      },
      model,
      { apiVersion: "2026-10-21", promptCaching: false },
    );
    expect(prepared.body).toMatchObject({ model: "claude-sonnet-4-5-20250929", thinking: { type: "enabled" } });
  });

  it("uses the undated catalog model when there is one, and the family default otherwise", () => {
    expect(withPrices.resolve("openai/gpt-5.1-2025-11-13").model.traits_of).toBe("gpt-5.1");
    expect(withPrices.resolve("google/gemini-3-flash-preview").model.traits_of).toBe("gemini-3.8-flash");
  });

  it("still refuses what the price data does not know, and everything without price data", () => {
    expect(() => withPrices.resolve("anthropic/claude-nope-9")).toThrow(/unknown model/);
    expect(() => catalog.resolve("anthropic/claude-sonnet-4-5-20250929")).toThrow(/unknown model/);
  });
});
