import { formatNumber } from "./sim-expression.ts";

/**
 * A mistake a hurried solver makes: one digit off by one (391 → 381 or 392), never the
 * right value, never a new leading zero.
 */
export function plausibleWrong(value: number, u: number): number {
  const text = formatNumber(Math.abs(value));
  const positions = [...text].flatMap((c, i) => (/\d/.test(c) ? [i] : []));
  const slot = Math.min(positions.length - 1, Math.floor(u * positions.length));
  const at = positions[slot] as number;
  const digit = Number(text[at]);
  const leading = at === 0 && /^\d\d/.test(text);
  const up = digit === 0 || (leading && digit === 1) || (digit !== 9 && (u * positions.length) % 1 < 0.5);
  const changed = `${text.slice(0, at)}${digit + (up ? 1 : -1)}${text.slice(at + 1)}`;
  const wrong = Number(changed) * (value < 0 ? -1 : 1);
  return wrong === value ? value + 1 : wrong;
}
