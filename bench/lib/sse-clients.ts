import { type ClientRequest, get, type IncomingMessage } from "node:http";

export interface Followers {
  /** Bytes received over all connections so far. */
  bytes(): number;
  /** Connections that ended or failed before `close`. */
  dropped(): number;
  close(): void;
}

/**
 * Opens `paths.length` SSE connections (one socket each, as separate clients would), at
 * most `parallel` handshakes at a time; resolves when every one has its response headers.
 */
export async function openFollowers(
  port: number,
  paths: readonly string[],
  headers: Record<string, string>,
  parallel = 200,
): Promise<Followers> {
  let bytes = 0;
  let dropped = 0;
  let closing = false;
  const requests: ClientRequest[] = [];
  const openOne = (path: string) =>
    new Promise<void>((resolve, reject) => {
      const request = get({ host: "127.0.0.1", port, path, headers, agent: false }, (response: IncomingMessage) => {
        if (response.statusCode !== 200) {
          reject(new Error(`GET ${path} answered ${response.statusCode}`));
          return;
        }
        response.on("data", (chunk: Buffer) => {
          bytes += chunk.length;
        });
        response.on("end", () => {
          if (!closing) dropped++;
        });
        resolve();
      });
      request.on("error", (error) => {
        if (closing) return;
        dropped++;
        reject(error);
      });
      requests.push(request);
    });
  let next = 0;
  const lanes = Array.from({ length: Math.min(parallel, paths.length) }, async () => {
    while (next < paths.length) await openOne(paths[next++] as string);
  });
  await Promise.all(lanes);
  return {
    bytes: () => bytes,
    dropped: () => dropped,
    close() {
      closing = true;
      for (const request of requests) request.destroy();
    },
  };
}
