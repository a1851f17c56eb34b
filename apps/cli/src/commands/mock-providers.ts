import { PROVIDER_ENV_PREFIXES } from "@reasonq/core";
import { FAMILY_MOCKS, type FamilyMock, type MockServer } from "@reasonq/mock-providers";

type Family = keyof typeof PROVIDER_ENV_PREFIXES;

/** `reasonq mock-providers` without `--port-base`: 8800–8809, clear of the API's 8787. */
export const DEFAULT_PORT_BASE = 8800;

/** What the mocks accept as a key: any non-empty one. */
export const MOCK_API_KEY = "mock-key";

/** Every family reasonq configures has a mock: one added to PROVIDER_ENV_PREFIXES without one fails to type-check. */
const MOCKS: Record<Family, FamilyMock<{ port?: number }>> = FAMILY_MOCKS;

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
      const server = await mock.start({ port: portBase === 0 ? 0 : portBase + i });
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
