import { createReadStream } from "node:fs";
import { stat } from "node:fs/promises";
import { Readable } from "node:stream";
import type { LogImportLine } from "@reasonq/core";
import { type ClientEnv, clientFrom } from "./client-commands.ts";

export interface LogImportOutput {
  /** Progress, redrawn in place on a terminal. */
  progress(line: string): void;
  /** Each failed line, and the final summary. */
  out(line: string): void;
  interactive: boolean;
}

/**
 * `reasonq log import <file.jsonl>`: streams the file to `POST /v1/logs` (never read whole),
 * prints a running count and every line the server refused. Returns the exit code: 1 when
 * any line failed or the import stopped early, 0 otherwise.
 */
export async function logImport(env: ClientEnv, path: string, io: LogImportOutput): Promise<number> {
  await stat(path); // a missing file fails here with its own message, before any request
  const client = clientFrom(env);
  const body = Readable.toWeb(createReadStream(path)) as ReadableStream<Uint8Array>;
  let done = 0;
  let failed = 0;
  let stopped = false;
  let summary: Extract<LogImportLine, { object: "summary" }> | undefined;
  const every = io.interactive ? 100 : 1000;

  for await (const result of client.importLogs(body)) {
    if ("object" in result) {
      if (result.object === "summary") summary = result;
      else {
        stopped = true;
        io.out(`import stopped after line ${result.after_line}: ${result.error.type}: ${result.error.message}`);
      }
      continue;
    }
    done += 1;
    if ("error" in result) {
      failed += 1;
      const field = result.error.field === undefined ? "" : ` ${result.error.field}`;
      io.out(`${io.interactive ? "\n" : ""}line ${result.line}${field}: ${result.error.message}`);
    }
    if (done % every === 0) io.progress(`${done} lines, ${failed} failed`);
  }

  if (summary === undefined) {
    io.out(`${path}: the server ended the import without a summary`);
    return 1;
  }
  if (io.interactive) io.progress("");
  io.out(
    `${path}: ${summary.lines} lines, ${summary.stored} stored, ${summary.duplicates} already logged, ${summary.errors} failed`,
  );
  return failed > 0 || summary.errors > 0 || stopped ? 1 : 0;
}
