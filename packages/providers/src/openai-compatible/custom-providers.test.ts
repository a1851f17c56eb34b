import { ConfigError, type JobSpec, type ProviderEvent } from "@reasonq/core";
import { startOpenAICompatibleMock } from "@reasonq/mock-providers";
import { describe, expect, it } from "vitest";
import { MODELS } from "../catalog/models.ts";
import { createCatalog } from "../catalog/resolve-model.ts";
import { createAdapters, PROVIDER_FAMILIES } from "../registry.ts";
import { customProviderConnections, parseCustomProviders, RESERVED_FAMILIES } from "./custom-providers.ts";

const acme = {
  name: "acme",
  base_url: "https://llm.acme.internal/v1/",
  api_key_env: "ACME_API_KEY",
  reasoning_field: "reasoning_content",
  reasoning_request: { type: "reasoning_effort", efforts: ["low", "high"], off: "none" },
  usage_convention: "excludes_reasoning",
  models: [
    { id: "acme-think-1", aliases: ["acme-think"], context_window: 131_072, max_output_tokens: 32_768 },
    { id: "acme-fast", reasoning: false, sampling: ["temperature"] },
  ],
};

function problems(value: unknown): string[] {
  try {
    parseCustomProviders(value);
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  throw new Error("parse did not fail");
}

describe("parseCustomProviders", () => {
  it("turns entries into profiles and catalog entries", () => {
    const { profiles, models } = parseCustomProviders([acme]);
    expect(profiles).toEqual([
      {
        family: "acme",
        label: "acme",
        baseUrl: "https://llm.acme.internal/v1",
        apiKeyEnv: "ACME_API_KEY",
        requiresApiKey: true,
        reasoningRequest: { type: "reasoning_effort", efforts: ["low", "high"], off: "none" },
        reasoningFields: ["reasoning_content"],
        usageConvention: "excludes_reasoning",
      },
    ]);
    expect(models).toEqual([
      {
        id: "acme/acme-think-1",
        provider: "acme",
        model: "acme-think-1",
        aliases: ["acme-think"],
        reasoning: { supported: true, field: "reasoning_effort", kind: "full", can_disable: true },
        context_window: 131_072,
        max_output_tokens: 32_768,
        default_max_output_tokens: 8_192,
        sampling: ["temperature", "top_p", "stop", "seed"],
      },
      {
        id: "acme/acme-fast",
        provider: "acme",
        model: "acme-fast",
        aliases: [],
        reasoning: { supported: false, field: null, kind: "none", can_disable: false },
        context_window: 128_000,
        max_output_tokens: 32_768,
        default_max_output_tokens: 8_192,
        sampling: ["temperature"],
      },
    ]);
  });

  it("has keyless, knobless defaults and per-model request overrides", () => {
    const { profiles, models } = parseCustomProviders([
      {
        name: "lab-vllm",
        base_url: "http://gpu-box:8000/v1",
        models: [{ id: "Qwen/QwQ-32B", reasoning: { kind: "full", request: "chat_template_kwargs" } }],
      },
    ]);
    expect(profiles[0]).toMatchObject({
      requiresApiKey: false,
      apiKeyEnv: "LAB_VLLM_API_KEY",
      reasoningRequest: { type: "none" },
      reasoningFields: ["reasoning_content", "reasoning"],
      usageConvention: "includes_reasoning",
      modelReasoningRequests: { "Qwen/QwQ-32B": { type: "chat_template_kwargs", key: "enable_thinking" } },
    });
    expect(models[0]).toMatchObject({ id: "lab-vllm/Qwen/QwQ-32B", reasoning: { can_disable: true } });
    expect(parseCustomProviders(undefined)).toEqual({ profiles: [], models: [] });
  });

  it("reports every problem, naming the entry and the field", () => {
    expect(
      problems([
        { name: "Bad Name", base_url: "ftp://x", models: [] },
        {
          name: "acme",
          base_url: "https://a.example/v1",
          api_key_env: "not a var",
          reasoning_request: "telepathy",
          usage_convention: "sometimes",
          colour: "blue",
          models: [{ id: "m", context_window: 0 }],
        },
        { name: "xai", base_url: "https://x.example", models: [{ id: "m" }] },
      ]),
    ).toEqual([
      "providers[0] (\"Bad Name\").name: is required: lowercase letters, digits, '-' or '_', starting with a letter",
      'providers[0] ("Bad Name").base_url: "ftp://x" is not an http(s) URL',
      'providers[0] ("Bad Name").models: must be a non-empty list',
      expect.stringMatching(/^providers\[1\] \("acme"\)\.colour: unknown field/),
      'providers[1] ("acme").api_key_env: must be an environment variable name such as ACME_API_KEY',
      expect.stringMatching(/^providers\[1\] \("acme"\)\.reasoning_request: must be one of/),
      'providers[1] ("acme").usage_convention: must be one of includes_reasoning, excludes_reasoning',
      'providers[1] ("acme").models[0].context_window: must be a positive integer',
      'providers[2] ("xai").name: "xai" is a built-in provider; choose another name',
    ]);
    expect(
      problems([
        {
          ...acme,
          models: [{ id: "m", context_window: -1, aliases: ["a/b"], reasoning: { kind: "vivid" } }, { nope: 1 }],
        },
      ]),
    ).toEqual([
      'providers[0] ("acme").models[0].aliases: "a/b" must be a bare name (no \'/\', no spaces)',
      'providers[0] ("acme").models[0].context_window: must be a positive integer',
      'providers[0] ("acme").models[0].reasoning.kind: must be one of full, summary, hidden',
      expect.stringMatching(/^providers\[0\] \("acme"\)\.models\[1\]\.nope: unknown field/),
      'providers[0] ("acme").models[1].id: is required: the model name the provider\'s API expects, without spaces',
    ]);
  });

  it("refuses a can_disable the request style cannot honour, duplicates and a non-list", () => {
    expect(
      problems([
        { name: "p", base_url: "http://h", models: [{ id: "m", reasoning: { can_disable: true } }, { id: "m" }] },
      ]),
    ).toEqual([
      'providers[0] ("p").models[0].reasoning.can_disable: reasoning_request "none" has no way to turn thinking off',
      'providers[0] ("p").models[1].id: "m" is listed twice',
    ]);
    expect(problems([acme, acme])).toEqual([
      'providers[1] ("acme").name: "acme" is defined twice',
      'model acme/acme-think-1: alias "acme-think" is already used by acme/acme-think-1',
    ]);
    expect(problems({ name: "acme" })).toEqual(["providers: must be a list of provider entries"]);
  });
});

describe("custom providers wired into the registry and the catalog", () => {
  it("cannot take the name of a built-in family", () => {
    expect(RESERVED_FAMILIES).toEqual(expect.arrayContaining([...PROVIDER_FAMILIES]));
  });

  it("become their own family, resolve by alias, and run against an OpenAI-compatible server", async () => {
    const mock = await startOpenAICompatibleMock({ dialect: "xai", apiKey: "acme-key" });
    try {
      const custom = parseCustomProviders([
        {
          name: "acme",
          base_url: `${mock.url}/v1`,
          api_key_env: "ACME_API_KEY",
          reasoning_request: { type: "reasoning_effort", efforts: ["low", "high"] },
          usage_convention: "excludes_reasoning",
          models: [{ id: "grok-3-mini", aliases: ["acme-mini"] }],
        },
      ]);
      const connections = customProviderConnections(custom, { ACME_API_KEY: "acme-key" });
      expect(connections).toEqual({ acme: { baseUrl: `${mock.url}/v1`, apiKey: "acme-key" } });
      const registry = createAdapters({ simTokensPerSecond: 1_000, connections, customProviders: custom });
      const catalog = createCatalog([...MODELS, ...custom.models]);
      expect(registry.families()).toContain("acme");

      const { model } = catalog.resolve("acme-mini");
      const adapter = registry.get(model.provider);
      const spec: JobSpec = {
        model: "acme-mini",
        messages: [{ role: "user", content: "What is 2+5?" }],
        reasoning: { include: true, enabled: true, effort: "high" },
        sampling: {},
        metadata: {},
      };
      const events: ProviderEvent[] = [];
      for await (const event of adapter.stream(adapter.prepare(spec, model), {
        signal: new AbortController().signal,
      })) {
        events.push(event);
      }
      expect(mock.requests.at(-1)?.body).toMatchObject({ model: "grok-3-mini", reasoning_effort: "high" });
      expect(events).toContainEqual({ type: "text-delta", text: "7." });
      expect(events).toContainEqual({
        type: "usage",
        usage: expect.objectContaining({ output_tokens: 36, reasoning_tokens: 32 }),
      });

      const keyless = createAdapters({ simTokensPerSecond: 1_000, customProviders: custom }).get("acme");
      expect(() => keyless.prepare(spec, model)).toThrow(
        expect.objectContaining({ message: "ACME_API_KEY is not set, so reasonq cannot call acme" }),
      );
    } finally {
      await mock.close();
    }
  });
});
