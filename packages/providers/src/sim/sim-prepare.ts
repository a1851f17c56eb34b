import { type JobSpec, type Message, type ReasoningEffort, ReasonqError, type Warning } from "@reasonq/core";
import type { ModelInfo, PreparedRequest } from "../adapter.ts";
import {
  checkSampling,
  maxOutputTokensFor,
  refuseReasoningKnobs,
  refuseStructuredOutput,
} from "../shared/check-request.ts";

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
  refuseStructuredOutput(spec, model);
  if (spec.tools !== undefined) {
    // The simulated models only reason and answer: tools would be silently ignored.
    throw new ReasonqError("unsupported_parameter", `model ${model.id} does not call tools`, { field: "tools" });
  }
  const maxTokens = maxOutputTokensFor(spec, model);

  const warnings: Warning[] = [];
  const params: Omit<SimRequestBody, "model" | "messages"> = { max_tokens: maxTokens };
  const { reasoning } = spec;
  if (!model.reasoning.supported) {
    refuseReasoningKnobs(spec.reasoning, model);
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
