/**
 * How the mock's Claude models behave (providers.md §3.2, per-model pages on
 * platform.claude.com, Nov 2026). Kept apart from the adapter's catalog on purpose: the mock
 * plays the API, so a wrong assumption in the adapter shows up as a 400 here.
 */
export interface MockClaudeModel {
  maxOutput: number;
  contextWindow: number;
  /** `budget`: only `enabled`; `hybrid`: `enabled` and `adaptive`; `adaptive`: `enabled` is a 400. */
  thinking: "budget" | "hybrid" | "adaptive";
  /** Accepted `output_config.effort` values; empty when the model has no effort knob. */
  efforts: readonly string[];
  /** Effort used when adaptive thinking runs without `output_config.effort`. */
  defaultEffort: string;
  /** Whether the model thinks when the request has no `thinking` field. */
  thinksByDefault: boolean;
  /** Whether `{type: "disabled"}` is accepted. */
  canDisable: boolean;
  /** `display` when the request gives none (Opus 4.7 and later hide thinking by default). */
  defaultDisplay: "summarized" | "omitted";
  /** temperature/top_p/top_k rule under anthropic-version 2023-06-01. */
  sampling: "full" | "one-of" | "default-only";
  prefill: boolean;
  /** Reports `usage.output_tokens_details.thinking_tokens` (new in the Opus 4.8 era). */
  reportsThinkingTokens: boolean;
  /** Retired models answer 404, as the real API does after the retirement date. */
  retired?: boolean;
}

const LADDER = ["low", "medium", "high", "xhigh", "max"] as const;

const claude4: MockClaudeModel = {
  maxOutput: 64_000,
  contextWindow: 200_000,
  thinking: "budget",
  efforts: [],
  defaultEffort: "high",
  thinksByDefault: false,
  canDisable: true,
  defaultDisplay: "summarized",
  sampling: "full",
  prefill: true,
  reportsThinkingTokens: false,
  retired: true,
};

const claude46: MockClaudeModel = {
  maxOutput: 128_000,
  contextWindow: 1_000_000,
  thinking: "hybrid",
  efforts: ["low", "medium", "high", "max"],
  defaultEffort: "high",
  thinksByDefault: false,
  canDisable: true,
  defaultDisplay: "summarized",
  sampling: "one-of",
  prefill: false,
  reportsThinkingTokens: false,
};

const adaptive = (overrides: Partial<MockClaudeModel>): MockClaudeModel => ({
  maxOutput: 128_000,
  contextWindow: 1_000_000,
  thinking: "adaptive",
  efforts: LADDER,
  defaultEffort: "high",
  thinksByDefault: true,
  canDisable: true,
  defaultDisplay: "omitted",
  sampling: "default-only",
  prefill: false,
  reportsThinkingTokens: true,
  ...overrides,
});

export const MOCK_CLAUDE_MODELS: Readonly<Record<string, MockClaudeModel>> = {
  "claude-sonnet-4-20250514": claude4,
  "claude-opus-4-20250514": { ...claude4, maxOutput: 32_000 },
  "claude-sonnet-4-6": claude46,
  "claude-opus-4-6": claude46,
  // Thinks only with `adaptive`; `{type: "disabled"}` is one of the 400s of the adaptive-only generation.
  "claude-opus-4-8": adaptive({ thinksByDefault: false, canDisable: false }),
  "claude-opus-5": adaptive({}),
  "claude-opus-5-5": adaptive({ defaultEffort: "medium", canDisable: false }),
  "claude-sonnet-5-5": adaptive({}),
  "claude-haiku-5-5": adaptive({ defaultEffort: "medium" }),
};
