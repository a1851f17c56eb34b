import type { ModelInfo } from "../adapter.ts";
import { ANTHROPIC_MODELS } from "../anthropic/anthropic-models.ts";
import { DEEPSEEK_MODELS } from "../deepseek/deepseek-models.ts";
import { GOOGLE_MODELS } from "../google/google-models.ts";
import { OPENAI_MODELS } from "../openai/openai-models.ts";
import { OPENAI_COMPATIBLE_MODELS } from "../openai-compatible/openai-compatible-models.ts";
import { SIM_MODELS } from "../sim/sim-models.ts";

/** Every model reasonq knows. Each provider folder exports its own entries; add them here. */
export const MODELS: readonly ModelInfo[] = [
  ...SIM_MODELS,
  ...OPENAI_MODELS,
  ...GOOGLE_MODELS,
  ...ANTHROPIC_MODELS,
  ...DEEPSEEK_MODELS,
  ...OPENAI_COMPATIBLE_MODELS,
];
