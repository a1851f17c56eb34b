import { PROVIDER_ENV_PREFIXES, parseConfig, providerConnections } from "@reasonq/core";
import { catalog, createAdapters, ResultAssembler } from "@reasonq/providers";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { MOCK_API_KEY, mockProviders, type RunningMocks, startAllMocks } from "../src/commands/mock-providers.ts";

/** One model per family that its mock serves. */
const MODELS: Record<keyof typeof PROVIDER_ENV_PREFIXES, string> = {
  openai: "openai/o3-mini",
  anthropic: "anthropic/claude-sonnet-4-6",
  google: "google/gemini-2.5-flash",
  deepseek: "deepseek/deepseek-flash",
  xai: "xai/grok-3-mini",
  openrouter: "openrouter/anthropic/claude-sonnet-4.5",
  theagentic: "theagentic/agentic-large",
  vllm: "vllm/Qwen/Qwen3-8B",
  sglang: "sglang/Qwen/Qwen3-8B",
  ollama: "ollama/qwen3",
};

describe("startAllMocks", () => {
  let mocks: RunningMocks;
  beforeAll(async () => {
    mocks = await startAllMocks(0);
  });
  afterAll(() => mocks.close());

  it("gives every family a base URL and a key, each on its own port", () => {
    const expected = Object.values(PROVIDER_ENV_PREFIXES).flatMap((p) => [`${p}_BASE_URL`, `${p}_API_KEY`]);
    expect(Object.keys(mocks.env).sort()).toEqual(expected.sort());
    const ports = Object.values(PROVIDER_ENV_PREFIXES).map((p) => new URL(mocks.env[`${p}_BASE_URL`] ?? "").port);
    expect(new Set(ports).size).toBe(ports.length);
    expect(mocks.env.OPENAI_BASE_URL).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/v1$/);
    expect(mocks.env.OPENROUTER_BASE_URL).toMatch(/\/api\/v1$/);
    expect(mocks.env.ANTHROPIC_BASE_URL).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(mocks.env.OPENAI_API_KEY).toBe(MOCK_API_KEY);
  });

  it("answers an OpenAI Chat Completions request at OPENAI_BASE_URL", async () => {
    const response = await fetch(`${mocks.env.OPENAI_BASE_URL}/chat/completions`, {
      method: "POST",
      headers: { authorization: `Bearer ${mocks.env.OPENAI_API_KEY}`, "content-type": "application/json" },
      body: JSON.stringify({ model: "o3-mini", messages: [{ role: "user", content: "What is 17*23?" }] }),
    });
    expect(response.status).toBe(200);
    const body = (await response.json()) as {
      object: string;
      choices: Array<{ message: { content: string }; finish_reason: string }>;
      usage: { completion_tokens_details: { reasoning_tokens: number } };
    };
    expect(body.object).toBe("chat.completion");
    expect(body.choices[0]?.message.content).toBe("The answer is 391.");
    expect(body.choices[0]?.finish_reason).toBe("stop");
    expect(body.usage.completion_tokens_details.reasoning_tokens).toBeGreaterThan(0);
  });

  it.each(Object.entries(MODELS))(
    "the printed environment takes reasonq's %s adapter to its mock",
    async (family, id) => {
      const adapters = createAdapters({
        simTokensPerSecond: 1000,
        connections: providerConnections(parseConfig(mocks.env)),
      });
      const model = catalog.resolve(id).model;
      expect(model.provider).toBe(family);
      const adapter = adapters.get(family);
      const prepared = adapter.prepare(
        {
          model: id,
          messages: [{ role: "user", content: "What is 17*23?" }],
          reasoning: { include: true, enabled: true },
          sampling: {},
          metadata: {},
        },
        model,
      );
      const assembler = new ResultAssembler(model, { include: true });
      for await (const event of adapter.stream(prepared, { signal: new AbortController().signal }))
        assembler.push(event);
      const result = assembler.result();
      expect(result.output.answer).toContain("391");
      expect(result.output.finish_reason).toBe("stop");
    },
  );
});

describe("reasonq mock-providers", () => {
  it("prints the environment, runs until stopped, then closes every server", async () => {
    const lines: string[] = [];
    let stop: () => void = () => {};
    const stopped = new Promise<void>((resolve) => {
      stop = resolve;
    });
    let printed: () => void = () => {};
    const ready = new Promise<void>((resolve) => {
      printed = resolve;
    });
    const running = mockProviders(
      { portBase: "0" },
      (line) => {
        lines.push(line);
        if (line.startsWith("# Ctrl-C")) printed();
      },
      () => stopped,
    );
    await ready;
    const env = Object.fromEntries(
      lines.filter((l) => !l.startsWith("#")).map((l) => l.split("=", 2) as [string, string]),
    );
    expect(Object.keys(env)).toHaveLength(Object.keys(PROVIDER_ENV_PREFIXES).length * 2);
    const url = `${env.DEEPSEEK_BASE_URL}/chat/completions`;
    const request = () =>
      fetch(url, {
        method: "POST",
        headers: { authorization: "Bearer mock-key", "content-type": "application/json" },
        body: JSON.stringify({ model: "deepseek-flash", messages: [{ role: "user", content: "What is 2+2?" }] }),
      });
    expect((await request()).status).toBe(200);

    stop();
    await running;
    await expect(request()).rejects.toThrow();
  });

  it("refuses a port base that is not a port", async () => {
    await expect(mockProviders({ portBase: "abc" }, () => {})).rejects.toThrow(/--port-base/);
    await expect(mockProviders({ portBase: "65530" }, () => {})).rejects.toThrow(/--port-base/);
  });
});
