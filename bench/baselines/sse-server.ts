/**
 * The bare SSE baseline: node:http, every open connection gets one event every
 * `SSE_INTERVAL_MS` of the size a reasonq follower gets, as the worker's flushes give it.
 */
import { createServer, type ServerResponse } from "node:http";

const open = new Set<ServerResponse>();
const interval = Number(process.env.SSE_INTERVAL_MS ?? 100);
let seq = 0;

const server = createServer((request, response) => {
  if (request.url === "/healthz") {
    response.end("ok");
    return;
  }
  response.writeHead(200, {
    "content-type": "text/event-stream; charset=utf-8",
    "cache-control": "no-cache, no-transform",
    connection: "keep-alive",
  });
  open.add(response);
  response.on("close", () => open.delete(response));
});

setInterval(() => {
  seq++;
  const text = JSON.stringify({ type: "reasoning.delta", attempt: 1, text: " the sum of the digits" });
  const frame = `id: ${Date.now()}-${seq}\nevent: reasoning.delta\ndata: ${text}\n\n`;
  for (const response of open) response.write(frame);
}, interval);

server.listen(Number(process.env.PORT), "127.0.0.1");
