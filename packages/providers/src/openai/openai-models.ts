import type { ReasoningEffort } from "@reasonq/core";
import type { ModelInfo } from "../adapter.ts";

/** OpenAI's effort values: reasonq's six plus `none` (reasoning off, gpt-5.1 and later). */
export type OpenAIEffort = ReasoningEffort | "none";

/**
 * What the adapter must know about a model beyond `ModelInfo` (which is shared by every
 * provider and has no room for it): which efforts it accepts, which API to call.
 *
 * Sources: providers.md §1.1 (gpt-5.1: none|low|medium|high; before gpt-5.1 `none` is
 * rejected; `xhigh` only after gpt-5.1-codex-max; gpt-5-pro only `high`; `max` support
 * unverified, so no model is listed with it), §1.1 (o1-mini rejected the `system` role),
 * and the published effort tables (o-series low|medium|high; gpt-5 / gpt-5-mini
 * minimal|low|medium|high; gpt-5.2 none…xhigh).
 */
export interface OpenAIModelTraits {
  /** Accepted efforts, lowest first; empty when the model has no effort knob (o1-mini). */
  efforts: readonly OpenAIEffort[];
  /**
   * The effort sent when the job names none. Always explicit, because gpt-5.1 and later
   * default to `none` (no reasoning) on the API side.
   */
  defaultEffort: OpenAIEffort | null;
  /**
   * Where the model is served, and whether the Responses API returns reasoning summaries
   * for it. The API a job goes to is chosen from this in map-openai-reasoning.ts.
   */
  api: { chat: boolean; responses: boolean; summaries: boolean };
  /** Accepts system/developer messages; o1-mini did not. */
  systemRole: boolean;
  /** With effort `none` the model takes temperature / top_p (providers.md §1.5). */
  samplingWhenOff: boolean;
}

const O_SERIES: readonly OpenAIEffort[] = ["low", "medium", "high"];
const GPT5: readonly OpenAIEffort[] = ["minimal", "low", "medium", "high"];
const BOTH_WITH_SUMMARIES = { chat: true, responses: true, summaries: true };
/** Served on both APIs, but no summaries on Responses: Chat Completions it is. */
const HIDDEN = { chat: true, responses: true, summaries: false };
const CHAT_ONLY_HIDDEN = { chat: true, responses: false, summaries: false };

export const OPENAI_TRAITS: Readonly<Record<string, OpenAIModelTraits>> = {
  o1: { efforts: O_SERIES, defaultEffort: "medium", api: HIDDEN, systemRole: true, samplingWhenOff: false },
  "o1-mini": { efforts: [], defaultEffort: null, api: CHAT_ONLY_HIDDEN, systemRole: false, samplingWhenOff: false },
  "o3-mini": {
    efforts: O_SERIES,
    defaultEffort: "medium",
    api: HIDDEN,
    systemRole: true,
    samplingWhenOff: false,
  },
  o3: {
    efforts: O_SERIES,
    defaultEffort: "medium",
    api: BOTH_WITH_SUMMARIES,
    systemRole: true,
    samplingWhenOff: false,
  },
  "o4-mini": {
    efforts: O_SERIES,
    defaultEffort: "medium",
    api: BOTH_WITH_SUMMARIES,
    systemRole: true,
    samplingWhenOff: false,
  },
  "gpt-5": {
    efforts: GPT5,
    defaultEffort: "medium",
    api: BOTH_WITH_SUMMARIES,
    systemRole: true,
    samplingWhenOff: false,
  },
  "gpt-5-mini": {
    efforts: GPT5,
    defaultEffort: "medium",
    api: BOTH_WITH_SUMMARIES,
    systemRole: true,
    samplingWhenOff: false,
  },
  "gpt-5-pro": {
    efforts: ["high"],
    defaultEffort: "high",
    api: { chat: false, responses: true, summaries: true },
    systemRole: true,
    samplingWhenOff: false,
  },
  "gpt-5.1": {
    efforts: ["none", "low", "medium", "high"],
    defaultEffort: "medium",
    api: BOTH_WITH_SUMMARIES,
    systemRole: true,
    samplingWhenOff: true,
  },
  "gpt-5.2": {
    efforts: ["none", "low", "medium", "high", "xhigh"],
    defaultEffort: "medium",
    api: BOTH_WITH_SUMMARIES,
    systemRole: true,
    samplingWhenOff: true,
  },
};

/** For a model added to the catalog without traits: the o-series behaviour, Chat only. */
const FALLBACK_TRAITS: OpenAIModelTraits = {
  efforts: O_SERIES,
  defaultEffort: "medium",
  api: CHAT_ONLY_HIDDEN,
  systemRole: true,
  samplingWhenOff: false,
};

export function traitsOf(model: ModelInfo): OpenAIModelTraits {
  return OPENAI_TRAITS[model.traits_of ?? model.model] ?? FALLBACK_TRAITS;
}

interface Entry {
  model: string;
  context: number;
  maxOutput: number;
}

function entry({ model, context, maxOutput }: Entry): ModelInfo {
  const traits = OPENAI_TRAITS[model] ?? FALLBACK_TRAITS;
  const field =
    traits.efforts.length === 0
      ? null
      : traits.api.summaries
        ? traits.api.chat
          ? "reasoning.effort | reasoning_effort"
          : "reasoning.effort"
        : "reasoning_effort";
  return {
    id: `openai/${model}`,
    provider: "openai",
    model,
    aliases: [model],
    reasoning: {
      supported: true,
      field,
      // Summaries on the Responses API; only a token count on Chat Completions.
      kind: traits.api.summaries ? "summary" : "hidden",
      can_disable: traits.efforts.includes("none"),
    },
    context_window: context,
    max_output_tokens: maxOutput,
    default_max_output_tokens: Math.min(32_768, maxOutput),
    // o1-mini and o3-mini read text only; the others take images.
    images: model !== "o1-mini" && model !== "o3-mini",
    // Reasoning models take no sampling parameters (providers.md §1.5); the `none`
    // exception of gpt-5.1+ is handled in prepare, not advertised here.
    sampling: [],
  };
}

/**
 * OpenAI reasoning models. Limits from OpenAI's model pages (o1, o3, o3-mini, o4-mini:
 * 200k context / 100k output; o1-mini 128k / 65,536; gpt-5.x 400k / 128k, gpt-5-pro
 * 272k output). None is marked retired: providers.md records no OpenAI retirement.
 */
export const OPENAI_MODELS: readonly ModelInfo[] = [
  entry({ model: "o1", context: 200_000, maxOutput: 100_000 }),
  entry({ model: "o1-mini", context: 128_000, maxOutput: 65_536 }),
  entry({ model: "o3-mini", context: 200_000, maxOutput: 100_000 }),
  entry({ model: "o3", context: 200_000, maxOutput: 100_000 }),
  entry({ model: "o4-mini", context: 200_000, maxOutput: 100_000 }),
  entry({ model: "gpt-5", context: 400_000, maxOutput: 128_000 }),
  entry({ model: "gpt-5-mini", context: 400_000, maxOutput: 128_000 }),
  entry({ model: "gpt-5-pro", context: 400_000, maxOutput: 272_000 }),
  entry({ model: "gpt-5.1", context: 400_000, maxOutput: 128_000 }),
  entry({ model: "gpt-5.2", context: 400_000, maxOutput: 128_000 }),
];
