import { type ProviderConnection, ReasonqError } from "@reasonq/core";
import type { ProviderAdapter } from "./adapter.ts";
import { createAnthropicAdapter } from "./anthropic/anthropic-adapter.ts";
import { createDeepSeekAdapter } from "./deepseek/deepseek-adapter.ts";
import { createGoogleAdapter } from "./google/google-adapter.ts";
import { createOpenAIAdapter } from "./openai/openai-adapter.ts";
import type { CustomProviders } from "./openai-compatible/custom-providers.ts";
import { createOpenAICompatibleAdapter } from "./openai-compatible/openai-compatible-adapter.ts";
import {
  OLLAMA_PROFILE,
  OPENROUTER_PROFILE,
  SGLANG_PROFILE,
  THEAGENTIC_PROFILE,
  VLLM_PROFILE,
  XAI_PROFILE,
} from "./openai-compatible/openai-compatible-profiles.ts";
import { prepareConversation } from "./shared/prepare-conversation.ts";
import { createSimAdapter } from "./sim/sim-adapter.ts";

export interface AdapterOptions {
  simTokensPerSecond: number;
  /** Key and base URL per provider family (`<PROVIDER>_API_KEY`, `<PROVIDER>_BASE_URL`). */
  connections?: Record<string, ProviderConnection>;
  /** OpenAI-compatible providers from reasonq.config (`parseCustomProviders`); each is its own family. */
  customProviders?: CustomProviders;
}

export interface AdapterRegistry {
  /** The adapter of a provider family (a model's `provider`). */
  get(family: string): ProviderAdapter;
  families(): string[];
}

const FACTORIES = {
  sim: (options: AdapterOptions) => createSimAdapter({ tokensPerSecond: options.simTokensPerSecond }),
  openai: (options: AdapterOptions) => createOpenAIAdapter(options.connections?.openai ?? {}),
  google: (options: AdapterOptions) => createGoogleAdapter(options.connections?.google ?? {}),
  anthropic: (options: AdapterOptions) => createAnthropicAdapter(options.connections?.anthropic ?? {}),
  deepseek: (options: AdapterOptions) => createDeepSeekAdapter(options.connections?.deepseek ?? {}),
  theagentic: (options: AdapterOptions) =>
    createOpenAICompatibleAdapter(options.connections?.theagentic ?? {}, { profile: THEAGENTIC_PROFILE }),
  xai: (options: AdapterOptions) =>
    createOpenAICompatibleAdapter(options.connections?.xai ?? {}, { profile: XAI_PROFILE }),
  openrouter: (options: AdapterOptions) =>
    createOpenAICompatibleAdapter(options.connections?.openrouter ?? {}, { profile: OPENROUTER_PROFILE }),
  vllm: (options: AdapterOptions) =>
    createOpenAICompatibleAdapter(options.connections?.vllm ?? {}, { profile: VLLM_PROFILE }),
  sglang: (options: AdapterOptions) =>
    createOpenAICompatibleAdapter(options.connections?.sglang ?? {}, { profile: SGLANG_PROFILE }),
  ollama: (options: AdapterOptions) =>
    createOpenAICompatibleAdapter(options.connections?.ollama ?? {}, { profile: OLLAMA_PROFILE }),
} satisfies Record<string, (options: AdapterOptions) => ProviderAdapter>;

export type ProviderFamily = keyof typeof FACTORIES;

/** One queue per family is created from this list. */
export const PROVIDER_FAMILIES = Object.keys(FACTORIES) as ProviderFamily[];

const wrapped = new WeakMap<ProviderAdapter, ProviderAdapter>();

/** Every adapter's `prepare` goes through the shared conversation rules first. */
function withConversationRules(adapter: ProviderAdapter): ProviderAdapter {
  let out = wrapped.get(adapter);
  if (out === undefined) {
    out = { ...adapter, prepare: (spec, model) => prepareConversation(adapter, spec, model) };
    wrapped.set(adapter, out);
  }
  return out;
}

export function createAdapters(options: AdapterOptions): AdapterRegistry {
  const adapters = new Map<string, ProviderAdapter>(
    PROVIDER_FAMILIES.map((family) => [family, FACTORIES[family](options)]),
  );
  for (const profile of options.customProviders?.profiles ?? []) {
    if (adapters.has(profile.family))
      throw new Error(`custom provider "${profile.family}" clashes with a built-in family`);
    adapters.set(
      profile.family,
      createOpenAICompatibleAdapter(options.connections?.[profile.family] ?? {}, { profile }),
    );
  }
  const families = [...adapters.keys()];
  return {
    get(family) {
      const adapter = adapters.get(family);
      if (adapter === undefined) {
        throw new ReasonqError("unknown_model", `no adapter for provider "${family}"; known: ${families.join(", ")}`, {
          field: "model",
        });
      }
      return withConversationRules(adapter);
    },
    families: () => [...families],
  };
}
