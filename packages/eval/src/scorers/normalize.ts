import type { Expected } from "../dataset/dataset-item.ts";

/** Content of the last `\boxed{…}` (or `\fbox{…}`), braces matched; null when there is none. */
export function lastBoxed(text: string): string | null {
  const start = Math.max(text.lastIndexOf("\\boxed{"), text.lastIndexOf("\\fbox{"));
  if (start === -1) return null;
  const open = text.indexOf("{", start);
  let depth = 0;
  for (let i = open; i < text.length; i++) {
    const c = text[i];
    if (c === "{") depth++;
    else if (c === "}" && --depth === 0) return text.slice(open + 1, i);
  }
  return null;
}

const ANSWER_MARKER = /(?:final answer|answer)\s*(?:is|:|=)\s*:?/gi;

/** The text after the last "answer is" / "Answer:" marker, up to the end of that line; null when none. */
export function afterAnswerMarker(text: string): string | null {
  let at = -1;
  for (const m of text.matchAll(ANSWER_MARKER)) at = m.index + m[0].length;
  if (at === -1) return null;
  const rest = text.slice(at);
  const end = rest.indexOf("\n");
  return (end === -1 ? rest : rest.slice(0, end)).trim();
}

const EDGE_PUNCTUATION = /^[\s.,;:!?"'`“”‘’()[\]{}<>*_$]+|[\s.,;:!?"'`“”‘’()[\]{}<>*_$]+$/g;

/**
 * For comparing short answers: Unicode NFKC, markdown emphasis and LaTeX `\text{}` unwrapped,
 * whitespace collapsed, surrounding punctuation/quotes/brackets dropped, lower-cased
 * unless `caseSensitive`.
 */
export function normalizeAnswer(text: string, caseSensitive = false): string {
  let out = text.normalize("NFKC");
  out = out.replace(/\\text\{([^}]*)\}/g, "$1").replace(/\*\*|__|`/g, "");
  out = out.replace(/\s+/g, " ").replace(EDGE_PUNCTUATION, "").trim();
  return caseSensitive ? out : out.toLowerCase();
}

/** `expected` as the strings an answer may equal; null for an object, which text scorers cannot use. */
export function expectedStrings(expected: Expected | undefined): string[] | null {
  if (expected === undefined) return null;
  if (typeof expected === "string") return [expected];
  if (typeof expected === "number") return [String(expected)];
  if (Array.isArray(expected)) return expected;
  return null;
}
