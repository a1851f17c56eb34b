export function age(iso: string, now = Date.now()): string {
  const seconds = Math.max(0, Math.round((now - Date.parse(iso)) / 1000));
  if (seconds < 60) return `${seconds}s ago`;
  if (seconds < 3600) return `${Math.floor(seconds / 60)}m ago`;
  if (seconds < 86_400) return `${Math.floor(seconds / 3600)}h ago`;
  return `${Math.floor(seconds / 86_400)}d ago`;
}

export function duration(from: string | null, to: string | null): string {
  if (from === null || to === null) return "–";
  const ms = Date.parse(to) - Date.parse(from);
  return ms < 1000 ? `${ms} ms` : `${(ms / 1000).toFixed(1)} s`;
}

/** Money arrives as exact decimal strings and is shown as such (never through a float). */
export const usd = (value: string | null | undefined): string => (value == null ? "–" : `$${value}`);

export const count = (n: number | null | undefined): string => (n == null ? "–" : n.toLocaleString("en-US"));

export const pct = (x: number | null | undefined): string => (x == null ? "–" : `${(x * 100).toFixed(1)}%`);

export const TERMINAL = new Set(["succeeded", "incomplete", "failed", "cancelled"]);
