/**
 * What the mock knows of each OpenAI reasoning model: which reasoning_effort values it
 * accepts, which endpoints serve it, whether the Responses API returns reasoning
 * summaries for it. Kept apart from the adapter's catalog on purpose: the mock plays the
 * vendor, so a disagreement between the two shows up as a failing test.
 *
 * Sources: providers.md §1.1 (gpt-5.1 accepts none|low|medium|high and defaults to none;
 * models before it reject none; xhigh only after gpt-5.1-codex-max; gpt-5-pro only high),
 * §1.5 (o1-mini rejects the system role), the effort tables published for these models
 * (low|medium|high for the o-series, minimal|low|medium|high for gpt-5 / gpt-5-mini),
 * openai@7.57 `Reasoning.summary` (`concise` only after gpt-5).
 */
export type MockEffort = "none" | "minimal" | "low" | "medium" | "high" | "xhigh" | "max";

export interface MockModel {
  id: string;
  /** The dated snapshot name the API reports back in `model`. */
  snapshot: string;
  /** Accepted reasoning_effort values; null when the model has no effort knob at all. */
  efforts: readonly MockEffort[] | null;
  /** What the model does when no effort is sent. */
  defaultEffort: MockEffort;
  chat: boolean;
  responses: boolean;
  /** Returns reasoning summaries when `reasoning.summary` is asked. */
  summaries: boolean;
  /** Accepts `reasoning.summary: "concise"`. */
  concise: boolean;
  /** Accepts `system` / `developer` messages (o1-mini did not). */
  systemRole: boolean;
  /** With effort `none`, temperature / top_p / logprobs are accepted (providers.md §1.5). */
  samplingWhenNone: boolean;
  contextWindow: number;
  maxOutput: number;
}

const O_SERIES = ["low", "medium", "high"] as const;

const MODELS: MockModel[] = [
  {
    id: "o1",
    snapshot: "o1-2024-12-17",
    efforts: O_SERIES,
    defaultEffort: "medium",
    chat: true,
    responses: true,
    summaries: false,
    concise: false,
    systemRole: true,
    samplingWhenNone: false,
    contextWindow: 200_000,
    maxOutput: 100_000,
  },
  {
    id: "o1-mini",
    snapshot: "o1-mini-2024-09-12",
    efforts: null,
    defaultEffort: "medium",
    chat: true,
    responses: false,
    summaries: false,
    concise: false,
    systemRole: false,
    samplingWhenNone: false,
    contextWindow: 128_000,
    maxOutput: 65_536,
  },
  {
    id: "o3-mini",
    snapshot: "o3-mini-2025-01-31",
    efforts: O_SERIES,
    defaultEffort: "medium",
    chat: true,
    responses: true,
    summaries: false,
    concise: false,
    systemRole: true,
    samplingWhenNone: false,
    contextWindow: 200_000,
    maxOutput: 100_000,
  },
  {
    id: "o3",
    snapshot: "o3-2025-04-16",
    efforts: O_SERIES,
    defaultEffort: "medium",
    chat: true,
    responses: true,
    summaries: true,
    concise: false,
    systemRole: true,
    samplingWhenNone: false,
    contextWindow: 200_000,
    maxOutput: 100_000,
  },
  {
    id: "o4-mini",
    snapshot: "o4-mini-2025-04-16",
    efforts: O_SERIES,
    defaultEffort: "medium",
    chat: true,
    responses: true,
    summaries: true,
    concise: false,
    systemRole: true,
    samplingWhenNone: false,
    contextWindow: 200_000,
    maxOutput: 100_000,
  },
  {
    id: "gpt-5",
    snapshot: "gpt-5-2025-08-07",
    efforts: ["minimal", "low", "medium", "high"],
    defaultEffort: "medium",
    chat: true,
    responses: true,
    summaries: true,
    concise: false,
    systemRole: true,
    samplingWhenNone: false,
    contextWindow: 400_000,
    maxOutput: 128_000,
  },
  {
    id: "gpt-5-mini",
    snapshot: "gpt-5-mini-2025-08-07",
    efforts: ["minimal", "low", "medium", "high"],
    defaultEffort: "medium",
    chat: true,
    responses: true,
    summaries: true,
    concise: false,
    systemRole: true,
    samplingWhenNone: false,
    contextWindow: 400_000,
    maxOutput: 128_000,
  },
  {
    id: "gpt-5-pro",
    snapshot: "gpt-5-pro-2025-10-06",
    efforts: ["high"],
    defaultEffort: "high",
    chat: false,
    responses: true,
    summaries: true,
    concise: false,
    systemRole: true,
    samplingWhenNone: false,
    contextWindow: 400_000,
    maxOutput: 272_000,
  },
  {
    id: "gpt-5.1",
    snapshot: "gpt-5.1-2025-11-13",
    efforts: ["none", "low", "medium", "high"],
    defaultEffort: "none",
    chat: true,
    responses: true,
    summaries: true,
    concise: true,
    systemRole: true,
    samplingWhenNone: true,
    contextWindow: 400_000,
    maxOutput: 128_000,
  },
  {
    id: "gpt-5.2",
    snapshot: "gpt-5.2-2025-12-11",
    efforts: ["none", "low", "medium", "high", "xhigh"],
    defaultEffort: "none",
    chat: true,
    responses: true,
    summaries: true,
    concise: true,
    systemRole: true,
    samplingWhenNone: true,
    contextWindow: 400_000,
    maxOutput: 128_000,
  },
];

const BY_NAME = new Map<string, MockModel>(MODELS.flatMap((m) => [[m.id, m] as const, [m.snapshot, m] as const]));

/** A model by its name or dated snapshot. */
export function findMockModel(name: unknown): MockModel | undefined {
  return typeof name === "string" ? BY_NAME.get(name) : undefined;
}
