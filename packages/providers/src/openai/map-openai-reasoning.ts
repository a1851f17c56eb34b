/**
 * reasonq's one reasoning control → OpenAI's knobs, and which API to call.
 *
 * | reasonq control                 | OpenAI request                                                        | warning |
 * | ------------------------------- | --------------------------------------------------------------------- | ------- |
 * | (nothing)                       | the model's default effort, sent explicitly (medium; gpt-5-pro high)¹ | no      |
 * | effort the model accepts        | `reasoning_effort` (Chat) / `reasoning.effort` (Responses), same value | no      |
 * | effort it does not accept       | nearest accepted effort, ties upward (`nearestEffort`)²               | adapted |
 * | budget_tokens N                 | largest effort whose DEFAULT_EFFORT_BUDGETS value ≤ N (`budgetToEffort`), among accepted efforts | adapted |
 * | budget_tokens 0, model has none | `none`                                                                | adapted |
 * | enabled: false, model has none  | `none` (gpt-5.1, gpt-5.2)                                             | no      |
 * | enabled: false, no `none`       | refused: unsupported_parameter (reasoning.enabled)                    | —       |
 * | adaptive (thinking.type)        | the default effort (OpenAI has no adaptive mode)                      | adapted |
 * | any effort/budget on o1-mini    | nothing sent (o1-mini has no effort knob)                             | unsupported |
 * | include: true                   | Responses API + `reasoning.summary: "auto"` where the model returns summaries (o3, o4-mini, gpt-5.x), else Chat Completions | no |
 * | include: false                  | Chat Completions (Responses without summary where Chat does not serve the model: gpt-5-pro) | no |
 *
 * ¹ gpt-5.1 and later default to `none` on the API side, which would silently skip the
 *   reasoning a reasonq job exists for; so the effort is always sent.
 * ² `max` is accepted by no listed model (providers.md §1.1 leaves it unverified), so it
 *   maps to the model's top effort (`xhigh` on gpt-5.2, `high` elsewhere) with a warning.
 *
 * Effort budgets used for budget_tokens (shared DEFAULT_EFFORT_BUDGETS): minimal 512,
 * low 1024, medium 8192, high 24576, xhigh 32768.
 */
import { type ReasoningEffort, ReasonqError, type ResolvedReasoning, type Warning } from "@reasonq/core";
import type { ModelInfo } from "../adapter.ts";
import { budgetToEffort, DEFAULT_EFFORT_BUDGETS, type EffortBudgets, nearestEffort } from "../shared/map-reasoning.ts";
import type { OpenAIEffort, OpenAIModelTraits } from "./openai-models.ts";

export type OpenAIApi = "chat" | "responses";

export interface OpenAIReasoningPlan {
  api: OpenAIApi;
  /** The effort to send; null sends no effort knob at all (o1-mini). */
  effort: OpenAIEffort | null;
  /** Ask the Responses API for a reasoning summary (`reasoning.summary: "auto"`). */
  summary: boolean;
}

export function mapOpenAIReasoning(
  reasoning: ResolvedReasoning,
  model: ModelInfo,
  traits: OpenAIModelTraits,
): { value: OpenAIReasoningPlan; warnings: Warning[] } {
  const { effort, warnings } = chooseEffort(reasoning, model, traits);
  const summary = reasoning.include && traits.api.summaries && traits.api.responses && effort !== "none";
  const api: OpenAIApi = summary || !traits.api.chat ? "responses" : "chat";
  return { value: { api, effort, summary }, warnings };
}

function chooseEffort(
  reasoning: ResolvedReasoning,
  model: ModelInfo,
  traits: OpenAIModelTraits,
): { effort: OpenAIEffort | null; warnings: Warning[] } {
  const levels = traits.efforts.filter((e): e is ReasoningEffort => e !== "none");
  const canDisable = traits.efforts.includes("none");

  if (!reasoning.enabled) {
    if (canDisable) return { effort: "none", warnings: [] };
    const lowest = levels[0];
    throw new ReasonqError(
      "unsupported_parameter",
      `model ${model.id} cannot turn reasoning off` +
        (lowest === undefined ? "" : `; the least it does is reasoning.effort "${lowest}"`),
      { field: "reasoning.enabled" },
    );
  }

  if (levels.length === 0) {
    // o1-mini: it reasons at its own fixed depth and takes no effort parameter.
    const asked = reasoning.effort !== undefined ? "effort" : reasoning.budget_tokens !== undefined ? "budget" : null;
    if (asked === null) return { effort: null, warnings: [] };
    const field = asked === "effort" ? "reasoning.effort" : "reasoning.budget_tokens";
    return {
      effort: null,
      warnings: [
        {
          type: "unsupported",
          field,
          message: `model ${model.id} has no reasoning_effort parameter; it reasons at its fixed depth and ${field} was not sent`,
        },
      ],
    };
  }

  if (reasoning.effort !== undefined) {
    const { value, warnings } = nearestEffort(reasoning.effort, levels);
    return { effort: value, warnings };
  }

  if (reasoning.budget_tokens !== undefined) {
    if (reasoning.budget_tokens === 0 && canDisable) {
      return {
        effort: "none",
        warnings: [
          {
            type: "adapted",
            field: "reasoning.budget_tokens",
            message: 'this model takes an effort, not a token budget: budget_tokens 0 was mapped to effort "none"',
          },
        ],
      };
    }
    const table: EffortBudgets = Object.fromEntries(levels.map((e) => [e, DEFAULT_EFFORT_BUDGETS[e]]));
    const { value, warnings } = budgetToEffort(reasoning.budget_tokens, table);
    return { effort: value, warnings };
  }

  const fallback = traits.defaultEffort ?? (levels[0] as ReasoningEffort);
  if (reasoning.adaptive === true) {
    return {
      effort: fallback,
      warnings: [
        {
          type: "adapted",
          field: "thinking.type",
          message: `OpenAI models have no adaptive thinking; reasoning effort "${fallback}" (the model's default) was used`,
        },
      ],
    };
  }
  return { effort: fallback, warnings: [] };
}
