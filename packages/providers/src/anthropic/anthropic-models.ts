import type { ModelInfo } from "../adapter.ts";

/** The values `output_config.effort` takes (SDK 1.12 `OutputConfig.effort`). */
export const ANTHROPIC_EFFORTS = ["low", "medium", "high", "xhigh", "max"] as const;
export type AnthropicEffort = (typeof ANTHROPIC_EFFORTS)[number];

/**
 * What `prepare` needs to know about a Claude model beyond `ModelInfo` (providers.md §3.2):
 *
 * - `thinking`: `budget` — only `{type:"enabled", budget_tokens}` (Claude 4);
 *   `hybrid` — `enabled` still works (deprecated) and `adaptive` is preferred (Claude 4.6);
 *   `adaptive` — `enabled` is a 400, depth is steered by `output_config.effort` (Opus 4.7+, 5.x).
 * - `efforts`: the `output_config.effort` values the model accepts; empty where it has no such knob.
 * - `disable`: how thinking is turned off — send `{type:"disabled"}`, `omit` the field (Opus 4.8
 *   thinks only when `adaptive` is sent), or `never` (thinking always on).
 * - `sampling`: the rule for temperature/top_p/top_k under the legacy `2023-06-01` API version
 *   (the `2026-10-21` version that SDK 1.x sends refuses all three): `full` — free without
 *   thinking, with thinking temperature 1 only, top_p 0.95–1, no top_k; `one-of` — as `full`, and
 *   temperature and top_p not both; `default-only` — temperature 1 only, top_p ≥ 0.99, no top_k.
 * - `prefill`: whether a final assistant message (prefill) is accepted.
 */
export interface AnthropicTraits {
  thinking: "budget" | "hybrid" | "adaptive";
  efforts: readonly AnthropicEffort[];
  disable: "disabled" | "omit" | "never";
  sampling: "full" | "one-of" | "default-only";
  prefill: boolean;
}

const FULL_LADDER: readonly AnthropicEffort[] = ANTHROPIC_EFFORTS;
const NO_XHIGH: readonly AnthropicEffort[] = ["low", "medium", "high", "max"];

/**
 * Claude 4 and later return *summarised* thinking (providers.md §3.2), so every entry says
 * `kind: "summary"`; `full` would only be right for Claude 3.7, which is long retired.
 * The `sampling` lists are what the models accept under API version 2026-10-21, which this
 * adapter sends by default: only `stop` (→ `stop_sequences`). With the adapter's
 * `apiVersion: "2023-06-01"` option the per-model `sampling` trait above applies instead.
 *
 * Sources: Claude 4 retirement on 2026-06-15 with Sonnet 4.6 / Opus 4.8 as the recommended
 * replacements — Anthropic's model-deprecations page and release notes (June 2026); limits
 * from the per-model overview pages on platform.claude.com (Nov 2026). The effort ladders of
 * Sonnet 5.5 and Haiku 5.5 are not stated there; the full ladder of Opus 5 is assumed.
 */
export const ANTHROPIC_MODELS: readonly ModelInfo[] = [
  {
    id: "anthropic/claude-sonnet-4-20250514",
    provider: "anthropic",
    model: "claude-sonnet-4-20250514",
    aliases: ["claude-sonnet-4-20250514", "claude-sonnet-4-0"],
    reasoning: { supported: true, field: "thinking.budget_tokens", kind: "summary", can_disable: true },
    context_window: 200_000,
    max_output_tokens: 64_000,
    default_max_output_tokens: 16_000,
    images: true,
    sampling: ["stop"],
    retired: { since: "2026-06-15", replacement: "anthropic/claude-sonnet-4-6" },
  },
  {
    id: "anthropic/claude-opus-4-20250514",
    provider: "anthropic",
    model: "claude-opus-4-20250514",
    aliases: ["claude-opus-4-20250514", "claude-opus-4-0"],
    reasoning: { supported: true, field: "thinking.budget_tokens", kind: "summary", can_disable: true },
    context_window: 200_000,
    max_output_tokens: 32_000,
    default_max_output_tokens: 16_000,
    images: true,
    sampling: ["stop"],
    retired: { since: "2026-06-15", replacement: "anthropic/claude-opus-4-8" },
  },
  hybrid("claude-sonnet-4-6"),
  hybrid("claude-opus-4-6"),
  adaptive("claude-opus-4-8", true),
  adaptive("claude-opus-5", true),
  adaptive("claude-opus-5-5", false),
  adaptive("claude-sonnet-5-5", true),
  adaptive("claude-haiku-5-5", true),
];

export const ANTHROPIC_TRAITS: Readonly<Record<string, AnthropicTraits>> = {
  "claude-sonnet-4-20250514": budgetTraits(),
  "claude-opus-4-20250514": budgetTraits(),
  "claude-sonnet-4-6": {
    thinking: "hybrid",
    efforts: NO_XHIGH,
    disable: "disabled",
    sampling: "one-of",
    prefill: false,
  },
  "claude-opus-4-6": { thinking: "hybrid", efforts: NO_XHIGH, disable: "disabled", sampling: "one-of", prefill: false },
  "claude-opus-4-8": adaptiveTraits("omit"),
  "claude-opus-5": adaptiveTraits("disabled"),
  "claude-opus-5-5": adaptiveTraits("never"),
  "claude-sonnet-5-5": adaptiveTraits("disabled"),
  "claude-haiku-5-5": adaptiveTraits("disabled"),
};

/** The traits of a catalog model; a model missing here is a catalog bug, not a user error. */
export function anthropicTraits(model: ModelInfo): AnthropicTraits {
  const traits = ANTHROPIC_TRAITS[model.traits_of ?? model.model];
  if (traits === undefined) throw new Error(`no Anthropic traits for ${model.id}; add it to anthropic-models.ts`);
  return traits;
}

function budgetTraits(): AnthropicTraits {
  return { thinking: "budget", efforts: [], disable: "disabled", sampling: "full", prefill: true };
}

function adaptiveTraits(disable: AnthropicTraits["disable"]): AnthropicTraits {
  return { thinking: "adaptive", efforts: FULL_LADDER, disable, sampling: "default-only", prefill: false };
}

function hybrid(model: string): ModelInfo {
  return {
    id: `anthropic/${model}`,
    provider: "anthropic",
    model,
    aliases: [model],
    reasoning: {
      supported: true,
      field: "thinking.budget_tokens | output_config.effort",
      kind: "summary",
      can_disable: true,
    },
    context_window: 1_000_000,
    max_output_tokens: 128_000,
    default_max_output_tokens: 32_000,
    images: true,
    sampling: ["stop"],
  };
}

function adaptive(model: string, canDisable: boolean): ModelInfo {
  return {
    id: `anthropic/${model}`,
    provider: "anthropic",
    model,
    aliases: [model],
    reasoning: { supported: true, field: "output_config.effort", kind: "summary", can_disable: canDisable },
    context_window: 1_000_000,
    max_output_tokens: 128_000,
    default_max_output_tokens: 32_000,
    images: true,
    sampling: ["stop"],
  };
}
