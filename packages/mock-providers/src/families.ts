import { type AnthropicMockOptions, startAnthropicMock } from "./anthropic/anthropic-mock.ts";
import { type DeepSeekMockOptions, startDeepSeekMock } from "./deepseek/deepseek-mock.ts";
import { type GoogleMockOptions, startGoogleMock } from "./google/google-mock.ts";
import type { MockServer } from "./http.ts";
import { type OpenAIMockOptions, startOpenAIMock } from "./openai/openai-mock.ts";
import {
  type OpenAICompatibleDialectName,
  type OpenAICompatibleMockOptions,
  startOpenAICompatibleMock,
} from "./openai-compatible/openai-compatible-mock.ts";

/** A family's mock server, and what its adapter's base URL adds to the mock's origin. */
export interface FamilyMock<Options> {
  start(options?: Options): Promise<MockServer>;
  path: string;
}

type DialectOptions = Omit<OpenAICompatibleMockOptions, "dialect">;

function dialect(name: OpenAICompatibleDialectName, path: string): FamilyMock<DialectOptions> {
  return { start: (options = {}) => startOpenAICompatibleMock({ ...options, dialect: name }), path };
}

/**
 * Each provider family's mock, and the base URL path its adapter expects (the version path
 * where the SDK wants it: OpenAI-style `…/v1`, OpenRouter `…/api/v1`; Anthropic, Gemini
 * and DeepSeek take the bare origin).
 */
export const FAMILY_MOCKS = {
  openai: { start: startOpenAIMock, path: "/v1" } satisfies FamilyMock<OpenAIMockOptions>,
  anthropic: { start: startAnthropicMock, path: "" } satisfies FamilyMock<AnthropicMockOptions>,
  google: { start: startGoogleMock, path: "" } satisfies FamilyMock<GoogleMockOptions>,
  deepseek: { start: startDeepSeekMock, path: "" } satisfies FamilyMock<DeepSeekMockOptions>,
  xai: dialect("xai", "/v1"),
  openrouter: dialect("openrouter", "/api/v1"),
  theagentic: dialect("theagentic", "/v1"),
  vllm: dialect("vllm", "/v1"),
  sglang: dialect("sglang", "/v1"),
  ollama: dialect("ollama", "/v1"),
};
