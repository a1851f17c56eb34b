import { z } from "zod";
import { ERROR_TYPES, type ErrorType, type RetryDisposition } from "./error-types.ts";

const MARKER = Symbol.for("reasonq.error");

export interface ReasonqErrorOptions {
  /** The request field the error is about, as a dotted path (`reasoning.budget_tokens`). */
  field?: string;
  retryAfterMs?: number;
  /** The provider's HTTP status, when the error came from a provider. */
  providerStatus?: number;
  cause?: unknown;
}

/**
 * The one error value of reasonq. `type` is stable; the message is for humans and,
 * for provider errors, carries the provider's own message (never its key).
 */
export class ReasonqError extends Error {
  readonly [MARKER] = true;
  readonly type: ErrorType;
  readonly field: string | undefined;
  readonly retryAfterMs: number | undefined;
  readonly providerStatus: number | undefined;

  constructor(type: ErrorType, message: string, options: ReasonqErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = "ReasonqError";
    this.type = type;
    this.field = options.field;
    this.retryAfterMs = options.retryAfterMs;
    this.providerStatus = options.providerStatus;
  }

  get httpStatus(): number {
    return ERROR_TYPES[this.type].http;
  }

  get retry(): RetryDisposition {
    return ERROR_TYPES[this.type].retry;
  }

  /** Works across duplicated copies of this package, which `instanceof` does not. */
  static is(value: unknown): value is ReasonqError {
    return typeof value === "object" && value !== null && (value as Record<symbol, unknown>)[MARKER] === true;
  }

  toJSON(): JobError {
    return {
      type: this.type,
      message: this.message,
      ...(this.field === undefined ? {} : { field: this.field }),
      ...(this.providerStatus === undefined ? {} : { provider_status: this.providerStatus }),
    };
  }
}

export const ErrorTypeSchema = z.enum(Object.keys(ERROR_TYPES) as [ErrorType, ...ErrorType[]]);

/** The error as stored on a job and sent inside `{ "error": … }` bodies. */
export const JobErrorSchema = z
  .object({
    type: ErrorTypeSchema,
    message: z.string(),
    field: z.string().optional(),
    provider_status: z.number().int().optional(),
  })
  .meta({ id: "Error" });
export type JobError = z.infer<typeof JobErrorSchema>;

export const ErrorBodySchema = z.object({ error: JobErrorSchema }).meta({ id: "ErrorBody" });

export function toReasonqError(value: unknown): ReasonqError {
  if (ReasonqError.is(value)) return value;
  const message = value instanceof Error ? value.message : String(value);
  return new ReasonqError("internal_error", message, { cause: value });
}
