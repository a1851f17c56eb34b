import { type ReasoningEffort, ReasonqError, type ResolvedReasoning, type Warning } from "@reasonq/core";
import type { ModelInfo } from "../adapter.ts";
import { reasoningKnobField } from "../shared/check-request.ts";
import { budgetToEffort, DEFAULT_EFFORT_BUDGETS, type Mapped } from "../shared/map-reasoning.ts";
import { isR1Era } from "./deepseek-models.ts";

/** The efforts DeepSeek V4 takes on the wire (`reasoning_effort`, providers.md §5.2). */
export const DEEPSEEK_EFFORTS: readonly ReasoningEffort[] = ["low", "high", "max"];

/** DeepSeek's own folding of the effort scale (providers.md §5.2), not the nearest-neighbour rule. */
const DEEPSEEK_EFFORT_FOLD: Readonly<Record<ReasoningEffort, ReasoningEffort>> = {
  minimal: "low",
  low: "low",
  medium: "high",
  high: "high",
  xhigh: "high",
  max: "max",
};

function foldEffort(effort: ReasoningEffort): Mapped<ReasoningEffort> {
  const value = DEEPSEEK_EFFORT_FOLD[effort];
  if (value === effort) return { value, warnings: [] };
  return {
    value,
    warnings: [
      {
        type: "adapted",
        field: "reasoning.effort",
        message: `DeepSeek takes effort low, high or max: "${effort}" runs as "${value}"`,
      },
    ],
  };
}

/** DeepSeek's default effort in thinking mode; reasonq sends it explicitly so the job records it. */
export const DEEPSEEK_DEFAULT_EFFORT: ReasoningEffort = "high";

/**
 * reasonq's reasoning control → DeepSeek's knobs (OpenAI format; `thinking` travels in the
 * body beside the SDK's own fields):
 *
 * | control            | V4 (deepseek-flash, deepseek-v4-*)                             | R1 era (deepseek-reasoner)   |
 * | ------------------ | -------------------------------------------------------------- | ---------------------------- |
 * | effort minimal,low | thinking {type: enabled}, reasoning_effort low                 | not sent, warning            |
 * | effort medium,high | reasoning_effort high                                          | not sent, warning            |
 * | effort xhigh       | reasoning_effort high                                          | not sent, warning            |
 * | effort max         | reasoning_effort max                                           | not sent, warning            |
 * | budget_tokens n    | largest of low 1024 / high 24576 / max 65536 that fits n       | not sent, warning            |
 * | neither            | thinking enabled, reasoning_effort high (DeepSeek's default)   | — (always thinks)            |
 * | adaptive           | as neither, warning                                            | warning                      |
 * | enabled: false     | thinking {type: disabled}, no effort                           | refused                      |
 * | include: false     | nothing sent: reasoning_content always comes back; reasonq     | same                         |
 * |                    | drops the text but keeps the count                             |                              |
 *
 * Effort values that DeepSeek folds (minimal → low; medium, xhigh → high) are folded here
 * and said in a warning, so the job records what the model actually ran with.
 */
export function mapDeepSeekReasoning(reasoning: ResolvedReasoning, model: ModelInfo): Mapped<Record<string, unknown>> {
  if (isR1Era(model)) return mapR1Era(reasoning, model);
  if (!reasoning.enabled) return { value: { thinking: { type: "disabled" } }, warnings: [] };

  const warnings: Warning[] = [];
  let effort: Mapped<ReasoningEffort>;
  if (reasoning.budget_tokens !== undefined) {
    const table = Object.fromEntries(DEEPSEEK_EFFORTS.map((e) => [e, DEFAULT_EFFORT_BUDGETS[e]]));
    effort = budgetToEffort(reasoning.budget_tokens, table);
  } else {
    effort = foldEffort(reasoning.effort ?? DEEPSEEK_DEFAULT_EFFORT);
  }
  warnings.push(...effort.warnings);
  if (reasoning.adaptive === true) {
    warnings.push({
      type: "adapted",
      field: "thinking.type",
      message: `DeepSeek has no adaptive thinking; effort "${effort.value}" was used`,
    });
  }
  return { value: { thinking: { type: "enabled" }, reasoning_effort: effort.value }, warnings };
}

function mapR1Era(reasoning: ResolvedReasoning, model: ModelInfo): Mapped<Record<string, unknown>> {
  if (!reasoning.enabled) {
    throw new ReasonqError("unsupported_parameter", `model ${model.id} cannot turn thinking off`, {
      field: "reasoning.enabled",
    });
  }
  const field = reasoningKnobField(reasoning);
  if (field === null) return { value: {}, warnings: [] };
  return {
    value: {},
    warnings: [
      { type: "unsupported", field, message: `model ${model.id} has no reasoning control, so ${field} was not sent` },
    ],
  };
}

/** In thinking mode DeepSeek accepts these but ignores them (providers.md §5.2). */
export function thinkingModeSamplingWarnings(sampling: Record<string, unknown>, thinking: boolean): Warning[] {
  if (!thinking) return [];
  return ["temperature", "top_p"]
    .filter((field) => sampling[field] !== undefined)
    .map((field) => ({
      type: "unsupported" as const,
      field,
      message: `DeepSeek accepts ${field} in thinking mode but ignores it; turn thinking off (reasoning.enabled: false) for it to apply`,
    }));
}
