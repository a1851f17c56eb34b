import { describe, expect, it } from "vitest";
import { checkDestination, isBlockedAddress, pinnedLookup } from "./destination.ts";

describe("checkDestination (SSRF)", () => {
  it("blocks loopback, private, link-local and mapped addresses, and lets public ones through", () => {
    for (const address of ["127.0.0.1", "10.1.2.3", "172.20.0.1", "192.168.1.1", "169.254.169.254", "0.0.0.0", "::1"]) {
      expect(isBlockedAddress(address), address).toBe(true);
    }
    for (const address of [
      "fe80::1",
      "fd00::1",
      "::ffff:127.0.0.1",
      "::ffff:7f00:1",
      "::7f00:1",
      "::",
      "100.64.0.1",
      "not-an-ip",
    ]) {
      expect(isBlockedAddress(address), address).toBe(true);
    }
    for (const address of ["93.184.216.34", "2606:2800:220:1:248:1893:25c8:1946", "8.8.8.8"]) {
      expect(isBlockedAddress(address), address).toBe(false);
    }
  });

  it("refuses literal and resolved private hosts unless allowed", async () => {
    const refused = await checkDestination("http://127.0.0.1:9/hook", { allowPrivate: false });
    expect(refused).toMatchObject({ ok: false, reason: expect.stringContaining("127.0.0.1") });
    expect(await checkDestination("http://[::1]/hook", { allowPrivate: false })).toMatchObject({ ok: false });
    const resolve = async (host: string) => (host === "internal.example" ? ["93.184.216.34", "10.0.0.5"] : ["8.8.8.8"]);
    expect(await checkDestination("https://internal.example/x", { allowPrivate: false, resolve })).toMatchObject({
      ok: false,
      reason: expect.stringContaining("10.0.0.5"),
    });
    expect(await checkDestination("https://public.example/x", { allowPrivate: false, resolve })).toEqual({ ok: true });
    expect(await checkDestination("http://127.0.0.1:9/hook", { allowPrivate: true })).toEqual({ ok: true });
  });

  it("refuses names that do not resolve, other schemes and credentials in the URL", async () => {
    const resolve = async () => {
      throw new Error("ENOTFOUND");
    };
    expect(await checkDestination("https://nowhere.invalid/", { allowPrivate: false, resolve })).toMatchObject({
      ok: false,
    });
    expect(await checkDestination("ftp://example.com/", { allowPrivate: true })).toMatchObject({ ok: false });
    expect(await checkDestination("https://u:p@example.com/", { allowPrivate: true })).toMatchObject({ ok: false });
  });
});

describe("pinnedLookup", () => {
  const ask = (addresses: string[], options: { family?: number; all?: boolean }) =>
    new Promise<unknown>((resolve, reject) =>
      pinnedLookup(addresses)("any.name", options, (error, address, family) =>
        error === null ? resolve(options.all === true ? address : { address, family }) : reject(error),
      ),
    );

  it("answers every name with the pinned addresses, in the form net.connect asks for", async () => {
    expect(await ask(["93.184.216.34", "2606:2800:220:1::1"], { all: true })).toEqual([
      { address: "93.184.216.34", family: 4 },
      { address: "2606:2800:220:1::1", family: 6 },
    ]);
    expect(await ask(["93.184.216.34", "2606:2800:220:1::1"], { family: 6 })).toEqual({
      address: "2606:2800:220:1::1",
      family: 6,
    });
    await expect(ask(["93.184.216.34"], { family: 6 })).rejects.toMatchObject({ code: "ENOTFOUND" });
  });
});
