/**
 * The models the Gemini mock serves and how each one thinks (shared/providers.md §4.2):
 * 2.5 models take a token `thinkingBudget` (Pro 128–32768 and always on; Flash 0–24576;
 * Flash-Lite 512–24576, off by default), 3.x models a `thinkingLevel` from a per-model set.
 * 3.x level sets: 3.1 Pro LOW/MEDIUM/HIGH, 3 Flash all four, 3.8 Flash LOW/MEDIUM/HIGH
 * (Google's model guides, as read through the search index; providers.md leaves 3.x open).
 */
export type MockLevel = "MINIMAL" | "LOW" | "MEDIUM" | "HIGH";

export type MockThinking =
  | { kind: "budget"; min: number; max: number; canDisable: boolean; defaultOn: boolean }
  | { kind: "level"; levels: readonly MockLevel[]; defaultLevel: MockLevel };

export interface MockGeminiModel {
  thinking: MockThinking;
  inputLimit: number;
  outputLimit: number;
}

const LONG_CONTEXT = 1_048_576;

export const MOCK_GEMINI_MODELS: Readonly<Record<string, MockGeminiModel>> = {
  "gemini-2.5-pro": {
    thinking: { kind: "budget", min: 128, max: 32_768, canDisable: false, defaultOn: true },
    inputLimit: LONG_CONTEXT,
    outputLimit: 65_536,
  },
  "gemini-2.5-flash": {
    thinking: { kind: "budget", min: 0, max: 24_576, canDisable: true, defaultOn: true },
    inputLimit: LONG_CONTEXT,
    outputLimit: 65_536,
  },
  "gemini-2.5-flash-lite": {
    thinking: { kind: "budget", min: 512, max: 24_576, canDisable: true, defaultOn: false },
    inputLimit: LONG_CONTEXT,
    outputLimit: 65_536,
  },
  "gemini-3-flash-preview": {
    thinking: { kind: "level", levels: ["MINIMAL", "LOW", "MEDIUM", "HIGH"], defaultLevel: "HIGH" },
    inputLimit: LONG_CONTEXT,
    outputLimit: 65_536,
  },
  "gemini-3.1-pro-preview": {
    thinking: { kind: "level", levels: ["LOW", "MEDIUM", "HIGH"], defaultLevel: "HIGH" },
    inputLimit: LONG_CONTEXT,
    outputLimit: 65_536,
  },
  "gemini-3.8-flash": {
    thinking: { kind: "level", levels: ["LOW", "MEDIUM", "HIGH"], defaultLevel: "MEDIUM" },
    inputLimit: LONG_CONTEXT,
    outputLimit: 65_536,
  },
};

/** Thinking tokens a level stands for in the mock (only the order matters). */
export const LEVEL_TOKENS: Record<MockLevel, number> = { MINIMAL: 256, LOW: 1024, MEDIUM: 4096, HIGH: 8192 };

/** Tokens the mock thinks when the request leaves the amount to the model (budget -1 or unset). */
export const DYNAMIC_THINKING_TOKENS = 2048;
