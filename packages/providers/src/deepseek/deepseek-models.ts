import type { ModelInfo } from "../adapter.ts";

/** DeepSeek models whose rules are the R1-era ones (providers.md §5.1, §5.6): no knobs, no passback. */
export const R1_ERA_MODELS: ReadonlySet<string> = new Set(["deepseek-reasoner"]);

export function isR1Era(model: ModelInfo): boolean {
  return R1_ERA_MODELS.has(model.model);
}

/**
 * The late-2026 lineup (providers.md §5.1, api-docs.deepseek.com pricing): `deepseek-flash`
 * is DeepSeek-V4.1-Flash; `deepseek-v4-flash` is still accepted and served by it;
 * `deepseek-v4-pro` is still accepted. Thinking is on by default. 1M context, up to 384K
 * output. In thinking mode temperature and top_p are accepted but have no effect (a
 * warning says so). `deepseek-reasoner` (bare `deepseek-r1` too) was retired on 2026-07-24,
 * when it had become V4-Flash in thinking mode: it resolves to `deepseek/deepseek-flash`.
 */
const V4 = {
  provider: "deepseek",
  reasoning: { supported: true, field: "thinking.type, reasoning_effort", kind: "full", can_disable: true },
  context_window: 1_000_000,
  max_output_tokens: 384_000,
  default_max_output_tokens: 32_768,
  sampling: ["temperature", "top_p", "stop"],
} as const satisfies Omit<ModelInfo, "id" | "model" | "aliases">;

export const DEEPSEEK_MODELS: readonly ModelInfo[] = [
  { ...V4, id: "deepseek/deepseek-flash", model: "deepseek-flash", aliases: ["deepseek-flash"] },
  { ...V4, id: "deepseek/deepseek-v4-flash", model: "deepseek-v4-flash", aliases: ["deepseek-v4-flash"] },
  { ...V4, id: "deepseek/deepseek-v4-pro", model: "deepseek-v4-pro", aliases: ["deepseek-v4-pro"] },
  {
    id: "deepseek/deepseek-reasoner",
    provider: "deepseek",
    model: "deepseek-reasoner",
    aliases: ["deepseek-reasoner", "deepseek-r1"],
    reasoning: { supported: true, field: null, kind: "full", can_disable: false },
    context_window: 128_000,
    max_output_tokens: 64_000,
    default_max_output_tokens: 32_768,
    sampling: [],
    retired: { since: "2026-07-24", replacement: "deepseek/deepseek-flash" },
  },
];
