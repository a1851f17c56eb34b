import type { ToolCall } from "../request/tools.ts";
import type { FinishReason, ThinkingBlock } from "../result/output.ts";
import type { ReportedUsage } from "../result/usage.ts";
import type { Warning } from "../result/warning.ts";

/**
 * What every adapter's stream yields, whatever the provider's wire format. Deltas carry
 * text as it arrives; `thinking-block` carries a finished block verbatim (with its
 * signature) so it can be sent back to the provider in a later turn.
 */
export type ProviderEvent =
  | { type: "response-id"; id: string }
  | { type: "reasoning-delta"; text: string }
  | { type: "text-delta"; text: string }
  | { type: "thinking-block"; block: ThinkingBlock }
  /** A complete tool call (streamed arguments already joined). */
  | { type: "tool-call"; call: ToolCall }
  | { type: "usage"; usage: ReportedUsage }
  | { type: "warning"; warning: Warning }
  | { type: "finish"; reason: FinishReason; raw: string | null };
