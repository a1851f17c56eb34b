import { createServer, type IncomingHttpHeaders, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { deliverWebhook, type WebhookSettings } from "./deliver.ts";
import type { Resolve } from "./destination.ts";

/**
 * DNS rebinding at delivery. Names are answered by an injected resolver (no real DNS); the
 * only address any test connects to is the loopback receiver, and only where allowed.
 */
describe("deliverWebhook pins the connection to the addresses it checked", () => {
  let server: Server;
  let port: number;
  const received: IncomingHttpHeaders[] = [];

  beforeAll(async () => {
    server = createServer((req, res) => {
      received.push(req.headers);
      req.resume();
      req.on("end", () => res.writeHead(204).end());
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    port = (server.address() as AddressInfo).port;
  });
  afterAll(() => {
    server.close();
  });

  const settings = (allowPrivate: boolean, resolve: Resolve): WebhookSettings => ({
    secret: "a-webhook-secret-of-at-least-24",
    allowPrivate,
    timeoutMs: 5_000,
    resolve,
  });
  const deliver = (s: WebhookSettings, host: string) =>
    deliverWebhook(s, { id: "whd_1", url: `http://${host}:${port}/hook`, body: "{}" });

  it("refuses, for good, a name that now resolves to a private address though it resolved to a public one before", async () => {
    const answers = [["93.184.216.34"], ["127.0.0.1"]];
    let calls = 0;
    const rebinding: Resolve = async () => answers[Math.min(calls++, answers.length - 1)] ?? [];
    // The submit-time check saw the first answer; delivery resolves again and sees the second.
    expect(await rebinding("hook.invalid")).toEqual(["93.184.216.34"]);
    const before = received.length;
    const result = await deliver(settings(false, rebinding), "hook.invalid");
    expect(result).toMatchObject({ ok: false, statusCode: null, final: true });
    expect(result.error).toContain("resolves to 127.0.0.1");
    expect(result.error).toContain("not retried");
    expect(calls).toBe(2);
    expect(received.length).toBe(before);
  });

  it("refuses IPv6 loopback, unique-local, link-local, IPv4-mapped and unspecified answers, and literals of them", async () => {
    const before = received.length;
    for (const address of [
      "::1",
      "fd12:3456::1",
      "fe80::1",
      "::ffff:127.0.0.1",
      "::ffff:7f00:1",
      "::ffff:a9fe:a9fe",
      "0.0.0.0",
      "::",
      "169.254.169.254",
    ]) {
      const result = await deliver(
        settings(false, async () => [address]),
        "hook.invalid",
      );
      expect(result, address).toMatchObject({ ok: false, final: true });
      expect(result.error, address).toContain("refused at delivery");
    }
    for (const literal of ["[::1]", "[::ffff:127.0.0.1]", "0.0.0.0", "127.0.0.1"]) {
      const result = await deliver(
        settings(false, async () => ["8.8.8.8"]),
        literal,
      );
      expect(result, literal).toMatchObject({ ok: false, final: true });
    }
    // A public answer mixed with a private one is refused as a whole.
    const mixed = await deliver(
      settings(false, async () => ["8.8.8.8", "10.0.0.5"]),
      "hook.invalid",
    );
    expect(mixed).toMatchObject({ ok: false, final: true, error: expect.stringContaining("10.0.0.5") });
    expect(received.length).toBe(before);
  });

  it("keeps a name that does not resolve retryable", async () => {
    const failing: Resolve = async () => {
      throw new Error("EAI_AGAIN");
    };
    const result = await deliver(settings(false, failing), "hook.invalid");
    expect(result).toMatchObject({ ok: false, final: false, error: expect.stringContaining("does not resolve") });
  });

  it("connects to the resolved address when private ones are allowed, resolving once", async () => {
    let calls = 0;
    const toLoopback: Resolve = async () => {
      calls++;
      return ["127.0.0.1"];
    };
    // `.invalid` never resolves in real DNS: the POST arriving shows the pinned answer was used.
    const result = await deliver(settings(true, toLoopback), "hook.invalid");
    expect(result).toMatchObject({ ok: true, statusCode: 204, error: null, final: false });
    expect(calls).toBe(1);
    expect(received.at(-1)?.host).toBe(`hook.invalid:${port}`);
    expect(received.at(-1)?.["webhook-id"]).toBe("whd_1");
  });
});
