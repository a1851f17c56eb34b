/** A NUL, or a UTF-16 surrogate without its pair: PostgreSQL stores neither in text or jsonb. */
// biome-ignore lint/suspicious/noControlCharactersInRegex: finding U+0000 is the point.
const UNSTORABLE = /\u0000|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

export interface UnstorableText {
  /** Where it is, as a dotted path (`messages.0.content`); empty for the value itself. */
  field: string;
  message: string;
}

/** Deeper JSON than any request of the API has is refused rather than walked (or stored). */
const MAX_DEPTH = 64;

function hasUnstorable(text: string): boolean {
  return UNSTORABLE.test(text);
}

/**
 * Finds the first string (key or value) in a decoded JSON value, a query or path
 * parameters that no database can store, so it is refused as the client's mistake
 * instead of failing as a server error when written.
 */
export function findUnstorableText(value: unknown, path: string[] = [], depth = 0): UnstorableText | null {
  if (typeof value === "string") {
    return hasUnstorable(value) ? { field: path.join("."), message: describe(value) } : null;
  }
  if (typeof value !== "object" || value === null) return null;
  if (depth > MAX_DEPTH) return { field: path.join("."), message: `is nested more than ${MAX_DEPTH} levels deep` };
  const entries = Array.isArray(value) ? value.entries() : Object.entries(value);
  for (const [key, inner] of entries) {
    const here = [...path, String(key)];
    if (typeof key === "string" && hasUnstorable(key)) return { field: path.join("."), message: describe(key) };
    const found = findUnstorableText(inner, here, depth + 1);
    if (found !== null) return found;
  }
  return null;
}

function describe(text: string): string {
  return text.includes("\u0000")
    ? "contains a NUL character (U+0000), which cannot be stored"
    : "contains an unpaired UTF-16 surrogate (not valid Unicode), which cannot be stored";
}
