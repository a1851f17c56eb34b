import type { ModelInfo } from "../adapter.ts";

/**
 * The offline models. Their native knobs are the sim's own (`effort`, `budget_tokens`);
 * prices are in `@reasonq/billing`. The sampling lists are deliberately narrow so the
 * refusal path of SPEC §4 can be exercised offline: a field listed here has an effect
 * (seed and temperature change the sim's draw, stop truncates the echo).
 */
export const SIM_MODELS: readonly ModelInfo[] = [
  {
    id: "sim/reasoner",
    provider: "sim",
    model: "reasoner",
    aliases: ["sim-reasoner"],
    reasoning: { supported: true, field: "effort | budget_tokens", kind: "full", can_disable: true },
    context_window: 128_000,
    max_output_tokens: 32_768,
    default_max_output_tokens: 8_192,
    sampling: ["seed"],
  },
  {
    id: "sim/hasty",
    provider: "sim",
    model: "hasty",
    aliases: ["sim-hasty"],
    reasoning: { supported: true, field: "effort | budget_tokens", kind: "full", can_disable: true },
    context_window: 32_000,
    max_output_tokens: 8_192,
    default_max_output_tokens: 2_048,
    sampling: ["temperature", "seed"],
  },
  {
    id: "sim/echo",
    provider: "sim",
    model: "echo",
    aliases: ["sim-echo"],
    reasoning: { supported: false, field: null, kind: "none", can_disable: false },
    context_window: 32_000,
    max_output_tokens: 8_192,
    default_max_output_tokens: 2_048,
    sampling: ["temperature", "top_p", "stop", "seed"],
  },
];
