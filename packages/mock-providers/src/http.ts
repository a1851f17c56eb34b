import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

export interface MockRequest {
  method: string;
  /** Path without the query string. */
  path: string;
  query: URLSearchParams;
  headers: IncomingMessage["headers"];
  /** The parsed JSON body, or undefined when there was none or it was not JSON. */
  body: unknown;
  /** The body's bytes as received (multipart uploads, JSONL). */
  rawBody: Buffer;
  raw: IncomingMessage;
}

export type MockHandler = (request: MockRequest, response: ServerResponse) => Promise<void> | void;

export interface MockServer {
  /** e.g. http://127.0.0.1:41234 */
  url: string;
  /** Every request received, in order (tests assert on what the adapter sent). */
  requests: MockRequest[];
  close(): Promise<void>;
}

async function readBody(request: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

function parseJson(raw: Buffer): unknown {
  if (raw.length === 0) return undefined;
  try {
    return JSON.parse(raw.toString("utf8")) as unknown;
  } catch {
    return undefined;
  }
}

export function sendJson(
  response: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
) {
  response.writeHead(status, { "content-type": "application/json", ...headers });
  response.end(JSON.stringify(body));
}

/** A local HTTP server on a free loopback port; the handler speaks one provider's wire format. */
export async function startMockServer(handler: MockHandler, port = 0): Promise<MockServer> {
  const requests: MockRequest[] = [];
  const sockets = new Set<import("node:net").Socket>();
  const server: Server = createServer(async (raw, response) => {
    const url = new URL(raw.url ?? "/", "http://mock");
    const rawBody = await readBody(raw);
    const request: MockRequest = {
      method: raw.method ?? "GET",
      path: url.pathname,
      query: url.searchParams,
      headers: raw.headers,
      body: parseJson(rawBody),
      rawBody,
      raw,
    };
    requests.push(request);
    try {
      await handler(request, response);
    } catch (error) {
      if (!response.headersSent) sendJson(response, 500, { error: { message: String(error) } });
      else response.destroy();
    }
  });
  server.on("connection", (socket) => {
    sockets.add(socket);
    socket.once("close", () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(port, "127.0.0.1", resolve));
  const address = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${address.port}`,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}
