import { lookup } from "node:dns/promises";
import { BlockList, isIP } from "node:net";

/** Addresses a webhook may not reach unless allowed: this host, the private networks, link-local (cloud metadata) and the like. */
const BLOCKED = new BlockList();
for (const [net, prefix] of [
  ["0.0.0.0", 8],
  ["10.0.0.0", 8],
  ["100.64.0.0", 10],
  ["127.0.0.0", 8],
  ["169.254.0.0", 16],
  ["172.16.0.0", 12],
  ["192.0.0.0", 24],
  ["192.168.0.0", 16],
  ["198.18.0.0", 15],
  ["224.0.0.0", 4],
  ["240.0.0.0", 4],
] as const) {
  BLOCKED.addSubnet(net, prefix, "ipv4");
}
for (const [net, prefix] of [
  ["::", 128],
  ["::1", 128],
  ["64:ff9b::", 96],
  ["fc00::", 7],
  ["fe80::", 10],
  ["ff00::", 8],
] as const) {
  BLOCKED.addSubnet(net, prefix, "ipv6");
}

const MAPPED_V4 = /^::ffff:(\d{1,3}(?:\.\d{1,3}){3})$/i;

/** Whether an IP address is private, loopback, link-local, multicast or reserved. */
export function isBlockedAddress(address: string): boolean {
  const mapped = MAPPED_V4.exec(address)?.[1];
  if (mapped !== undefined) return BLOCKED.check(mapped, "ipv4");
  const family = isIP(address);
  if (family === 0) return true;
  return BLOCKED.check(address, family === 4 ? "ipv4" : "ipv6");
}

export type DestinationCheck = { ok: true } | { ok: false; reason: string };

export type Resolve = (host: string) => Promise<string[]>;

const resolveAll: Resolve = async (host) => (await lookup(host, { all: true, verbatim: true })).map((a) => a.address);

/**
 * Refuses a webhook URL whose host is, or resolves to, an address of the BLOCKED ranges
 * (SSRF: a caller must not make the service POST into its own network), unless
 * `allowPrivate`. Checked at submit and again before every delivery, since a name can
 * change what it resolves to in between.
 */
export async function checkDestination(
  url: string,
  options: { allowPrivate: boolean; resolve?: Resolve },
): Promise<DestinationCheck> {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return { ok: false, reason: "is not a valid URL" };
  }
  if (parsed.protocol !== "http:" && parsed.protocol !== "https:")
    return { ok: false, reason: "must be http or https" };
  if (parsed.username !== "" || parsed.password !== "") return { ok: false, reason: "must not carry credentials" };
  if (options.allowPrivate) return { ok: true };
  const host = parsed.hostname.replace(/^\[(.*)\]$/, "$1");
  let addresses: string[];
  try {
    addresses = isIP(host) === 0 ? await (options.resolve ?? resolveAll)(host) : [host];
  } catch {
    return { ok: false, reason: `host ${host} does not resolve` };
  }
  if (addresses.length === 0) return { ok: false, reason: `host ${host} does not resolve` };
  const blocked = addresses.find(isBlockedAddress);
  if (blocked !== undefined) {
    return {
      ok: false,
      reason: `resolves to ${blocked}, a private, loopback or link-local address (refused unless REASONQ_WEBHOOK_ALLOW_PRIVATE)`,
    };
  }
  return { ok: true };
}
