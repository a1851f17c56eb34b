/**
 * The parts of OpenAI's wire format this adapter reads, and narrow readers for them.
 * Stream chunks come from the SDK (already parsed) and logged bodies come from clients,
 * so nothing here trusts a shape: each reader checks the one field it needs and ignores
 * the rest (which is kept verbatim where it matters, e.g. `usage` → ReportedUsage.raw).
 */

import type { ChatMessage } from "../shared/chat-messages.ts";

/** The request body sent to `POST /v1/chat/completions`. */
export interface ChatRequestBody {
  model: string;
  messages: ChatMessage[];
  max_completion_tokens: number;
  tools?: unknown[];
  tool_choice?: unknown;
  reasoning_effort?: string;
  temperature?: number;
  top_p?: number;
  response_format?: Record<string, unknown>;
  stream: true;
  stream_options: { include_usage: true };
}

/** The request body sent to `POST /v1/responses`. */
export interface ResponsesRequestBody {
  model: string;
  input: Record<string, unknown>[];
  max_output_tokens: number;
  tools?: unknown[];
  tool_choice?: unknown;
  include: "reasoning.encrypted_content"[];
  reasoning?: { effort?: string; summary?: "auto" };
  temperature?: number;
  top_p?: number;
  text?: { format: Record<string, unknown> };
  store: false;
  stream: true;
}

/** Which API a prepared body is for: Responses bodies carry `input`, Chat bodies `messages`. */
export function isResponsesBody(body: Record<string, unknown>): boolean {
  return "input" in body;
}

export type Json = Record<string, unknown>;

export function record(value: unknown): Json | undefined {
  return typeof value === "object" && value !== null && !Array.isArray(value) ? (value as Json) : undefined;
}

export function str(value: unknown): string | undefined {
  return typeof value === "string" ? value : undefined;
}

export function count(value: unknown): number | undefined {
  return typeof value === "number" && Number.isInteger(value) && value >= 0 ? value : undefined;
}

export function list(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}
