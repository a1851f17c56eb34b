import { z } from "zod";

export const REASONING_EFFORTS = ["minimal", "low", "medium", "high", "xhigh", "max"] as const;
export const ReasoningEffortSchema = z.enum(REASONING_EFFORTS);
export type ReasoningEffort = z.infer<typeof ReasoningEffortSchema>;
/** `reasoning_effort` as OpenAI's SDK types it: the efforts, and `none` for thinking off. */
export const ReasoningEffortParamSchema = z.enum(["none", ...REASONING_EFFORTS]);
export type ReasoningEffortParam = z.infer<typeof ReasoningEffortParamSchema>;

/** Upper bound on any thinking budget we pass on; no provider accepts more. */
export const MAX_BUDGET_TOKENS = 1_000_000;

/**
 * The one reasoning control of reasonq. `effort` and `budget_tokens` are alternatives;
 * `include` (default true) asks for reasoning text where the provider can return it;
 * `enabled: false` turns thinking off where the model allows it.
 */
export const ReasoningControlSchema = z
  .strictObject({
    effort: ReasoningEffortSchema.optional(),
    budget_tokens: z.number().int().min(0).max(MAX_BUDGET_TOKENS).optional(),
    include: z.boolean().optional(),
    enabled: z.boolean().optional(),
  })
  .meta({ id: "ReasoningControl" });
export type ReasoningControl = z.infer<typeof ReasoningControlSchema>;

/** Anthropic's native form, as users paste it from Anthropic's docs. */
export const NativeThinkingSchema = z.strictObject({
  type: z.enum(["enabled", "disabled", "adaptive"]),
  budget_tokens: z.number().int().min(0).max(MAX_BUDGET_TOKENS).optional(),
});
export type NativeThinking = z.infer<typeof NativeThinkingSchema>;

/** What the adapters see: one form, `include` resolved. */
export interface ResolvedReasoning {
  effort?: ReasoningEffort;
  budget_tokens?: number;
  include: boolean;
  enabled: boolean;
  /** Anthropic-style adaptive thinking was asked for natively. */
  adaptive?: boolean;
  /**
   * Thinking was turned off by `reasoning_effort: "none"`: a model that cannot turn it off
   * runs at its lowest effort (with a warning) instead of refusing.
   */
  off_by_effort?: boolean;
}

export interface ReasoningInputs {
  reasoning?: ReasoningControl | undefined;
  reasoning_effort?: ReasoningEffortParam | undefined;
  thinking?: NativeThinking | undefined;
  return_reasoning?: boolean | undefined;
}

export interface ReasoningConflict {
  field: string;
  message: string;
}

/**
 * Folds the unified control and the native forms into one. Two forms that say different
 * things about the same knob are a conflict (the caller answers 400 naming the field);
 * saying the same thing twice is fine.
 */
export function resolveReasoning(input: ReasoningInputs): ResolvedReasoning | ReasoningConflict {
  const out: ResolvedReasoning = { include: true, enabled: true };
  const given = input.reasoning ?? {};

  if (given.effort !== undefined && given.budget_tokens !== undefined) {
    return {
      field: "reasoning",
      message: "reasoning.effort and reasoning.budget_tokens are alternatives: give one of them",
    };
  }
  if (given.effort !== undefined) out.effort = given.effort;
  if (given.budget_tokens !== undefined) out.budget_tokens = given.budget_tokens;
  if (given.include !== undefined) out.include = given.include;
  if (given.enabled !== undefined) out.enabled = given.enabled;

  if (input.reasoning_effort === "none") {
    if (given.enabled === true || out.effort !== undefined || out.budget_tokens !== undefined) {
      return {
        field: "reasoning_effort",
        message: 'reasoning_effort "none" turns thinking off; it conflicts with reasoning',
      };
    }
    out.enabled = false;
    out.off_by_effort = true;
  } else if (input.reasoning_effort !== undefined) {
    if (out.budget_tokens !== undefined) {
      return {
        field: "reasoning_effort",
        message: "reasoning_effort conflicts with reasoning.budget_tokens: give one",
      };
    }
    if (out.effort !== undefined && out.effort !== input.reasoning_effort) {
      return { field: "reasoning_effort", message: "reasoning_effort differs from reasoning.effort" };
    }
    out.effort = input.reasoning_effort;
  }

  if (input.thinking !== undefined) {
    const t = input.thinking;
    if (t.type === "disabled") {
      if (given.enabled === true) {
        return { field: "thinking.type", message: 'thinking.type "disabled" conflicts with reasoning.enabled: true' };
      }
      out.enabled = false;
    } else {
      if (given.enabled === false) {
        return { field: "thinking.type", message: `thinking.type "${t.type}" conflicts with reasoning.enabled: false` };
      }
      if (t.type === "enabled" && t.budget_tokens === undefined) {
        return { field: "thinking.budget_tokens", message: 'thinking.type "enabled" requires thinking.budget_tokens' };
      }
      if (t.type === "adaptive") out.adaptive = true;
      if (t.budget_tokens !== undefined) {
        if (out.effort !== undefined) {
          return {
            field: "thinking.budget_tokens",
            message: "thinking.budget_tokens conflicts with an effort: give one",
          };
        }
        if (out.budget_tokens !== undefined && out.budget_tokens !== t.budget_tokens) {
          return {
            field: "thinking.budget_tokens",
            message: "thinking.budget_tokens differs from reasoning.budget_tokens",
          };
        }
        out.budget_tokens = t.budget_tokens;
      }
    }
  }

  if (input.return_reasoning !== undefined) {
    if (given.include !== undefined && given.include !== input.return_reasoning) {
      return { field: "return_reasoning", message: "return_reasoning differs from reasoning.include" };
    }
    out.include = input.return_reasoning;
  }

  if (!out.enabled && (out.effort !== undefined || out.budget_tokens !== undefined)) {
    return {
      field: "reasoning.enabled",
      message: "reasoning.enabled is false but an effort or budget was given",
    };
  }
  return out;
}

export function isReasoningConflict(value: ResolvedReasoning | ReasoningConflict): value is ReasoningConflict {
  return "message" in value;
}
