import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";

/** `REASONQ_DATA_DIR`'s default, kept here so client commands need not load core's config schema (a test holds them equal). */
export const DEFAULT_DATA_DIR = "./.reasonq";

export interface Credentials {
  url: string;
  api_key: string;
}

export function credentialsPath(dataDir: string): string {
  return join(resolve(dataDir), "credentials");
}

/** Written with mode 0600: the file holds a live key. */
export function writeCredentials(dataDir: string, credentials: Credentials): string {
  const path = credentialsPath(dataDir);
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, `${JSON.stringify(credentials, null, 2)}\n`, { mode: 0o600 });
  chmodSync(path, 0o600);
  return path;
}

export function readCredentials(dataDir: string): Credentials | undefined {
  const path = credentialsPath(dataDir);
  if (!existsSync(path)) return undefined;
  try {
    const parsed: unknown = JSON.parse(readFileSync(path, "utf8"));
    if (
      typeof parsed === "object" &&
      parsed !== null &&
      typeof (parsed as Credentials).url === "string" &&
      typeof (parsed as Credentials).api_key === "string"
    ) {
      return parsed as Credentials;
    }
  } catch {
    return undefined;
  }
  return undefined;
}
