import { ReasonqError } from "../errors/reasonq-error.ts";

const REDACTED = "[redacted]";
/** A key-like token: word characters joined by mask runs (`sk-***wxyz`, `abc…wxyz`, `ab••••yz`). */
const TOKEN = /[A-Za-z0-9_-]+(?:(?:\*+|\.{2,}|…|•+|x{4,})[A-Za-z0-9_-]*)*|(?:\*+|…|•+)[A-Za-z0-9_-]+/g;
const MASK = /\*+|\.{2,}|…|•+|x{4,}/;
/** The same runs, to split on (`split` ignores a regex's `lastIndex`, so one instance serves every call). */
const MASK_RUNS = new RegExp(MASK, "g");
/** Fragments this short could be anything; a masked token needs only this much of a key to be one. */
const MIN_MASKED_PIECE = 4;
const MIN_PLAIN_PIECE = 8;

/**
 * Redaction by the secret values this deployment holds (provider keys, API keys), not by
 * what keys usually look like: a key without a well-known prefix is still found, and so is
 * a provider's masked echo of it (`Incorrect API key provided: sk-***wxyz`). A token is
 * replaced whole when a masked piece of 4+ characters, or an unmasked run of 8+, is part of
 * a secret.
 */
export class SecretRedactor {
  readonly #secrets: readonly string[];

  constructor(secrets: Iterable<string | undefined>) {
    this.#secrets = [...new Set([...secrets].filter((s): s is string => s !== undefined && s.length >= 8))];
  }

  get size(): number {
    return this.#secrets.length;
  }

  redact(text: string): string {
    if (this.#secrets.length === 0) return text;
    let out = text;
    for (const secret of this.#secrets) out = out.replaceAll(secret, REDACTED);
    return out.replace(TOKEN, (token) => (this.#leaks(token) ? REDACTED : token));
  }

  #leaks(token: string): boolean {
    // Every log line passes here token by token: most are words too short to be part of a key.
    if (token.length < MIN_MASKED_PIECE) return false;
    if (!MASK.test(token))
      return token.length >= MIN_PLAIN_PIECE && this.#secrets.some((secret) => secret.includes(token));
    return token
      .split(MASK_RUNS)
      .some((piece) => piece.length >= MIN_MASKED_PIECE && this.#secrets.some((secret) => secret.includes(piece)));
  }

  /** The same error with its message redacted and its cause (the raw SDK error) left behind. */
  redactError(error: ReasonqError): ReasonqError {
    const message = this.redact(error.message);
    if (message === error.message && error.cause === undefined) return error;
    return new ReasonqError(error.type, message, {
      ...(error.field === undefined ? {} : { field: error.field }),
      ...(error.retryAfterMs === undefined ? {} : { retryAfterMs: error.retryAfterMs }),
      ...(error.providerStatus === undefined ? {} : { providerStatus: error.providerStatus }),
    });
  }
}
