import { type ReasoningEffort, ReasonqError, type ResolvedReasoning, type Warning } from "@reasonq/core";
import type { ModelInfo } from "../adapter.ts";
import { refuseReasoningKnobs } from "../shared/check-request.ts";
import { budgetToEffort, DEFAULT_EFFORT_BUDGETS, type Mapped, nearestEffort } from "../shared/map-reasoning.ts";
import type { ReasoningRequest } from "./openai-compatible-profiles.ts";

/**
 * reasonq's one reasoning control → the knob of an OpenAI-compatible endpoint, by the
 * profile's (or the model's) `ReasoningRequest` style:
 *
 * | control          | none / return_reasoning | reasoning_effort                  | reasoning_object (OpenRouter)    | chat_template_kwargs  | enable_thinking       |
 * | ---------------- | ----------------------- | --------------------------------- | -------------------------------- | --------------------- | --------------------- |
 * | effort e         | not sent, warning       | nearest of the model's efforts    | reasoning.effort (max → xhigh)   | not sent, warning     | not sent, warning     |
 * | budget_tokens n  | not sent, warning       | largest effort whose default      | reasoning.max_tokens = n         | not sent, warning     | not sent, warning     |
 * |                  |                         | budget fits in n, warning         |                                  |                       |                       |
 * | neither          | —                       | — (the provider's default)        | reasoning.enabled = true         | {key: true}           | enable_thinking: true |
 * | adaptive         | as neither, warning     | as neither, warning               | as neither, warning              | as neither, warning   | as neither, warning   |
 * | include: false   | return_reasoning: false | — (text dropped by reasonq)       | reasoning.exclude = true         | —                     | —                     |
 * | include: true    | return_reasoning: true  | —                                 | —                                | —                     | —                     |
 * | enabled: false   | refused                 | reasoning_effort = off, or refused| reasoning.effort = "none"        | {key: false}          | enable_thinking: false|
 *
 * (`return_reasoning` is the include column of the first style; `none` sends nothing.)
 * Before any of this: a model that does not reason refuses effort/budget/adaptive; a
 * model whose catalog entry says `can_disable: false` refuses `enabled: false`.
 * Effort ↔ budget uses DEFAULT_EFFORT_BUDGETS (shared/map-reasoning.ts).
 */
export function mapOpenAICompatibleReasoning(
  reasoning: ResolvedReasoning,
  model: ModelInfo,
  style: ReasoningRequest,
): Mapped<Record<string, unknown>> {
  if (!model.reasoning.supported) {
    refuseReasoningKnobs(reasoning, model);
    return { value: {}, warnings: [] };
  }
  if (!reasoning.enabled) return { value: disable(style, model), warnings: [] };

  const warnings: Warning[] = [];
  if (reasoning.adaptive === true) {
    warnings.push({
      type: "adapted",
      field: "thinking.type",
      message: `model ${model.id} has no adaptive thinking; its default reasoning was used`,
    });
  }
  const knob = reasoning.effort !== undefined || reasoning.budget_tokens !== undefined;
  const params: Record<string, unknown> = {};
  switch (style.type) {
    case "none":
    case "return_reasoning":
    case "chat_template_kwargs":
    case "enable_thinking":
      if (knob) warnings.push(noDepthKnob(reasoning, model));
      if (style.type === "return_reasoning") params.return_reasoning = reasoning.include;
      if (style.type === "chat_template_kwargs") params.chat_template_kwargs = { [style.key]: true };
      if (style.type === "enable_thinking") params.enable_thinking = true;
      break;
    case "reasoning_effort": {
      const effort = effortFor(reasoning, style.efforts);
      if (effort !== undefined) {
        params.reasoning_effort = effort.value;
        warnings.push(...effort.warnings);
      }
      break;
    }
    case "reasoning_object":
      params.reasoning = openRouterReasoning(reasoning, warnings);
      break;
  }
  return { value: params, warnings };
}

const OPENROUTER_EFFORTS: readonly ReasoningEffort[] = ["minimal", "low", "medium", "high", "xhigh"];

function openRouterReasoning(reasoning: ResolvedReasoning, warnings: Warning[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  if (reasoning.budget_tokens !== undefined) {
    out.max_tokens = reasoning.budget_tokens;
  } else if (reasoning.effort !== undefined) {
    const mapped = nearestEffort(reasoning.effort, OPENROUTER_EFFORTS);
    out.effort = mapped.value;
    warnings.push(...mapped.warnings);
  } else {
    out.enabled = true;
  }
  if (!reasoning.include) out.exclude = true;
  return out;
}

function effortFor(reasoning: ResolvedReasoning, efforts: readonly ReasoningEffort[]): Mapped<string> | undefined {
  if (reasoning.effort !== undefined) return nearestEffort(reasoning.effort, efforts);
  if (reasoning.budget_tokens === undefined) return undefined;
  const table = Object.fromEntries(efforts.map((e) => [e, DEFAULT_EFFORT_BUDGETS[e]]));
  return budgetToEffort(reasoning.budget_tokens, table);
}

function disable(style: ReasoningRequest, model: ModelInfo): Record<string, unknown> {
  const refuse = () =>
    new ReasonqError("unsupported_parameter", `model ${model.id} cannot turn thinking off`, {
      field: "reasoning.enabled",
    });
  if (!model.reasoning.can_disable) throw refuse();
  switch (style.type) {
    case "reasoning_effort":
      if (style.off === undefined) throw refuse();
      return { reasoning_effort: style.off };
    case "reasoning_object":
      return { reasoning: { effort: "none" } };
    case "chat_template_kwargs":
      return { chat_template_kwargs: { [style.key]: false } };
    case "enable_thinking":
      return { enable_thinking: false };
    case "none":
    case "return_reasoning":
      throw refuse();
  }
}

function noDepthKnob(reasoning: ResolvedReasoning, model: ModelInfo): Warning {
  const field = reasoning.effort !== undefined ? "reasoning.effort" : "reasoning.budget_tokens";
  return {
    type: "unsupported",
    field,
    message: `model ${model.id} offers no control over how long it thinks, so ${field} was not sent; it reasons at its own default depth`,
  };
}
