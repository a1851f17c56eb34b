import { PROVIDER_ENV_PREFIXES } from "@reasonq/core";
import {
  type MockServer,
  startAnthropicMock,
  startDeepSeekMock,
  startGoogleMock,
  startOpenAICompatibleMock,
  startOpenAIMock,
} from "@reasonq/mock-providers";

type Family = keyof typeof PROVIDER_ENV_PREFIXES;

/** `reasonq mock-providers` without `--port-base`: 8800–8809, clear of the API's 8787. */
export const DEFAULT_PORT_BASE = 8800;

/** What the mocks accept as a key: any non-empty one. */
export const MOCK_API_KEY = "mock-key";

/**
 * Each family's mock, and the base URL its adapter expects (with the version path where
 * the SDK wants it: OpenAI-style `…/v1`, OpenRouter `…/api/v1`; Anthropic, Gemini and
 * DeepSeek take the bare origin). A family added to PROVIDER_ENV_PREFIXES without a mock
 * here fails to type-check.
 */
const MOCKS = {
  openai: { start: (port) => startOpenAIMock({ port }), path: "/v1" },
  anthropic: { start: (port) => startAnthropicMock({ port }), path: "" },
  google: { start: (port) => startGoogleMock({ port }), path: "" },
  deepseek: { start: (port) => startDeepSeekMock({ port }), path: "" },
  xai: { start: (port) => startOpenAICompatibleMock({ dialect: "xai", port }), path: "/v1" },
  openrouter: { start: (port) => startOpenAICompatibleMock({ dialect: "openrouter", port }), path: "/api/v1" },
  theagentic: { start: (port) => startOpenAICompatibleMock({ dialect: "theagentic", port }), path: "/v1" },
  vllm: { start: (port) => startOpenAICompatibleMock({ dialect: "vllm", port }), path: "/v1" },
  sglang: { start: (port) => startOpenAICompatibleMock({ dialect: "sglang", port }), path: "/v1" },
  ollama: { start: (port) => startOpenAICompatibleMock({ dialect: "ollama", port }), path: "/v1" },
} satisfies Record<Family, { start: (port: number) => Promise<MockServer>; path: string }>;

const FAMILIES = Object.keys(PROVIDER_ENV_PREFIXES) as Family[];

export interface RunningMocks {
  /** `<PREFIX>_BASE_URL` and `<PREFIX>_API_KEY` of every family, pointing at its mock. */
  env: Record<string, string>;
  close(): Promise<void>;
}

/**
 * Starts every family's mock on loopback, on consecutive ports from `portBase` in the order
 * of PROVIDER_ENV_PREFIXES (`portBase` 0: each on a free port the system picks).
 */
export async function startAllMocks(portBase: number): Promise<RunningMocks> {
  if (!Number.isInteger(portBase) || portBase < 0 || portBase + FAMILIES.length - 1 > 65_535) {
    throw new Error(`--port-base must be 0 or a port from 1 to ${65_535 - FAMILIES.length + 1}, not ${portBase}`);
  }
  const servers: MockServer[] = [];
  const close = async () => {
    await Promise.all(servers.map((server) => server.close()));
  };
  const env: Record<string, string> = {};
  try {
    for (const [i, family] of FAMILIES.entries()) {
      const mock = MOCKS[family];
      const server = await mock.start(portBase === 0 ? 0 : portBase + i);
      servers.push(server);
      const prefix = PROVIDER_ENV_PREFIXES[family];
      env[`${prefix}_BASE_URL`] = `${server.url}${mock.path}`;
      env[`${prefix}_API_KEY`] = MOCK_API_KEY;
    }
  } catch (error) {
    await close();
    throw error;
  }
  return { env, close };
}

/** Resolves on the first SIGINT or SIGTERM. */
function untilSignal(): Promise<NodeJS.Signals> {
  return new Promise((resolve) => {
    const on = (signal: NodeJS.Signals) => {
      process.off("SIGINT", on);
      process.off("SIGTERM", on);
      resolve(signal);
    };
    process.on("SIGINT", on);
    process.on("SIGTERM", on);
  });
}

/**
 * `reasonq mock-providers [--port-base N]`: every family's mock server, and the environment
 * that points reasonq at them, until SIGINT/SIGTERM. `stop` is for tests.
 */
export async function mockProviders(
  options: { portBase?: string },
  out: (line: string) => void,
  stop: () => Promise<unknown> = untilSignal,
): Promise<void> {
  const text = options.portBase ?? String(DEFAULT_PORT_BASE);
  if (!/^\d+$/.test(text)) throw new Error(`--port-base must be a port number, not "${text}"`);
  const mocks = await startAllMocks(Number(text));
  try {
    out("# mock providers are running; point reasonq at them with:");
    for (const [name, value] of Object.entries(mocks.env)) out(`${name}=${value}`);
    out("# Ctrl-C stops them");
    await stop();
  } finally {
    await mocks.close();
  }
}
