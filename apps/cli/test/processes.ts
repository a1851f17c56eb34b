import { type ChildProcess, spawn } from "node:child_process";
import { connect } from "node:net";
import { fileURLToPath } from "node:url";
import { afterAll } from "vitest";

export const CLI = fileURLToPath(new URL("../src/main.ts", import.meta.url));

export interface Proc {
  child: ChildProcess;
  /** Everything printed so far, stdout and stderr together. */
  output(): string;
  /** Resolves with the first match of `pattern` in the output. */
  waitFor(pattern: RegExp, timeoutMs?: number): Promise<RegExpMatchArray>;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

const running = new Set<ChildProcess>();
// A test that fails or times out before stopping its process would leave it running after
// the file's tests (a serve holding its ports and database); none outlives its file.
afterAll(() => {
  for (const child of running) child.kill("SIGKILL");
});

/** Starts the real `reasonq` command as its own process, on the same Node as the tests. */
export function startCli(args: string[], env: Record<string, string>): Proc {
  const child = spawn(process.execPath, [CLI, ...args], {
    env: { PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? "/tmp", LOG_LEVEL: "warn", ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  running.add(child);
  child.once("exit", () => running.delete(child));
  let text = "";
  const watchers = new Set<() => void>();
  const append = (chunk: Buffer) => {
    text += chunk.toString();
    for (const watch of watchers) watch();
  };
  child.stdout?.on("data", append);
  child.stderr?.on("data", append);
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once("exit", (code, signal) => {
      for (const watch of watchers) watch();
      resolve({ code, signal });
    }),
  );
  return {
    child,
    output: () => text,
    exited,
    // A bound against a hang, not a timing claim: under a loaded machine a process that opens
    // and migrates its embedded database has taken over a minute to say it listens.
    waitFor(pattern, timeoutMs = 150_000) {
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => {
          watchers.delete(check);
          reject(new Error(`timed out waiting for ${pattern} in:\n${text}`));
        }, timeoutMs);
        const check = () => {
          const match = text.match(pattern);
          if (match) {
            clearTimeout(timer);
            watchers.delete(check);
            resolve(match);
          } else if (child.exitCode !== null || child.signalCode !== null) {
            clearTimeout(timer);
            watchers.delete(check);
            reject(new Error(`process exited before printing ${pattern}:\n${text}`));
          }
        };
        watchers.add(check);
        check();
      });
    },
  };
}

/** Runs a CLI command to completion. */
export async function runCli(
  args: string[],
  env: Record<string, string>,
): Promise<{ code: number | null; output: string }> {
  const proc = startCli(args, env);
  const { code } = await proc.exited;
  return { code, output: proc.output() };
}

export function portOpen(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, "127.0.0.1");
    socket.once("connect", () => {
      socket.destroy();
      resolve(true);
    });
    socket.once("error", () => resolve(false));
  });
}
