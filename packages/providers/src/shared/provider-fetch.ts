import { Agent } from "undici";

export interface ProviderFetchOptions {
  /** Longest wait for response headers. */
  headersTimeoutMs?: number;
  /** Longest silence between body chunks; 0 disables it. */
  bodyTimeoutMs?: number;
}

/** A provider may hold a request in its own queue for a long time before answering. */
const HEADERS_TIMEOUT_MS = 20 * 60_000;

/**
 * The `fetch` every provider SDK is given. Node's own fetch gives up after 300 s without
 * response headers or without a body chunk, which cuts healthy reasoning streams that think
 * in silence (OpenAI Chat Completions sends nothing while a model reasons). Here the body
 * has no silence limit at all: each adapter detects a dead stream itself, with an idle
 * limit suited to its provider (`withIdleTimeout`).
 */
export function createProviderFetch(options: ProviderFetchOptions = {}): typeof fetch {
  const agent = new Agent({
    headersTimeout: options.headersTimeoutMs ?? HEADERS_TIMEOUT_MS,
    bodyTimeout: options.bodyTimeoutMs ?? 0,
    connectTimeout: 30_000,
  });
  return ((input: Parameters<typeof fetch>[0], init?: RequestInit) =>
    fetch(input, { ...init, dispatcher: agent } as RequestInit)) as typeof fetch;
}

export const providerFetch: typeof fetch = createProviderFetch();
