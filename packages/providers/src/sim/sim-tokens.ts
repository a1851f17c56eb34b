/**
 * The sim's tokenizer: a word, up to three digits, or one other character, each with the
 * whitespace before it — roughly how BPE tokenizers cut English and numbers. The pieces
 * concatenate back to the text exactly, so streamed deltas rebuild it.
 */
const PIECE = /\s*(?:[A-Za-z]+|\d{1,3}|[^\sA-Za-z\d])|\s+/gu;

export function splitTokens(text: string): string[] {
  return text.match(PIECE) ?? [];
}

export function countTokens(text: string): number {
  return splitTokens(text).length;
}
