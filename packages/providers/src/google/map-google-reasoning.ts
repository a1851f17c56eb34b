import { type ReasoningEffort, ReasonqError, type ResolvedReasoning, type Warning } from "@reasonq/core";
import type { ModelInfo } from "../adapter.ts";
import {
  budgetToEffort,
  clampBudget,
  DEFAULT_EFFORT_BUDGETS,
  type EffortBudgets,
  type Mapped,
  nearestEffort,
} from "../shared/map-reasoning.ts";
import type { GeminiThinkingConfig, GeminiThinkingLevel } from "./google-api-types.ts";
import { type GoogleThinkingSpec, thinkingSpecOf } from "./google-models.ts";

/**
 * reasonq's one reasoning control → `generationConfig.thinkingConfig`. Gemini 2.5 takes a
 * token budget, Gemini 3.x a level; the two are never sent together (that is a 400).
 *
 * | reasonq control            | Gemini 2.5 (`thinkingBudget`)                               | Gemini 3.x (`thinkingLevel`)                  |
 * | -------------------------- | ----------------------------------------------------------- | --------------------------------------------- |
 * | nothing given              | not sent: the model's dynamic default                       | not sent: the model's default level           |
 * | effort minimal             | 512                                                         | MINIMAL, else the nearest level (warning)     |
 * | effort low                 | 1024                                                        | LOW                                           |
 * | effort medium              | 8192                                                        | MEDIUM, else the nearest level (warning)      |
 * | effort high                | 24576                                                       | HIGH                                          |
 * | effort xhigh               | 32768, capped at the model's maximum (warning)              | HIGH (warning)                                |
 * | effort max                 | the model's maximum (2.5 Pro 32768, 2.5 Flash 24576)        | the highest level (HIGH)                      |
 * | budget_tokens N            | N, clamped into the range (warning); 0 on Flash = off       | largest level whose budget fits N (warning)¹  |
 * | thinking.type "adaptive"   | -1 (dynamic)                                                | not sent (3.x thinks dynamically by default)  |
 * | enabled: false             | 0 on 2.5 Flash; refused on 2.5 Pro (cannot turn off)        | refused (3.x cannot turn thinking off)        |
 * | include: true (default)    | `includeThoughts: true` (thought summaries)                 | `includeThoughts: true`                       |
 * | include: false             | `includeThoughts` not sent (thoughts hidden, still billed)  | same                                          |
 *
 * Effort budgets are the shared table (Google's OpenAI-compatible mapping: low/medium/high =
 * 1024/8192/24576). Ranges: 2.5 Pro 128–32768, 2.5 Flash 0–24576 (providers.md §4.2).
 * ¹ Level budgets for that mapping: MINIMAL 512, LOW 1024, MEDIUM 8192, HIGH 24576.
 */
export function mapGoogleReasoning(
  reasoning: ResolvedReasoning,
  model: ModelInfo,
): Mapped<GeminiThinkingConfig | undefined> {
  const spec = thinkingSpecOf(model);
  if (!reasoning.enabled) return disable(model, spec);
  const mapped = spec.knob === "thinkingBudget" ? mapToBudget(reasoning, model, spec) : mapToLevel(reasoning, spec);
  const config: GeminiThinkingConfig = { ...mapped.value };
  // Nothing to show when thinking is off; otherwise ask for the thought summaries.
  if (reasoning.include && config.thinkingBudget !== 0) config.includeThoughts = true;
  return { value: Object.keys(config).length === 0 ? undefined : config, warnings: mapped.warnings };
}

function disable(model: ModelInfo, spec: GoogleThinkingSpec): Mapped<GeminiThinkingConfig> {
  if (model.reasoning.can_disable && spec.knob === "thinkingBudget" && spec.min === 0) {
    return { value: { thinkingBudget: 0 }, warnings: [] };
  }
  const least =
    spec.knob === "thinkingBudget" ? `thinkingBudget ${spec.min}` : `thinkingLevel ${spec.levels[0] ?? "LOW"}`;
  throw new ReasonqError(
    "unsupported_parameter",
    `model ${model.id} cannot turn thinking off; the least it thinks is ${least} (ask for reasoning.effort "minimal")`,
    { field: "reasoning.enabled" },
  );
}

function mapToBudget(
  reasoning: ResolvedReasoning,
  model: ModelInfo,
  range: { min: number; max: number },
): Mapped<GeminiThinkingConfig> {
  if (reasoning.budget_tokens !== undefined) {
    const { value, warnings } = clampBudget(reasoning.budget_tokens, range);
    return { value: { thinkingBudget: value }, warnings };
  }
  if (reasoning.effort !== undefined) {
    const { value, warnings } = effortToModelBudget(reasoning.effort, model, range);
    return { value: { thinkingBudget: value }, warnings };
  }
  if (reasoning.adaptive === true) return { value: { thinkingBudget: -1 }, warnings: [] };
  return { value: {}, warnings: [] };
}

/** `max` means the model's ceiling; other efforts take the shared table, capped by it. */
function effortToModelBudget(
  effort: ReasoningEffort,
  model: ModelInfo,
  range: { min: number; max: number },
): Mapped<number> {
  if (effort === "max") return { value: range.max, warnings: [] };
  const nominal = DEFAULT_EFFORT_BUDGETS[effort];
  const value = Math.min(range.max, Math.max(range.min, nominal));
  if (value === nominal) return { value, warnings: [] };
  const warning: Warning = {
    type: "adapted",
    field: "reasoning.effort",
    message: `effort "${effort}" stands for ${nominal} thinking tokens, more than the ${range.max} ${model.id} allows; thinkingBudget ${value} was used`,
  };
  return { value, warnings: [warning] };
}

const LEVEL_OF: Partial<Record<ReasoningEffort, GeminiThinkingLevel>> = {
  minimal: "MINIMAL",
  low: "LOW",
  medium: "MEDIUM",
  high: "HIGH",
};

function effortOf(level: GeminiThinkingLevel): ReasoningEffort {
  return level.toLowerCase() as ReasoningEffort;
}

function levelOf(effort: ReasoningEffort): GeminiThinkingLevel {
  const level = LEVEL_OF[effort];
  if (level === undefined) throw new Error(`effort ${effort} has no Gemini thinking level`);
  return level;
}

function mapToLevel(
  reasoning: ResolvedReasoning,
  spec: { levels: readonly GeminiThinkingLevel[] },
): Mapped<GeminiThinkingConfig> {
  const efforts = spec.levels.map(effortOf);
  if (reasoning.budget_tokens !== undefined) {
    const table: EffortBudgets = Object.fromEntries(efforts.map((e) => [e, DEFAULT_EFFORT_BUDGETS[e]]));
    const { value, warnings } = budgetToEffort(reasoning.budget_tokens, table);
    return { value: { thinkingLevel: levelOf(value) }, warnings };
  }
  if (reasoning.effort === "max") {
    const highest = spec.levels.at(-1);
    if (highest !== undefined) return { value: { thinkingLevel: highest }, warnings: [] };
  }
  if (reasoning.effort !== undefined) {
    const { value, warnings } = nearestEffort(reasoning.effort, efforts);
    return { value: { thinkingLevel: levelOf(value) }, warnings };
  }
  // Adaptive or nothing asked: Gemini 3 already thinks dynamically at its default level.
  return { value: {}, warnings: [] };
}
