import { countTokens, type MockScript, usageMetadata } from "./google-mock-script.ts";

export interface ResponseMeta {
  modelVersion: string;
  responseId: string;
  /**
   * Where the thought signature rides when streaming: on the first answer part (2.5, as in
   * the recorded fixtures) or on an empty text part in the last chunk (3.x) — §4.3, §9 item 4.
   */
  signaturePlacement: "answer" | "trailing";
}

type Part = Record<string, unknown>;

function candidate(parts: Part[], finishReason?: string): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  if (parts.length > 0) out.content = { role: "model", parts };
  if (finishReason !== undefined) {
    out.finishReason = finishReason;
    if (finishReason === "SAFETY") {
      out.safetyRatings = [{ category: "HARM_CATEGORY_DANGEROUS_CONTENT", probability: "HIGH", blocked: true }];
    }
  }
  out.index = 0;
  return out;
}

function response(meta: ResponseMeta, cand: Record<string, unknown>, usage: Record<string, unknown>) {
  return { candidates: [cand], usageMetadata: usage, modelVersion: meta.modelVersion, responseId: meta.responseId };
}

/**
 * The chunks of `streamGenerateContent`: each a complete response fragment with running
 * usage; thought parts first, then answer parts; `finishReason` only on the last chunk.
 */
export function streamChunks(script: MockScript, meta: ResponseMeta): Record<string, unknown>[] {
  const chunks: Record<string, unknown>[] = [];
  const n = script.thoughts.length;
  if (script.includeThoughts) {
    script.thoughts.forEach((text, i) => {
      const spent = Math.round((script.thoughtsTokens * (i + 1)) / n);
      chunks.push(response(meta, candidate([{ text, thought: true }]), usageMetadata(script, spent, 0)));
    });
  }

  const trailing = script.signature !== null && (meta.signaturePlacement === "trailing" || script.answer.length === 0);
  let said = "";
  script.answer.forEach((text, i) => {
    said += text;
    const part: Part = { text };
    if (i === 0 && script.signature !== null && !trailing) part.thoughtSignature = script.signature;
    const last = i === script.answer.length - 1 && !trailing;
    chunks.push(
      response(
        meta,
        candidate([part], last ? script.finishReason : undefined),
        usageMetadata(script, script.thoughtsTokens, countTokens(said)),
      ),
    );
  });

  if (script.call !== undefined) {
    // The call carries the signature (Gemini 3 wants it back on this very part, §4.6).
    const part: Part = { functionCall: script.call };
    if (script.signature !== null) part.thoughtSignature = script.signature;
    chunks.push(
      response(
        meta,
        candidate([part], script.finishReason),
        usageMetadata(script, script.thoughtsTokens, callTokens(script)),
      ),
    );
    return chunks;
  }
  if (trailing || script.answer.length === 0) {
    const parts = trailing ? [{ text: "", thoughtSignature: script.signature }] : [];
    chunks.push(
      response(
        meta,
        candidate(parts, script.finishReason),
        usageMetadata(script, script.thoughtsTokens, countTokens(said)),
      ),
    );
  }
  return chunks;
}

/** The `generateContent` response: the same content in one candidate, final usage. */
export function fullResponse(script: MockScript, meta: ResponseMeta): Record<string, unknown> {
  const parts: Part[] = [];
  if (script.includeThoughts && script.thoughts.length > 0)
    parts.push({ text: script.thoughts.join(""), thought: true });
  const answer = script.answer.join("");
  if (script.call !== undefined) {
    const part: Part = { functionCall: script.call };
    if (script.signature !== null) part.thoughtSignature = script.signature;
    parts.push(part);
    return response(
      meta,
      candidate(parts, script.finishReason),
      usageMetadata(script, script.thoughtsTokens, callTokens(script)),
    );
  }
  if (answer !== "") {
    parts.push(script.signature === null ? { text: answer } : { text: answer, thoughtSignature: script.signature });
  } else if (script.signature !== null) {
    parts.push({ text: "", thoughtSignature: script.signature });
  }
  return response(
    meta,
    candidate(parts, script.finishReason),
    usageMetadata(script, script.thoughtsTokens, countTokens(answer)),
  );
}

function callTokens(script: MockScript): number {
  return countTokens(JSON.stringify(script.call ?? {}));
}
