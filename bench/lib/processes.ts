import { type ChildProcess, execFileSync, spawn } from "node:child_process";
import { createWriteStream, readdirSync, readFileSync } from "node:fs";
import { createServer } from "node:net";
import { basename } from "node:path";
import { fileURLToPath } from "node:url";

const CLI = fileURLToPath(new URL("../../apps/cli/src/main.ts", import.meta.url));

export async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer();
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/** A child process whose output goes to a log file (real logging cost, no terminal noise). */
export interface Proc {
  name: string;
  child: ChildProcess;
  stop(): Promise<void>;
}

function track(name: string, child: ChildProcess): Proc {
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  return {
    name,
    child,
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill("SIGTERM");
      const timer = setTimeout(() => child.kill("SIGKILL"), 15_000);
      await exited;
      clearTimeout(timer);
    },
  };
}

export function startScript(name: string, args: string[], env: Record<string, string>, logFile: string): Proc {
  const log = createWriteStream(logFile);
  const child = spawn(process.execPath, args, { env: { ...process.env, ...env }, stdio: ["ignore", "pipe", "pipe"] });
  child.stdout?.pipe(log);
  child.stderr?.pipe(log);
  return track(name, child);
}

/**
 * A reasonq command as a child process. With BENCH_CPU_PROF_DIR set, each writes a CPU
 * profile there on exit, named after its log (`api.cpuprofile`, `worker.cpuprofile`, …).
 */
export function startReasonq(args: string[], env: Record<string, string>, logFile: string): Proc {
  const dir = process.env.BENCH_CPU_PROF_DIR;
  const profile =
    dir === undefined
      ? []
      : ["--cpu-prof", `--cpu-prof-dir=${dir}`, `--cpu-prof-name=${basename(logFile, ".log")}.cpuprofile`];
  return startScript(`reasonq ${args[0]}`, [...profile, CLI, ...args], env, logFile);
}

/** Polls `url` until it answers 2xx. */
export async function waitHealthy(url: string, proc: Proc, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (proc.child.exitCode !== null) throw new Error(`${proc.name} exited with ${proc.child.exitCode}`);
    const ok = await fetch(url).then(
      (r) => r.ok,
      () => false,
    );
    if (ok) return;
    if (Date.now() > deadline) throw new Error(`${proc.name} did not answer at ${url}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** Resident memory of a process, in bytes. */
export function rssBytes(pid: number | undefined): number {
  const status = readFileSync(`/proc/${pid}/status`, "utf8");
  return Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0) * 1024;
}

/** TCP connections a process holds to a port (e.g. Redis's), read from `ss`. */
export function connectionsTo(pid: number | undefined, port: number): number {
  const out = execFileSync("ss", ["-tnpH", "state", "established", `( dport = :${port} )`], { encoding: "utf8" });
  return out.split("\n").filter((line) => line.includes(`pid=${pid},`)).length;
}

/**
 * CPU time so far of every process on this machine whose name starts with `name`
 * (`postgres`, `redis-server`), in seconds: the shared servers' share of a job, which only
 * a local server shows (0 when it runs elsewhere).
 */
export function serverCpuSeconds(name: string): number {
  let total = 0;
  for (const pid of readdirSync("/proc").filter((entry) => /^\d+$/.test(entry))) {
    let stat: string;
    try {
      stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    } catch {
      continue; // ended since the directory was listed
    }
    if (stat.slice(stat.indexOf("(") + 1, stat.lastIndexOf(")")).startsWith(name)) total += cpuOfStat(stat);
  }
  return total;
}

/** User + system seconds from a `/proc/<pid>/stat` line (the name may hold spaces and parentheses). */
function cpuOfStat(stat: string): number {
  const fields = stat.slice(stat.lastIndexOf(") ") + 2).split(" ");
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

/** Process CPU time so far (user + system), in seconds. */
export function cpuSeconds(pid: number | undefined): number {
  return cpuOfStat(readFileSync(`/proc/${pid}/stat`, "utf8"));
}

/** `reasonq mock-providers` on free ports; resolves with the environment it prints. */
export async function startMocks(env: Record<string, string>): Promise<{ proc: Proc; env: Record<string, string> }> {
  const proc = startScript("mock providers", [CLI, "mock-providers", "--port-base", "0"], env, "/dev/null");
  const printed: Record<string, string> = {};
  let text = "";
  await new Promise<void>((resolve, reject) => {
    proc.child.once("exit", (code) => reject(new Error(`mock providers exited with ${code}`)));
    proc.child.stdout?.on("data", (chunk: Buffer) => {
      text += chunk.toString();
      if (text.includes("# Ctrl-C")) resolve();
    });
  });
  for (const line of text.split("\n")) {
    const match = /^([A-Z_]+)=(.*)$/.exec(line);
    if (match) printed[match[1] as string] = match[2] as string;
  }
  return { proc, env: printed };
}
