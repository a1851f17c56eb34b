import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createProviderFetch } from "./provider-fetch.ts";

/** A stream that goes quiet for `pauseMs` between its two chunks, as a model thinking in silence. */
let server: Server;
let url: string;
/** undici checks its timeouts about once a second, so the silence must be longer than that. */
const PAUSE_MS = 2500;

beforeAll(async () => {
  server = createServer((_request, response) => {
    response.writeHead(200, { "content-type": "text/event-stream" });
    response.write("data: first\n\n");
    setTimeout(() => response.end("data: second\n\n"), PAUSE_MS);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

describe("providerFetch", () => {
  it("does not cut a stream for being silent (the adapters' idle limits do that)", async () => {
    const response = await createProviderFetch()(url);
    expect(await response.text()).toBe("data: first\n\ndata: second\n\n");
  });

  it("applies the body silence limit it is given, which is what the default leaves off", async () => {
    const strict = createProviderFetch({ bodyTimeoutMs: 100 });
    await expect(strict(url).then((r) => r.text())).rejects.toThrow();
  });
});
