import {
  type JobSpec,
  type Message,
  type ReasoningEffort,
  ReasonqError,
  type SamplingParams,
  type Warning,
} from "@reasonq/core";
import type { ModelInfo, PreparedRequest } from "../adapter.ts";

/** The sim's wire form: what a real adapter would POST, built here and read back by `stream`. */
export interface SimRequestBody {
  model: string;
  messages: Message[];
  max_tokens: number;
  effort?: ReasoningEffort;
  budget_tokens?: number;
  thinking?: "disabled";
  include_reasoning?: false;
  seed?: number;
  temperature?: number;
  top_p?: number;
  stop?: string[];
}

export const SIM_DEFAULT_EFFORT: ReasoningEffort = "medium";

export function prepareSimRequest(spec: JobSpec, model: ModelInfo): PreparedRequest {
  checkSampling(spec.sampling, model);
  const maxTokens = spec.max_output_tokens ?? model.default_max_output_tokens;
  if (maxTokens > model.max_output_tokens) {
    throw new ReasonqError(
      "invalid_request",
      `max_output_tokens ${maxTokens} exceeds the ${model.max_output_tokens} that model ${model.id} allows`,
      { field: "max_output_tokens" },
    );
  }

  const warnings: Warning[] = [];
  const params: Omit<SimRequestBody, "model" | "messages"> = { max_tokens: maxTokens };
  const { reasoning } = spec;
  if (!model.reasoning.supported) {
    refuseReasoningControls(spec, model);
  } else if (!reasoning.enabled) {
    if (!model.reasoning.can_disable) {
      throw new ReasonqError("unsupported_parameter", `model ${model.id} cannot turn thinking off`, {
        field: "reasoning.enabled",
      });
    }
    params.thinking = "disabled";
  } else {
    if (reasoning.budget_tokens !== undefined) params.budget_tokens = reasoning.budget_tokens;
    else params.effort = reasoning.effort ?? SIM_DEFAULT_EFFORT;
    if (reasoning.adaptive === true) {
      warnings.push({
        type: "adapted",
        field: "thinking.type",
        message: `sim models have no adaptive thinking; effort "${params.effort ?? SIM_DEFAULT_EFFORT}" was used`,
      });
    }
    if (!reasoning.include) params.include_reasoning = false;
  }
  Object.assign(params, spec.sampling);

  const body: SimRequestBody = { model: model.model, messages: spec.messages, ...params };
  return { model, resolvedParams: { ...params }, warnings, body: { ...body } };
}

function checkSampling(sampling: SamplingParams, model: ModelInfo): void {
  for (const [field, value] of Object.entries(sampling)) {
    if (value === undefined || (model.sampling as readonly string[]).includes(field)) continue;
    const accepted = model.sampling.length === 0 ? "none" : model.sampling.join(", ");
    throw new ReasonqError(
      "unsupported_parameter",
      `model ${model.id} does not accept ${field} (sampling fields it accepts: ${accepted})`,
      { field },
    );
  }
}

/** A model without reasoning refuses reasoning knobs rather than ignoring them (SPEC §3). */
function refuseReasoningControls(spec: JobSpec, model: ModelInfo): void {
  const { reasoning } = spec;
  const field =
    reasoning.effort !== undefined
      ? "reasoning.effort"
      : reasoning.budget_tokens !== undefined
        ? "reasoning.budget_tokens"
        : reasoning.adaptive === true
          ? "thinking.type"
          : null;
  if (field === null) return;
  throw new ReasonqError("unsupported_parameter", `model ${model.id} does not reason, so ${field} cannot be honoured`, {
    field,
  });
}
