import type { JobSpec, ProviderEvent, ReasoningKind, ReasonqError, Warning } from "@reasonq/core";

/** A catalog entry: what reasonq knows about one model. Prices live in billing, not here. */
export interface ModelInfo {
  /** `provider/model`, the canonical name. */
  id: string;
  /** The provider family; also names the model's queue. */
  provider: string;
  /** The name the provider's API expects. */
  model: string;
  /** Bare names that resolve to this model. */
  aliases: string[];
  reasoning: {
    supported: boolean;
    /** The provider-native knob, as documented (`reasoning_effort`, `thinking.budget_tokens`, …). */
    field: string | null;
    /** What the provider returns of the reasoning when `include` is asked. */
    kind: ReasoningKind;
    /** Whether thinking can be turned off (`reasoning.enabled: false`). */
    can_disable: boolean;
  };
  context_window: number;
  max_output_tokens: number;
  /** Used when the request gives no `max_output_tokens`. */
  default_max_output_tokens: number;
  /** Whether the model takes image input (`image_url` parts); without it images are a 400. */
  images?: boolean;
  /**
   * The image types the provider reads from a `data:` URL, when narrower than every type
   * reasonq takes (png, jpeg, gif, webp); another type is a 400 before the call.
   */
  image_media_types?: readonly string[];
  /** Sampling fields the model accepts; others are refused with a 400. */
  sampling: ReadonlyArray<"temperature" | "top_p" | "top_k" | "stop" | "seed">;
  /** For a model the catalog does not list: the catalog model (provider-side name) whose traits it runs with. */
  traits_of?: string;
  /** Set when the vendor retired the model; the name resolves to `replacement` with a warning. */
  retired?: { since: string; replacement: string };
}

/** A request mapped to the provider's wire form, ready to send. */
export interface PreparedRequest {
  model: ModelInfo;
  /** The provider-native parameters sent besides the messages; stored on the job. */
  resolvedParams: Record<string, unknown>;
  /** Controls that were adapted rather than honoured as given. */
  warnings: Warning[];
  /** The provider request body, messages included. */
  body: Record<string, unknown>;
}

export interface StreamOptions {
  /** Aborts the provider request (cancel, shutdown). */
  signal: AbortSignal;
  /**
   * Which provider call of the job this is (1-based), when the caller counts them.
   * Real providers ignore it; the sim uses it for its `[sim:fail=<type>:<n>]` marker.
   */
  attempt?: number;
}

/**
 * One per provider family. `prepare` is pure (the API calls it at submit time to refuse
 * what a model cannot honour before a job exists); `stream` performs the call and yields
 * normalised events; `classifyError` turns anything `stream` throws into a typed error
 * whose `retry` disposition the worker obeys.
 */
export interface ProviderAdapter {
  readonly family: string;
  prepare(spec: JobSpec, model: ModelInfo): PreparedRequest;
  stream(request: PreparedRequest, options: StreamOptions): AsyncIterable<ProviderEvent>;
  /**
   * A complete non-streaming provider response → the same events its stream would have
   * produced, so a response logged from elsewhere is normalised by the same code. Absent
   * for the sim, which has no wire format.
   */
  mapResponse?(body: unknown, model: ModelInfo): ProviderEvent[];
  classifyError(error: unknown): ReasonqError;
}
