import type { ReasoningEffort } from "@reasonq/core";

/**
 * How an endpoint is asked for reasoning (see map-openai-compatible-reasoning.ts for the
 * full table of what each style sends):
 * - `none`: no knob; the model reasons (or not) on its own.
 * - `return_reasoning`: `return_reasoning: <include>` (TheAgentic).
 * - `reasoning_effort`: `reasoning_effort: <one of efforts>`; `off` is the value that
 *   turns thinking off (`"none"`), absent when it cannot be turned off (xAI, Ollama).
 * - `reasoning_object`: `reasoning: {effort | max_tokens, exclude, enabled}` (OpenRouter).
 * - `chat_template_kwargs`: `chat_template_kwargs: {<key>: <enabled>}` (vLLM, SGLang;
 *   `enable_thinking` for Qwen3, `thinking` for DeepSeek-V3.1 / Granite).
 * - `enable_thinking`: top-level `enable_thinking: <enabled>` (DashScope / Qwen hybrids).
 */
export type ReasoningRequest =
  | { type: "none" }
  | { type: "return_reasoning" }
  | { type: "reasoning_effort"; efforts: readonly ReasoningEffort[]; off?: string }
  | { type: "reasoning_object" }
  | { type: "chat_template_kwargs"; key: string }
  | { type: "enable_thinking" };

/**
 * Response fields that carry reasoning: `reasoning_content` (DeepSeek, xAI, SGLang,
 * DashScope), `reasoning` (vLLM ≥0.11, Ollama /v1, OpenRouter), `reasoning_details`
 * (OpenRouter's structured items with signatures, kept as thinking blocks).
 */
export type ReasoningField = "reasoning_content" | "reasoning" | "reasoning_details";
export const REASONING_FIELDS: readonly ReasoningField[] = ["reasoning_content", "reasoning", "reasoning_details"];

/**
 * Whether `completion_tokens` already counts the reasoning tokens (OpenAI, DeepSeek,
 * OpenRouter, self-hosted servers) or excludes them, so that billable output is
 * `completion_tokens + reasoning_tokens` (xAI, providers.md §6.1).
 */
export type UsageConvention = "includes_reasoning" | "excludes_reasoning";
export const USAGE_CONVENTIONS: readonly UsageConvention[] = ["includes_reasoning", "excludes_reasoning"];

/** One OpenAI-compatible vendor, as data. Each profile is its own provider family (its own queue). */
export interface OpenAICompatibleProfile {
  /** The provider family: the `provider/` of its model ids and the name of its queue. */
  family: string;
  /** Names the vendor in messages. */
  label: string;
  /** Used when the connection gives no base URL (`<PREFIX>_BASE_URL`). */
  baseUrl: string;
  /** The environment variable holding the key, named in the "not set" refusal. */
  apiKeyEnv: string;
  /** Self-hosted servers usually run without a key: then no key is not refused. */
  requiresApiKey: boolean;
  reasoningRequest: ReasoningRequest;
  /** Per provider-side model name, where a model's knob differs from the profile's. */
  modelReasoningRequests?: Readonly<Record<string, ReasoningRequest>>;
  /** Read in this order; the first text field present in a message or delta wins. */
  reasoningFields: readonly ReasoningField[];
  usageConvention: UsageConvention;
  /** Constant fields sent with every request (SGLang `separate_reasoning: true`). */
  extraBody?: Readonly<Record<string, unknown>>;
}

export function reasoningRequestFor(profile: OpenAICompatibleProfile, model: string): ReasoningRequest {
  return profile.modelReasoningRequests?.[model] ?? profile.reasoningRequest;
}

/**
 * TheAgentic. providers.md has no section on it; SPEC §3 gives `return_reasoning: true`
 * (reasoning returned as `reasoning_content` when asked). No effort or budget knob is
 * documented, so none is sent; usage is taken to follow OpenAI (reasoning inside
 * completion). The base URL is a placeholder until a documented one exists: set
 * THEAGENTIC_BASE_URL.
 */
export const THEAGENTIC_PROFILE: OpenAICompatibleProfile = {
  family: "theagentic",
  label: "TheAgentic",
  baseUrl: "https://api.theagentic.ai/v1",
  apiKeyEnv: "THEAGENTIC_API_KEY",
  requiresApiKey: true,
  reasoningRequest: { type: "return_reasoning" },
  reasoningFields: ["reasoning_content"],
  usageConvention: "includes_reasoning",
};

/**
 * xAI Grok (providers.md §6.1). `reasoning_effort` differs per model: grok-3-mini low|high;
 * grok-4 refuses it; grok-4.3 none|low|medium|high (none = no thinking); grok-4.5
 * low|medium|high. Only grok-3-mini returns reasoning text. `completion_tokens`
 * excludes reasoning.
 */
export const XAI_PROFILE: OpenAICompatibleProfile = {
  family: "xai",
  label: "xAI",
  baseUrl: "https://api.x.ai/v1",
  apiKeyEnv: "XAI_API_KEY",
  requiresApiKey: true,
  reasoningRequest: { type: "none" },
  modelReasoningRequests: {
    "grok-3-mini": { type: "reasoning_effort", efforts: ["low", "high"] },
    "grok-4.3": { type: "reasoning_effort", efforts: ["low", "medium", "high"], off: "none" },
    "grok-4.5": { type: "reasoning_effort", efforts: ["low", "medium", "high"] },
  },
  reasoningFields: ["reasoning_content"],
  usageConvention: "excludes_reasoning",
};

/** OpenRouter (providers.md §6.2): the `reasoning` object; `reasoning` + `reasoning_details` back. */
export const OPENROUTER_PROFILE: OpenAICompatibleProfile = {
  family: "openrouter",
  label: "OpenRouter",
  baseUrl: "https://openrouter.ai/api/v1",
  apiKeyEnv: "OPENROUTER_API_KEY",
  requiresApiKey: true,
  reasoningRequest: { type: "reasoning_object" },
  reasoningFields: ["reasoning", "reasoning_details"],
  usageConvention: "includes_reasoning",
};

/** vLLM with `--reasoning-parser` (providers.md §6.3): `reasoning`, earlier `reasoning_content`. */
export const VLLM_PROFILE: OpenAICompatibleProfile = {
  family: "vllm",
  label: "vLLM",
  baseUrl: "http://localhost:8000/v1",
  apiKeyEnv: "VLLM_API_KEY",
  requiresApiKey: false,
  reasoningRequest: { type: "chat_template_kwargs", key: "enable_thinking" },
  reasoningFields: ["reasoning", "reasoning_content"],
  usageConvention: "includes_reasoning",
};

/**
 * SGLang with `--reasoning-parser` (providers.md §6.4). `separate_reasoning: true` is
 * always sent: without it the thinking would land inside the answer.
 */
export const SGLANG_PROFILE: OpenAICompatibleProfile = {
  family: "sglang",
  label: "SGLang",
  baseUrl: "http://localhost:30000/v1",
  apiKeyEnv: "SGLANG_API_KEY",
  requiresApiKey: false,
  reasoningRequest: { type: "chat_template_kwargs", key: "enable_thinking" },
  reasoningFields: ["reasoning_content", "reasoning"],
  usageConvention: "includes_reasoning",
  extraBody: { separate_reasoning: true },
};

/** Ollama's OpenAI-compatible `/v1` (providers.md §6.5): effort high|medium|low|none; `reasoning` back. */
export const OLLAMA_PROFILE: OpenAICompatibleProfile = {
  family: "ollama",
  label: "Ollama",
  baseUrl: "http://localhost:11434/v1",
  apiKeyEnv: "OLLAMA_API_KEY",
  requiresApiKey: false,
  reasoningRequest: { type: "reasoning_effort", efforts: ["low", "medium", "high"], off: "none" },
  reasoningFields: ["reasoning"],
  usageConvention: "includes_reasoning",
};

export const BUILTIN_PROFILES: readonly OpenAICompatibleProfile[] = [
  THEAGENTIC_PROFILE,
  XAI_PROFILE,
  OPENROUTER_PROFILE,
  VLLM_PROFILE,
  SGLANG_PROFILE,
  OLLAMA_PROFILE,
];
