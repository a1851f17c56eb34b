import { type JobSpec, ReasonqError, type ResolvedReasoning, type SamplingParams } from "@reasonq/core";
import type { ModelInfo } from "../adapter.ts";

/** The output cap a request runs with: the asked one, or the model's default, never above its limit. */
export function maxOutputTokensFor(spec: JobSpec, model: ModelInfo): number {
  const maxTokens = spec.max_output_tokens ?? model.default_max_output_tokens;
  if (maxTokens > model.max_output_tokens) {
    throw new ReasonqError(
      "invalid_request",
      `max_output_tokens ${maxTokens} exceeds the ${model.max_output_tokens} that model ${model.id} allows`,
      { field: "max_output_tokens" },
    );
  }
  return maxTokens;
}

/** Sampling fields the model does not list are refused with the rule, never dropped. */
export function checkSampling(sampling: SamplingParams, model: ModelInfo): void {
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

/** The request field of the depth knob a request set (effort, budget, adaptive), if any. */
export function reasoningKnobField(reasoning: ResolvedReasoning): string | null {
  if (reasoning.effort !== undefined) return "reasoning.effort";
  if (reasoning.budget_tokens !== undefined) return "reasoning.budget_tokens";
  if (reasoning.adaptive === true) return "thinking.type";
  return null;
}

/** A model without reasoning refuses reasoning knobs rather than ignoring them (SPEC §3). */
export function refuseReasoningKnobs(reasoning: ResolvedReasoning, model: ModelInfo): void {
  const field = reasoningKnobField(reasoning);
  if (field === null) return;
  throw new ReasonqError("unsupported_parameter", `model ${model.id} does not reason, so ${field} cannot be honoured`, {
    field,
  });
}

/** A family without schema-constrained output refuses structured output rather than ignoring it. */
export function refuseStructuredOutput(spec: JobSpec, model: ModelInfo, allowJsonObject = false): void {
  const format = spec.response_format;
  if (format === undefined || (allowJsonObject && format.type === "json_object")) return;
  throw new ReasonqError(
    "unsupported_parameter",
    `model ${model.id} has no ${format.type === "json_object" ? "JSON mode" : "schema-constrained output"}, so response_format ${format.type} cannot be honoured`,
    { field: "response_format" },
  );
}
