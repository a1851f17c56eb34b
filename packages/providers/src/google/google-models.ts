import type { ModelInfo } from "../adapter.ts";
import type { GeminiThinkingLevel } from "./google-api-types.ts";

/**
 * How a Gemini model's thinking is controlled (shared/providers.md §4.2):
 * - 2.5 models take `thinkingBudget` in a per-model range (Pro 128–32768 and cannot be
 *   turned off; Flash 0–24576, 0 = off);
 * - 3.x models take `thinkingLevel` from a per-model set and cannot turn thinking off.
 *   3.1 Pro: LOW/MEDIUM/HIGH (Google's Gemini 3.5 Flash guide compares it; "MINIMAL not
 *   supported on 3.1 Pro"); 3.8 Flash: LOW/MEDIUM/HIGH (the lowest level is LOW for Flash
 *   from 3.7 on, per third-party clients; providers.md §10 lists 3.x ranges as open).
 */
export type GoogleThinkingSpec =
  | { knob: "thinkingBudget"; min: number; max: number }
  | { knob: "thinkingLevel"; levels: readonly GeminiThinkingLevel[] };

const SAMPLING = ["temperature", "top_p", "top_k", "stop", "seed"] as const;

const BUDGET_FIELD = "generationConfig.thinkingConfig.thinkingBudget";
const LEVEL_FIELD = "generationConfig.thinkingConfig.thinkingLevel";

/**
 * Gemini returns thought *summaries* (`includeThoughts`), while billing the full thinking:
 * `kind: "summary"`. Limits: 1,048,576-token context and 65,536 output tokens for every
 * model here; the default output cap is the model's maximum, as on Gemini 2.5, because
 * thinking draws on `maxOutputTokens` and a small cap ends in MAX_TOKENS with no answer.
 * No sampling field is refused: all five are accepted by generateContent (Google advises
 * leaving temperature at 1.0 on 3.x, but accepts it).
 */
export const GOOGLE_MODELS: readonly ModelInfo[] = [
  {
    id: "google/gemini-2.5-pro",
    provider: "google",
    model: "gemini-2.5-pro",
    aliases: ["gemini-2.5-pro"],
    reasoning: { supported: true, field: BUDGET_FIELD, kind: "summary", can_disable: false },
    context_window: 1_048_576,
    max_output_tokens: 65_536,
    default_max_output_tokens: 65_536,
    images: true,
    sampling: SAMPLING,
  },
  {
    id: "google/gemini-2.5-flash",
    provider: "google",
    model: "gemini-2.5-flash",
    // `gemini-2.5-flash-thinking` (SPEC §3's example) was never a separate API model: 2.5
    // Flash thinks by default (dynamic budget), so the name is an alias, not a retirement.
    aliases: ["gemini-2.5-flash", "gemini-2.5-flash-thinking"],
    reasoning: { supported: true, field: BUDGET_FIELD, kind: "summary", can_disable: true },
    context_window: 1_048_576,
    max_output_tokens: 65_536,
    default_max_output_tokens: 65_536,
    images: true,
    sampling: SAMPLING,
  },
  {
    id: "google/gemini-3.1-pro-preview",
    provider: "google",
    model: "gemini-3.1-pro-preview",
    aliases: ["gemini-3.1-pro-preview"],
    reasoning: { supported: true, field: LEVEL_FIELD, kind: "summary", can_disable: false },
    context_window: 1_048_576,
    max_output_tokens: 65_536,
    default_max_output_tokens: 65_536,
    images: true,
    sampling: SAMPLING,
  },
  {
    id: "google/gemini-3.8-flash",
    provider: "google",
    model: "gemini-3.8-flash",
    aliases: ["gemini-3.8-flash"],
    reasoning: { supported: true, field: LEVEL_FIELD, kind: "summary", can_disable: false },
    context_window: 1_048_576,
    max_output_tokens: 65_536,
    default_max_output_tokens: 65_536,
    images: true,
    sampling: SAMPLING,
  },
  {
    // Shut down on the Gemini API on 2026-03-09, superseded by 3.1 Pro (Gemini changelog,
    // as compiled by third parties); kept so the name users paste still resolves.
    id: "google/gemini-3-pro-preview",
    provider: "google",
    model: "gemini-3-pro-preview",
    aliases: ["gemini-3-pro-preview"],
    reasoning: { supported: true, field: LEVEL_FIELD, kind: "summary", can_disable: false },
    context_window: 1_048_576,
    max_output_tokens: 65_536,
    default_max_output_tokens: 65_536,
    images: true,
    sampling: SAMPLING,
    retired: { since: "2026-03-09", replacement: "google/gemini-3.1-pro-preview" },
  },
];

/** Thinking control per provider-side model name. */
export const GOOGLE_THINKING: Readonly<Record<string, GoogleThinkingSpec>> = {
  "gemini-2.5-pro": { knob: "thinkingBudget", min: 128, max: 32_768 },
  "gemini-2.5-flash": { knob: "thinkingBudget", min: 0, max: 24_576 },
  "gemini-3.1-pro-preview": { knob: "thinkingLevel", levels: ["LOW", "MEDIUM", "HIGH"] },
  "gemini-3.8-flash": { knob: "thinkingLevel", levels: ["LOW", "MEDIUM", "HIGH"] },
  "gemini-3-pro-preview": { knob: "thinkingLevel", levels: ["LOW", "HIGH"] },
};

export function thinkingSpecOf(model: ModelInfo): GoogleThinkingSpec {
  const spec = GOOGLE_THINKING[model.traits_of ?? model.model];
  if (spec === undefined) throw new Error(`no thinking spec for Gemini model ${model.model}`);
  return spec;
}
