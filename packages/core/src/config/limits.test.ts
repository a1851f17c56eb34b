import { describe, expect, it } from "vitest";
import { ConfigError, parseConfig, parseConfigFile } from "./config-schema.ts";
import { withFileLimits } from "./limits.ts";

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

  it("reads per-key request limits with the same parser, 0 included as before", () => {
    const config = parseConfig({ REASONQ_KEY_RATE_LIMITS: "key_01AB=0, key_02CD=600" });
    expect(config.REASONQ_KEY_RATE_LIMITS).toEqual({ key_01AB: 0, key_02CD: 600 });
    expect(() => parseConfig({ REASONQ_KEY_RATE_LIMITS: "key-1=5" })).toThrow(
      '"key-1=5" is not key_id=requests_per_minute (0 to 99999999)',
    );
  });
});

describe("limits in the config file", () => {
  it("reads tokens per minute like the other bounds", () => {
    const config = parseConfig({ REASONQ_PROVIDER_TPM: "openai=2000000", REASONQ_MODEL_TPM: "openai/o3=30000" });
    expect([config.REASONQ_PROVIDER_TPM, config.REASONQ_MODEL_TPM]).toEqual([
      { openai: 2_000_000 },
      { "openai/o3": 30_000 },
    ]);
  });

  it("merges the file's limits under the environment's: the environment wins per name and bound", () => {
    const file = parseConfigFile(
      {
        limits: {
          providers: { openai: { concurrency: 4, tpm: 100_000 }, anthropic: { rpm: 50 } },
          models: { "openai/o3": { concurrency: 1, rpm: 10, tpm: 20_000 } },
        },
      },
      "reasonq.config.yaml",
    );
    const config = withFileLimits(
      parseConfig({ REASONQ_PROVIDER_CONCURRENCY: "openai=8", REASONQ_MODEL_TPM: "openai/o4-mini=9000" }),
      file.limits,
    );
    expect(config.REASONQ_PROVIDER_CONCURRENCY).toEqual({ openai: 8 });
    expect(config.REASONQ_PROVIDER_RPM).toEqual({ anthropic: 50 });
    expect(config.REASONQ_PROVIDER_TPM).toEqual({ openai: 100_000 });
    expect(config.REASONQ_MODEL_CONCURRENCY).toEqual({ "openai/o3": 1 });
    expect(config.REASONQ_MODEL_RPM).toEqual({ "openai/o3": 10 });
    expect(config.REASONQ_MODEL_TPM).toEqual({ "openai/o3": 20_000, "openai/o4-mini": 9000 });
  });

  it("reports every bad limit with the file's name and the path", () => {
    const thrown = (() => {
      try {
        parseConfigFile(
          { limits: { providers: { OpenAI: { rpm: 5 }, openai: { tpm: 0, burst: 3 } }, models: { o3: { rpm: 1 } } } },
          "reasonq.config.json",
        );
      } catch (error) {
        return error;
      }
    })();
    expect(thrown).toBeInstanceOf(ConfigError);
    const problems = (thrown as ConfigError).problems;
    expect(problems).toHaveLength(4);
    expect(problems).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^reasonq\.config\.json: limits\.providers\.OpenAI: "OpenAI" is not a provider family/),
        expect.stringMatching(/^reasonq\.config\.json: limits\.providers\.openai\.tpm: /),
        expect.stringMatching(/^reasonq\.config\.json: limits\.providers\.openai: Unrecognized key: "burst"/),
        expect.stringMatching(/^reasonq\.config\.json: limits\.models\.o3: "o3" is not a catalog model id/),
      ]),
    );
  });
});
