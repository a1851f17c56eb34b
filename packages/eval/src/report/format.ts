import { money, toDecimalString } from "@reasonq/billing";

const HTML_ESCAPES: Record<string, string> = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" };

/** Escapes text for HTML content and quoted attributes. Every user-supplied string goes through this. */
export function esc(text: string | number): string {
  return String(text).replace(/[&<>"']/g, (c) => HTML_ESCAPES[c] as string);
}

/**
 * JSON for a `<script type="application/json">` block: `<`, `>`, `&` and the JavaScript line
 * separators escaped, so no string in it can end the block or start markup.
 */
export function jsonForScript(value: unknown): string {
  return JSON.stringify(value)
    .replace(/</g, "\\u003c")
    .replace(/>/g, "\\u003e")
    .replace(/&/g, "\\u0026")
    .replace(/\u2028/g, "\\u2028")
    .replace(/\u2029/g, "\\u2029");
}

/** USD from an exact decimal string, for display: cents from $1 up, three significant digits below. */
export function usd(amount: string | null): string {
  if (amount === null) return "—";
  const value = money(amount);
  if (value.isZero()) return "$0";
  if (value.abs().greaterThanOrEqualTo(1)) return `$${value.toFixed(2)}`;
  return `$${toDecimalString(value.toSignificantDigits(3))}`;
}

export function pct(fraction: number | null, digits = 1): string {
  return fraction === null ? "—" : `${(fraction * 100).toFixed(digits)}%`;
}

export function int(value: number | null): string {
  return value === null ? "—" : Math.round(value).toLocaleString("en-US");
}

export function ms(value: number | null): string {
  if (value === null) return "—";
  if (value < 1000) return `${Math.round(value)} ms`;
  if (value < 60_000) return `${(value / 1000).toFixed(value < 10_000 ? 2 : 1)} s`;
  const minutes = Math.floor(value / 60_000);
  return `${minutes} min ${Math.round((value % 60_000) / 1000)} s`;
}

export function pValue(p: number): string {
  if (p < 0.0001) return "< 0.0001";
  return p.toFixed(p < 0.01 ? 4 : 3);
}
