import { type ProviderConnection, ReasonqError } from "@reasonq/core";
import type { ProviderAdapter } from "./adapter.ts";
import { createSimAdapter } from "./sim/sim-adapter.ts";

export interface AdapterOptions {
  simTokensPerSecond: number;
  /** Key and base URL per provider family (`<PROVIDER>_API_KEY`, `<PROVIDER>_BASE_URL`). */
  connections?: Record<string, ProviderConnection>;
}

export interface AdapterRegistry {
  /** The adapter of a provider family (a model's `provider`). */
  get(family: string): ProviderAdapter;
  families(): string[];
}

const FACTORIES = {
  sim: (options: AdapterOptions) => createSimAdapter({ tokensPerSecond: options.simTokensPerSecond }),
} satisfies Record<string, (options: AdapterOptions) => ProviderAdapter>;

export type ProviderFamily = keyof typeof FACTORIES;

/** One queue per family is created from this list. */
export const PROVIDER_FAMILIES = Object.keys(FACTORIES) as ProviderFamily[];

export function createAdapters(options: AdapterOptions): AdapterRegistry {
  const adapters = new Map<string, ProviderAdapter>(
    PROVIDER_FAMILIES.map((family) => [family, FACTORIES[family](options)]),
  );
  return {
    get(family) {
      const adapter = adapters.get(family);
      if (adapter === undefined) {
        throw new ReasonqError(
          "unknown_model",
          `no adapter for provider "${family}"; known: ${PROVIDER_FAMILIES.join(", ")}`,
          {
            field: "model",
          },
        );
      }
      return adapter;
    },
    families: () => [...PROVIDER_FAMILIES],
  };
}
