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
  // The unspecified and loopback addresses, and the deprecated IPv4-compatible ones (::127.0.0.1).
  ["::", 96],
  ["64:ff9b::", 96],
  ["fc00::", 7],
  ["fe80::", 10],
  ["ff00::", 8],
] as const) {
  BLOCKED.addSubnet(net, prefix, "ipv6");
}

const MAPPED_V4 = /^::ffff:(\d{1,3}(?:\.\d{1,3}){3})$/i;

/** Whether an IP address is private, loopback, link-local, multicast or reserved (IPv4-mapped IPv6 ones by their IPv4 address). */
export function isBlockedAddress(address: string): boolean {
  const mapped = MAPPED_V4.exec(address)?.[1];
  if (mapped !== undefined) return BLOCKED.check(mapped, "ipv4");
  const family = isIP(address);
  if (family === 0) return true;
  return BLOCKED.check(address, family === 4 ? "ipv4" : "ipv6");
}

/** `final`: trying again cannot help (the URL itself, or the address it resolves to, is refused). */
export type DestinationCheck = { ok: true } | { ok: false; reason: string; final: boolean };

/** A destination checked at delivery: the addresses the connection may use, and no others. */
export type PinnedDestination = { ok: true; addresses: string[] } | { ok: false; reason: string; final: boolean };

export type Resolve = (host: string) => Promise<string[]>;

const resolveAll: Resolve = async (host) => (await lookup(host, { all: true, verbatim: true })).map((a) => a.address);

type Parsed = { ok: true; host: string } | { ok: false; reason: string; final: true };

function parse(url: string): Parsed {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return { ok: false, reason: "is not a valid URL", final: true };
  }
  if (parsed.protocol !== "http:" && parsed.protocol !== "https:")
    return { ok: false, reason: "must be http or https", final: true };
  if (parsed.username !== "" || parsed.password !== "")
    return { ok: false, reason: "must not carry credentials", final: true };
  return { ok: true, host: parsed.hostname.replace(/^\[(.*)\]$/, "$1") };
}

/** Resolves the host once (a literal address is its own answer) and refuses it when any address is blocked. */
async function resolveChecked(
  host: string,
  options: { allowPrivate: boolean; resolve?: Resolve | undefined },
): Promise<PinnedDestination> {
  let addresses: string[];
  try {
    addresses = isIP(host) === 0 ? await (options.resolve ?? resolveAll)(host) : [host];
  } catch {
    // A name that does not resolve now may later: a DNS outage is not the receiver's verdict.
    return { ok: false, reason: `host ${host} does not resolve`, final: false };
  }
  if (addresses.length === 0) return { ok: false, reason: `host ${host} does not resolve`, final: false };
  const blocked = options.allowPrivate ? undefined : addresses.find(isBlockedAddress);
  if (blocked !== undefined) {
    return {
      ok: false,
      reason: `resolves to ${blocked}, a private, loopback or link-local address (refused unless REASONQ_WEBHOOK_ALLOW_PRIVATE)`,
      final: true,
    };
  }
  return { ok: true, addresses };
}

/**
 * Refuses a webhook URL whose host is, or resolves to, an address of the BLOCKED ranges
 * (SSRF: a caller must not make the service POST into its own network), unless
 * `allowPrivate`. This is the submit-time check; a name can resolve elsewhere by the time
 * of delivery, which `pinDestination` answers.
 */
export async function checkDestination(
  url: string,
  options: { allowPrivate: boolean; resolve?: Resolve },
): Promise<DestinationCheck> {
  const parsed = parse(url);
  if (!parsed.ok) return parsed;
  if (options.allowPrivate) return { ok: true };
  const checked = await resolveChecked(parsed.host, options);
  return checked.ok ? { ok: true } : checked;
}

/**
 * The delivery-time check: the host is resolved once, every address checked as at submit,
 * and the connection is then made to those addresses only (DNS rebinding: a name that
 * answered a public address to the check must not answer 127.0.0.1 to the connect).
 */
export async function pinDestination(
  url: string,
  options: { allowPrivate: boolean; resolve?: Resolve | undefined },
): Promise<PinnedDestination> {
  const parsed = parse(url);
  if (!parsed.ok) return parsed;
  return resolveChecked(parsed.host, options);
}

type LookupCallback = (
  error: NodeJS.ErrnoException | null,
  address: string | Array<{ address: string; family: number }>,
  family?: number,
) => void;

/**
 * A `lookup` for `net.connect` that answers every name with the pinned addresses, so the
 * socket goes where the check said and nowhere a second resolution would send it.
 */
export function pinnedLookup(addresses: readonly string[]) {
  return (_host: string, options: { family?: number | string; all?: boolean }, callback: LookupCallback): void => {
    const wanted =
      options.family === 4 || options.family === "IPv4" ? 4 : options.family === 6 || options.family === "IPv6" ? 6 : 0;
    const usable = addresses
      .map((address) => ({ address, family: isIP(address) }))
      .filter((a) => wanted === 0 || a.family === wanted);
    const first = usable[0];
    if (first === undefined) {
      callback(Object.assign(new Error("no pinned address of the family asked"), { code: "ENOTFOUND" }), "");
      return;
    }
    if (options.all === true) callback(null, usable);
    else callback(null, first.address, first.family);
  };
}
