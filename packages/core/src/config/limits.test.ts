import { describe, expect, it } from "vitest";
import { ConfigError, parseConfig } from "./config-schema.ts";

describe("provider limits from the environment", () => {
  it("reads family=number pairs, unlisted families unbounded", () => {
    const config = parseConfig({ REASONQ_PROVIDER_CONCURRENCY: "openai=8, anthropic=2", REASONQ_PROVIDER_RPM: "" });
    expect(config.REASONQ_PROVIDER_CONCURRENCY).toEqual({ openai: 8, anthropic: 2 });
    expect(config.REASONQ_PROVIDER_RPM).toEqual({});
  });

  it("reads model limits by catalog id, refusing a bare model name", () => {
    const config = parseConfig({ REASONQ_MODEL_CONCURRENCY: "openai/o3=4,ollama/qwen3:8b=1" });
    expect(config.REASONQ_MODEL_CONCURRENCY).toEqual({ "openai/o3": 4, "ollama/qwen3:8b": 1 });
    expect(() => parseConfig({ REASONQ_MODEL_RPM: "o3=4" })).toThrow('"o3=4" is not model=requests_per_minute');
  });

  it("reports every bad pair, naming it", () => {
    const thrown = (() => {
      try {
        parseConfig({ REASONQ_PROVIDER_RPM: "openai=0,anthropic,Google=3" });
      } catch (error) {
        return error;
      }
    })();
    expect(thrown).toBeInstanceOf(ConfigError);
    expect((thrown as ConfigError).problems).toEqual([
      'REASONQ_PROVIDER_RPM: "openai=0" is not provider=requests_per_minute (1 to 10000000)',
      'REASONQ_PROVIDER_RPM: "anthropic" is not provider=requests_per_minute (1 to 10000000)',
      'REASONQ_PROVIDER_RPM: "Google=3" is not provider=requests_per_minute (1 to 10000000)',
    ]);
  });
});
