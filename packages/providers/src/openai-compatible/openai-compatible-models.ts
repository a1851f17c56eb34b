import type { ModelInfo } from "../adapter.ts";

/**
 * Catalog entries of the built-in OpenAI-compatible families. Limits come from the
 * vendors' model pages where providers.md gives them; where it does not (TheAgentic,
 * newer Grok models) they are conservative placeholders, marked below. Self-hosted
 * entries are examples of what a server typically serves: any other model is added
 * through `reasonq.config` custom providers. OpenRouter and self-hosted ids contain the
 * upstream name (`openrouter/anthropic/claude-sonnet-4.5`), so they have no bare alias.
 */
const OPENAI_SAMPLING = ["temperature", "top_p", "stop", "seed"] as const;
const SELF_HOSTED_SAMPLING = ["temperature", "top_p", "top_k", "stop", "seed"] as const;
// xAI reasoning models refuse presence/frequency penalties and `stop` (providers.md §6.1).
const GROK_SAMPLING = ["temperature", "top_p", "seed"] as const;
const GROK_IMAGE_TYPES = ["image/jpeg", "image/png"];

export const THEAGENTIC_MODELS: readonly ModelInfo[] = [
  {
    id: "theagentic/agentic-large",
    provider: "theagentic",
    model: "agentic-large",
    aliases: ["agentic-large"],
    reasoning: { supported: true, field: "return_reasoning", kind: "full", can_disable: false },
    // Placeholder limits: no published model card in our sources.
    context_window: 128_000,
    max_output_tokens: 32_768,
    default_max_output_tokens: 8_192,
    sampling: ["temperature", "top_p", "stop"],
  },
];

export const XAI_MODELS: readonly ModelInfo[] = [
  {
    id: "xai/grok-3-mini",
    provider: "xai",
    model: "grok-3-mini",
    aliases: ["grok-3-mini"],
    reasoning: { supported: true, field: "reasoning_effort", kind: "full", can_disable: false },
    context_window: 131_072,
    max_output_tokens: 131_072,
    default_max_output_tokens: 16_384,
    sampling: GROK_SAMPLING,
  },
  {
    id: "xai/grok-4",
    provider: "xai",
    model: "grok-4",
    aliases: ["grok-4"],
    // Always reasons, refuses reasoning_effort, returns no reasoning text on Chat Completions.
    reasoning: { supported: true, field: null, kind: "hidden", can_disable: false },
    // Grok 4 models read jpg/png images (docs.x.ai image understanding); grok-3-mini is text-only.
    images: true,
    image_media_types: GROK_IMAGE_TYPES,
    context_window: 256_000,
    max_output_tokens: 64_000,
    default_max_output_tokens: 16_384,
    sampling: GROK_SAMPLING,
  },
  {
    id: "xai/grok-4.3",
    provider: "xai",
    model: "grok-4.3",
    aliases: ["grok-4.3"],
    reasoning: { supported: true, field: "reasoning_effort", kind: "hidden", can_disable: true },
    // Placeholder limits (not in providers.md).
    images: true,
    image_media_types: GROK_IMAGE_TYPES,
    context_window: 256_000,
    max_output_tokens: 64_000,
    default_max_output_tokens: 16_384,
    sampling: GROK_SAMPLING,
  },
  {
    id: "xai/grok-4.5",
    provider: "xai",
    model: "grok-4.5",
    aliases: ["grok-4.5"],
    reasoning: { supported: true, field: "reasoning_effort", kind: "hidden", can_disable: false },
    // Placeholder limits (not in providers.md).
    images: true,
    image_media_types: GROK_IMAGE_TYPES,
    context_window: 256_000,
    max_output_tokens: 64_000,
    default_max_output_tokens: 16_384,
    sampling: GROK_SAMPLING,
  },
];

export const OPENROUTER_MODELS: readonly ModelInfo[] = [
  {
    id: "openrouter/anthropic/claude-sonnet-4.5",
    provider: "openrouter",
    model: "anthropic/claude-sonnet-4.5",
    aliases: [],
    // Claude 4 returns summarised thinking, with signatures in reasoning_details.
    reasoning: { supported: true, field: "reasoning", kind: "summary", can_disable: true },
    images: true,
    context_window: 200_000,
    max_output_tokens: 64_000,
    default_max_output_tokens: 16_000,
    sampling: ["temperature", "top_p", "top_k", "stop"],
  },
  {
    id: "openrouter/deepseek/deepseek-r1",
    provider: "openrouter",
    model: "deepseek/deepseek-r1",
    aliases: [],
    reasoning: { supported: true, field: "reasoning", kind: "full", can_disable: false },
    context_window: 163_840,
    max_output_tokens: 65_536,
    default_max_output_tokens: 16_384,
    sampling: OPENAI_SAMPLING,
  },
];

const selfHosted = (
  provider: string,
  model: string,
  field: string,
  limits: { context: number; canDisable: boolean; sampling?: ModelInfo["sampling"] },
): ModelInfo => ({
  id: `${provider}/${model}`,
  provider,
  model,
  aliases: [],
  reasoning: { supported: true, field, kind: "full", can_disable: limits.canDisable },
  context_window: limits.context,
  max_output_tokens: limits.context,
  default_max_output_tokens: 8_192,
  sampling: limits.sampling ?? SELF_HOSTED_SAMPLING,
});

export const SELF_HOSTED_MODELS: readonly ModelInfo[] = [
  selfHosted("vllm", "Qwen/Qwen3-8B", "chat_template_kwargs.enable_thinking", { context: 32_768, canDisable: true }),
  selfHosted("sglang", "Qwen/Qwen3-8B", "chat_template_kwargs.enable_thinking", { context: 32_768, canDisable: true }),
  // Ollama's /v1 takes OpenAI's sampling fields (no top_k).
  selfHosted("ollama", "qwen3", "reasoning_effort", { context: 40_960, canDisable: true, sampling: OPENAI_SAMPLING }),
  // gpt-oss thinks at low|medium|high and cannot be switched off.
  selfHosted("ollama", "gpt-oss:20b", "reasoning_effort", {
    context: 131_072,
    canDisable: false,
    sampling: OPENAI_SAMPLING,
  }),
];

export const OPENAI_COMPATIBLE_MODELS: readonly ModelInfo[] = [
  ...THEAGENTIC_MODELS,
  ...XAI_MODELS,
  ...OPENROUTER_MODELS,
  ...SELF_HOSTED_MODELS,
];
