import type { ProviderConnection } from "@reasonq/core";
import OpenAI from "openai";
import { providerFetch } from "../shared/provider-fetch.ts";

const OPENAI_DEFAULT_BASE_URL = "https://api.openai.com/v1";

/**
 * The `openai` SDK client for one connection, built on first use: the registry creates
 * every adapter and batch client, keys or not. Retries are ours (`maxRetries: 0`), and
 * only main.ts reads the environment, so the SDK must not read OPENAI_* itself.
 */
export function lazyOpenAIClient(connection: ProviderConnection, options: { timeout?: number } = {}): () => OpenAI {
  let client: OpenAI | undefined;
  return () => {
    client ??= new OpenAI({
      apiKey: connection.apiKey ?? null,
      baseURL: connection.baseUrl ?? OPENAI_DEFAULT_BASE_URL,
      organization: null,
      project: null,
      maxRetries: 0,
      ...options,
      fetch: providerFetch,
    });
    return client;
  };
}
