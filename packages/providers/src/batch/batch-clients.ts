import { createAnthropicBatchClient } from "../anthropic/anthropic-batch-client.ts";
import { createGoogleBatchClient } from "../google/google-batch-client.ts";
import { createOpenAIBatchClient } from "../openai/openai-batch-client.ts";
import type { AdapterOptions } from "../registry.ts";
import type { ProviderBatchClient } from "./batch-client.ts";

export interface BatchClients {
  /** The family's batch client, or null when the provider has no batch API. */
  get(family: string): ProviderBatchClient | null;
  families(): string[];
}

/** OpenAI, Anthropic and Google have batch APIs billed at half price; the other families have none. */
export function createBatchClients(options: Pick<AdapterOptions, "connections">): BatchClients {
  const clients = new Map<string, ProviderBatchClient>([
    ["openai", createOpenAIBatchClient(options.connections?.openai ?? {})],
    ["anthropic", createAnthropicBatchClient(options.connections?.anthropic ?? {})],
    ["google", createGoogleBatchClient(options.connections?.google ?? {})],
  ]);
  return {
    get: (family) => clients.get(family) ?? null,
    families: () => [...clients.keys()],
  };
}
