import { type ReasoningEffort, ReasonqError, type ResolvedReasoning, type Warning } from "@reasonq/core";
import type { ModelInfo } from "../adapter.ts";
import {
  budgetToEffort,
  clampBudget,
  type EffortBudgets,
  type Mapped,
  nearestEffort,
} from "../shared/map-reasoning.ts";
import type { AnthropicEffort, AnthropicTraits } from "./anthropic-models.ts";

/**
 * reasonq's one reasoning control → Anthropic's knobs (providers.md §3.2). "budget models" are
 * Claude 4 (`thinking.enabled` only), "hybrid" Claude 4.6 (`enabled` deprecated but working,
 * `adaptive` preferred), "adaptive" Opus 4.8 and Claude 5.x (`enabled` is a 400).
 *
 * | control                 | budget models                          | hybrid models                          | adaptive models                         |
 * | ----------------------- | -------------------------------------- | -------------------------------------- | --------------------------------------- |
 * | (nothing)               | enabled, budget 8192 (effort medium)   | adaptive, model's default effort       | adaptive, model's default effort        |
 * | effort e                | enabled, budget = EFFORT_BUDGETS[e]    | adaptive + output_config.effort ≈ e ¹  | adaptive + output_config.effort ≈ e ¹   |
 * | budget_tokens b         | enabled, budget b ²                    | enabled, budget b ² (+ deprecation)    | adaptive + effort from b (warning) ³    |
 * | adaptive (native)       | enabled, budget 8192 (warning)         | adaptive (+ effort if given)           | adaptive (+ effort if given)            |
 * | adaptive + budget b     | enabled, budget b ²                    | adaptive + effort from b (warning) ³   | adaptive + effort from b (warning) ³    |
 * | enabled: false          | thinking {type: disabled}              | thinking {type: disabled}              | disabled; Opus 4.8: field omitted ⁴;    |
 * |                         |                                        |                                        | Opus 5.5 (always thinks): refused       |
 * | include true / false    | thinking.display summarized / omitted  | same                                   | same                                    |
 *
 * ¹ `minimal` is not an Anthropic effort and `xhigh` is missing on Claude 4.6: the nearest
 *   supported value is used (ties go up), with a warning.
 * ² Anthropic requires 1024 ≤ budget_tokens < max_tokens, and thinking counts toward max_tokens.
 *   A budget outside 1024 … (model max output − 1024) is clamped (warning). When the budget is not
 *   below max_tokens, reasonq **raises max_tokens** (warning) to budget + the max_output_tokens
 *   asked for (or the model default), capped at the model's max output: the answer keeps the room
 *   that was asked for, and the raised max_tokens is what the cost estimate sees.
 * ³ The largest effort whose nominal budget (EFFORT_BUDGETS) fits within b; below `low`, `low`.
 * ⁴ Opus 4.8 thinks only when `adaptive` is sent, and several adaptive-only models reject
 *   `{type: "disabled"}`, so the field is left out there.
 *
 * EFFORT_BUDGETS (budget models; also the nominal sizes for budget → effort):
 *
 * | effort  | budget_tokens |
 * | ------- | ------------- |
 * | minimal |          1024 |
 * | low     |          2048 |
 * | medium  |          8192 |
 * | high    |         24576 |
 * | xhigh   |         32768 |
 * | max     |         65536 |
 */
export const ANTHROPIC_EFFORT_BUDGETS = {
  minimal: 1024,
  low: 2048,
  medium: 8192,
  high: 24576,
  xhigh: 32768,
  max: 65536,
} as const satisfies Record<ReasoningEffort, number>;

/** Anthropic's floor for `thinking.budget_tokens`. */
export const MIN_BUDGET_TOKENS = 1024;
/** Room always left for the answer when a budget is clamped to the model's output limit. */
const MIN_ANSWER_ROOM = 1024;
const DEFAULT_EFFORT: ReasoningEffort = "medium";

export type ThinkingDisplay = "summarized" | "omitted";
export type AnthropicThinking =
  | { type: "enabled"; budget_tokens: number; display: ThinkingDisplay }
  | { type: "adaptive"; display: ThinkingDisplay }
  | { type: "disabled" };

export interface AnthropicReasoningParams {
  /** Absent when thinking is off by leaving the field out (Opus 4.8). */
  thinking?: AnthropicThinking;
  output_config?: { effort: AnthropicEffort };
  max_tokens: number;
}

/**
 * @param maxTokens the max_tokens the request would carry (asked for, or the model default);
 *   a thinking budget may raise it (see the table above).
 */
export function mapAnthropicReasoning(
  reasoning: ResolvedReasoning,
  model: ModelInfo,
  traits: AnthropicTraits,
  maxTokens: number,
): Mapped<AnthropicReasoningParams> {
  const display: ThinkingDisplay = reasoning.include ? "summarized" : "omitted";

  if (!reasoning.enabled) return disabled(model, traits, maxTokens);

  if (traits.thinking === "budget") {
    const warnings: Warning[] = [];
    if (reasoning.adaptive === true) {
      warnings.push({
        type: "adapted",
        field: "thinking.type",
        message: `${model.id} has no adaptive thinking; thinking.type "enabled" with a token budget was used`,
      });
    }
    const budget =
      reasoning.budget_tokens !== undefined
        ? clampBudget(reasoning.budget_tokens, budgetRange(model))
        : effortBudget(reasoning.effort ?? DEFAULT_EFFORT, model);
    const mapped = withBudget(budget.value, display, model, maxTokens);
    return { value: mapped.value, warnings: [...warnings, ...budget.warnings, ...mapped.warnings] };
  }

  if (traits.thinking === "hybrid" && reasoning.budget_tokens !== undefined && reasoning.adaptive !== true) {
    const budget = clampBudget(reasoning.budget_tokens, budgetRange(model));
    const mapped = withBudget(budget.value, display, model, maxTokens);
    const deprecated: Warning = {
      type: "deprecated",
      field: "reasoning.budget_tokens",
      message: `thinking.type "enabled" with budget_tokens is deprecated on ${model.id}; an effort (adaptive thinking) is preferred`,
    };
    return { value: mapped.value, warnings: [...budget.warnings, ...mapped.warnings, deprecated] };
  }

  const value: AnthropicReasoningParams = { thinking: { type: "adaptive", display }, max_tokens: maxTokens };
  const effort = adaptiveEffort(reasoning, traits);
  if (effort !== undefined) value.output_config = { effort: effort.value };
  return { value, warnings: effort?.warnings ?? [] };
}

function disabled(model: ModelInfo, traits: AnthropicTraits, maxTokens: number): Mapped<AnthropicReasoningParams> {
  if (traits.disable === "never") {
    throw new ReasonqError(
      "unsupported_parameter",
      `${model.id} always thinks (adaptive thinking is always on), so reasoning.enabled: false cannot be honoured`,
      { field: "reasoning.enabled" },
    );
  }
  if (traits.disable === "omit") return { value: { max_tokens: maxTokens }, warnings: [] };
  return { value: { thinking: { type: "disabled" }, max_tokens: maxTokens }, warnings: [] };
}

function budgetRange(model: ModelInfo) {
  return { min: MIN_BUDGET_TOKENS, max: model.max_output_tokens - MIN_ANSWER_ROOM };
}

function effortBudget(effort: ReasoningEffort, model: ModelInfo): Mapped<number> {
  const nominal = ANTHROPIC_EFFORT_BUDGETS[effort];
  const { max } = budgetRange(model);
  if (nominal <= max) return { value: nominal, warnings: [] };
  return {
    value: max,
    warnings: [
      {
        type: "adapted",
        field: "reasoning.effort",
        message: `effort "${effort}" stands for a ${nominal}-token thinking budget, more than ${model.id} can emit; budget_tokens ${max} was used`,
      },
    ],
  };
}

function withBudget(
  budget: number,
  display: ThinkingDisplay,
  model: ModelInfo,
  maxTokens: number,
): Mapped<AnthropicReasoningParams> {
  const thinking: AnthropicThinking = { type: "enabled", budget_tokens: budget, display };
  if (budget < maxTokens) return { value: { thinking, max_tokens: maxTokens }, warnings: [] };
  const raised = Math.min(model.max_output_tokens, budget + maxTokens);
  return {
    value: { thinking, max_tokens: raised },
    warnings: [
      {
        type: "adapted",
        field: "max_output_tokens",
        message: `Anthropic needs max_tokens above thinking.budget_tokens (thinking counts toward max_tokens): max_tokens ${maxTokens} was raised to ${raised} for budget_tokens ${budget}`,
      },
    ],
  };
}

function adaptiveEffort(reasoning: ResolvedReasoning, traits: AnthropicTraits): Mapped<AnthropicEffort> | undefined {
  const supported = traits.efforts as readonly ReasoningEffort[];
  if (supported.length === 0) return undefined;
  if (reasoning.effort !== undefined) return nearestEffort(reasoning.effort, supported) as Mapped<AnthropicEffort>;
  if (reasoning.budget_tokens === undefined) return undefined;
  const table: EffortBudgets = Object.fromEntries(supported.map((e) => [e, ANTHROPIC_EFFORT_BUDGETS[e]]));
  return budgetToEffort(reasoning.budget_tokens, table) as Mapped<AnthropicEffort>;
}
