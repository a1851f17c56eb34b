import type { MockServer } from "../http.ts";
import type { ChatMockDialect } from "./chat-dialect.ts";
import { type ChatMockOptions, startChatMock } from "./chat-mock.ts";
import { OPENROUTER_DIALECT, THEAGENTIC_DIALECT, XAI_DIALECT } from "./dialects-hosted.ts";
import { ollamaDialect, SGLANG_DIALECT, vllmDialect } from "./dialects-self-hosted.ts";

export type OpenAICompatibleDialectName = "theagentic" | "xai" | "openrouter" | "vllm" | "sglang" | "ollama";

export interface OpenAICompatibleMockOptions extends ChatMockOptions {
  /** Which vendor to emulate, by name or as a custom dialect. */
  dialect: OpenAICompatibleDialectName | ChatMockDialect;
  /** Models a self-hosted server (vllm, ollama) serves, instead of the defaults. */
  models?: string[];
  /** vLLM only: the reasoning field (`reasoning`; `reasoning_content` before ~v0.11). */
  reasoningField?: "reasoning" | "reasoning_content";
}

export function openAICompatibleDialect(options: OpenAICompatibleMockOptions): ChatMockDialect {
  const { dialect } = options;
  if (typeof dialect !== "string") return dialect;
  const models = options.models === undefined ? {} : { models: options.models };
  switch (dialect) {
    case "theagentic":
      return THEAGENTIC_DIALECT;
    case "xai":
      return XAI_DIALECT;
    case "openrouter":
      return OPENROUTER_DIALECT;
    case "vllm":
      return vllmDialect({
        ...models,
        ...(options.reasoningField === undefined ? {} : { field: options.reasoningField }),
      });
    case "sglang":
      return options.models === undefined ? SGLANG_DIALECT : { ...SGLANG_DIALECT, models: options.models };
    case "ollama":
      return ollamaDialect(models);
  }
}

/**
 * One mock for every OpenAI-compatible vendor reasonq speaks to through a profile. The
 * SDK's base URL is `<url>/v1` for all but OpenRouter, whose is `<url>/api/v1`.
 */
export function startOpenAICompatibleMock(options: OpenAICompatibleMockOptions): Promise<MockServer> {
  return startChatMock(openAICompatibleDialect(options), options);
}
