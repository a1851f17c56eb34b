import {
  assertNever,
  type FinishReason,
  finalizeUsage,
  OUTPUT_SCHEMA_VERSION,
  type Output,
  type ProviderEvent,
  type ReasoningKind,
  type ReportedUsage,
  type ThinkingBlock,
  type ToolCall,
  type Usage,
  type Warning,
} from "@reasonq/core";
import type { ModelInfo } from "../adapter.ts";

export interface AssemblerOptions {
  /** The job's `reasoning.include`: when false, reasoning text that arrives anyway is not kept. */
  include: boolean;
}

export interface AssembledResult {
  output: Output;
  /** The last usage the provider reported (providers send cumulative usage). */
  reported: ReportedUsage | null;
  /** `reported` completed into the invariant form; null when no usage arrived. */
  usage: Usage | null;
  warnings: Warning[];
}

/**
 * Folds an adapter's events into the stored output. One assembler per attempt, fed as the
 * events arrive, so a finished job and the partial result of a cancelled or failed attempt
 * come from the same code.
 */
export class ResultAssembler {
  readonly #model: ModelInfo;
  readonly #include: boolean;
  #reasoning = "";
  #answer = "";
  readonly #blocks: ThinkingBlock[] = [];
  readonly #toolCalls: ToolCall[] = [];
  readonly #warnings: Warning[] = [];
  #reported: ReportedUsage | null = null;
  #responseId: string | null = null;
  #finish: { reason: FinishReason; raw: string | null } | null = null;

  constructor(model: ModelInfo, options: AssemblerOptions) {
    this.#model = model;
    this.#include = options.include;
  }

  push(event: ProviderEvent): void {
    switch (event.type) {
      case "response-id":
        this.#responseId = event.id;
        return;
      case "reasoning-delta":
        this.#reasoning += event.text;
        return;
      case "text-delta":
        this.#answer += event.text;
        return;
      case "thinking-block":
        // Tagged with the family, so the block goes back only to the provider that made it.
        this.#blocks.push({ ...event.block, provider: event.block.provider ?? this.#model.provider });
        return;
      case "tool-call":
        this.#toolCalls.push(event.call);
        return;
      case "usage":
        this.#reported = event.usage;
        return;
      case "warning":
        this.#warnings.push(event.warning);
        return;
      case "finish":
        this.#finish = { reason: event.reason, raw: event.raw };
        return;
      default:
        assertNever(event, "provider event");
    }
  }

  /** All reasoning text received so far, kept or not (also what an estimate counts). */
  get reasoningText(): string {
    if (this.#reasoning !== "") return this.#reasoning;
    return this.#blocks.flatMap((b) => (b.type === "thinking" && b.thinking !== "" ? [b.thinking] : [])).join("\n\n");
  }

  get answerText(): string {
    return this.#answer;
  }

  get responseId(): string | null {
    return this.#responseId;
  }

  get finished(): boolean {
    return this.#finish !== null;
  }

  /**
   * @param unfinished the finish reason recorded when no `finish` event arrived: `error`
   *   for a failed attempt, `cancelled` when the caller aborted it.
   */
  result(unfinished: FinishReason = "error"): AssembledResult {
    const usage =
      this.#reported === null
        ? null
        : finalizeUsage(this.#reported, this.reasoningText, this.#answerForEstimate(), this.#reasoned());
    const keep = this.#include;
    const reason = this.#finish?.reason ?? unfinished;
    return {
      output: {
        schema_version: OUTPUT_SCHEMA_VERSION,
        answer: this.#answer,
        reasoning: keep ? this.reasoningText : "",
        reasoning_kind: this.#reasoningKind(usage),
        thinking_blocks: keep ? [...this.#blocks] : this.#blocks.filter(carriesNoText),
        tool_calls: [...this.#toolCalls],
        finish_reason: reason === "stop" && this.#toolCalls.length > 0 ? "tool_calls" : reason,
        provider_finish_reason: this.#finish?.raw ?? null,
        provider_response_id: this.#responseId,
        provider_metadata: this.#reported === null ? {} : { raw_usage: this.#reported.raw },
      },
      reported: this.#reported,
      usage,
      warnings: [...this.#warnings],
    };
  }

  /** The model reasoned when text or blocks of its reasoning arrived. */
  #reasoned(): boolean {
    return this.#model.reasoning.supported && (this.reasoningText !== "" || this.#blocks.length > 0);
  }

  /** The visible output an estimate counts: the answer and the tool calls' arguments. */
  #answerForEstimate(): string {
    return this.#answer + this.#toolCalls.map((c) => c.function.name + c.function.arguments).join("");
  }

  /**
   * What the stored reasoning is, judged from what actually arrived, not from what was asked:
   *   1. the model does not reason                          → none
   *   2. reasoning text is kept (include and text arrived)  → the model's kind (full|summary)
   *   3. reasoning happened — tokens counted, or text or blocks arrived but were not kept
   *      (include=false), or only redacted blocks came     → hidden
   *   4. nothing at all (thinking disabled, zero tokens)    → none
   */
  #reasoningKind(usage: Usage | null): ReasoningKind {
    if (!this.#model.reasoning.supported) return "none";
    const text = this.reasoningText !== "";
    if (this.#include && text) return this.#model.reasoning.kind === "summary" ? "summary" : "full";
    const happened = text || this.#blocks.length > 0 || (usage?.reasoning_tokens ?? 0) > 0;
    return happened ? "hidden" : "none";
  }
}

/**
 * Blocks that show no reasoning text are kept even when reasoning is not returned: the next
 * turn of a tool loop needs them back (Anthropic's signature-only and redacted blocks,
 * OpenAI's encrypted reasoning items without summary, Gemini's signatures).
 */
function carriesNoText(block: ThinkingBlock): boolean {
  if (block.type === "thinking") return block.thinking === "";
  if (block.type === "reasoning") return !Array.isArray(block.summary) || block.summary.length === 0;
  return true;
}
