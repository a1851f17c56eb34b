/**
 * Errors that mean "the database cannot be reached right now" rather than "this query is
 * wrong": refused or cut connections, client-side timeouts, and PostgreSQL's own
 * connection-exception and shutdown states. Callers answer these with 503 or wait them out.
 */
const NETWORK_CODES = new Set(["ECONNREFUSED", "ECONNRESET", "EPIPE", "ETIMEDOUT", "EHOSTUNREACH", "ENOTFOUND"]);
const MESSAGES = [
  /connection terminated/i,
  /timeout exceeded when trying to connect/i,
  /query read timeout/i,
  /client was closed/i,
  /client has encountered a connection error/i,
  /cannot use a pool after calling end/i,
];

export function isDatabaseUnavailable(error: unknown): boolean {
  for (let e: unknown = error, depth = 0; e instanceof Error && depth < 5; e = e.cause, depth++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === "string") {
      if (NETWORK_CODES.has(code)) return true;
      // 08xxx connection exceptions; 57P01-57P03 shutdown/crash/cannot connect now; 57014 statement timeout.
      if (/^08[0-9A-Z]{3}$/.test(code) || /^57P0[1-3]$/.test(code) || code === "57014") return true;
    }
    if (MESSAGES.some((pattern) => pattern.test(e instanceof Error ? e.message : ""))) return true;
  }
  return false;
}
