/**
 * The provider-neutral half of the mock batch APIs: a batch's requests, its life
 * (in progress → ended as completed, expired or cancelled) and each request's outcome.
 * Requests are run when the batch ends, one at a time, by POSTing them to the mock's own
 * interactive endpoint, so each result is exactly what that endpoint would have answered
 * (fault markers included). Markers in a request's text shape the batch:
 *
 *   [mock:batch_slow=N]   the batch stays in progress for N polls (default: ends on the first)
 *   [mock:batch_expire]   that request is never run; the batch ends as expired
 */
import { randomBytes } from "node:crypto";

export interface MockBatchRequest {
  customId: string;
  /** The interactive request body. */
  body: Record<string, unknown>;
}

export type MockOutcome =
  | { kind: "response"; status: number; body: unknown; requestId: string }
  | { kind: "expired" }
  | { kind: "canceled" };

export interface MockBatch<Extra> {
  id: string;
  requests: MockBatchRequest[];
  createdAt: Date;
  state: "in_progress" | "cancelling" | "ended";
  endedAs: "completed" | "expired" | "cancelled" | null;
  endedAt: Date | null;
  cancelledAt: Date | null;
  /** Polls still to answer "in progress". */
  pollsLeft: number;
  outcomes: Map<string, MockOutcome>;
  /** What the family keeps besides (endpoint, metadata, display name, …). */
  extra: Extra;
}

export const BATCH_EXPIRY_MS = 24 * 3600 * 1000;

const SLOW = /\[mock:batch_slow=(\d+)\]/;
const EXPIRE = "[mock:batch_expire]";

export class MockBatches<Extra> {
  readonly #batches = new Map<string, MockBatch<Extra>>();
  #baseUrl = "";
  readonly prefix: string;
  /** The interactive call a batch request stands for. */
  readonly call: (
    request: MockBatchRequest,
    batch: MockBatch<Extra>,
  ) => { path: string; headers: Record<string, string> };

  constructor(prefix: string, call: MockBatches<Extra>["call"]) {
    this.prefix = prefix;
    this.call = call;
  }

  /** The mock's own address, known once it listens. */
  bind(baseUrl: string): void {
    this.#baseUrl = baseUrl;
  }

  create(requests: MockBatchRequest[], extra: Extra): MockBatch<Extra> {
    const text = JSON.stringify(requests.map((r) => r.body));
    const slow = SLOW.exec(text);
    const batch: MockBatch<Extra> = {
      id: `${this.prefix}${randomBytes(12).toString("hex")}`,
      requests,
      createdAt: new Date(),
      state: "in_progress",
      endedAs: null,
      endedAt: null,
      cancelledAt: null,
      pollsLeft: slow === null ? 0 : Number(slow[1]),
      outcomes: new Map(),
      extra,
    };
    this.#batches.set(batch.id, batch);
    return batch;
  }

  get(id: string): MockBatch<Extra> | undefined {
    return this.#batches.get(id);
  }

  /** Newest first, as the providers list them. */
  list(): MockBatch<Extra>[] {
    return [...this.#batches.values()].reverse();
  }

  cancel(batch: MockBatch<Extra>): void {
    if (batch.state !== "in_progress") return;
    batch.state = "cancelling";
    batch.cancelledAt = new Date();
  }

  /** One poll: a slow batch stays in progress; otherwise it ends and its requests run. */
  async poll(batch: MockBatch<Extra>): Promise<void> {
    if (batch.state === "ended") return;
    if (batch.state === "cancelling") {
      for (const request of batch.requests) batch.outcomes.set(request.customId, { kind: "canceled" });
      this.#end(batch, "cancelled");
      return;
    }
    if (batch.pollsLeft > 0) {
      batch.pollsLeft -= 1;
      return;
    }
    let expired = false;
    for (const request of batch.requests) {
      if (JSON.stringify(request.body).includes(EXPIRE)) {
        expired = true;
        batch.outcomes.set(request.customId, { kind: "expired" });
      } else {
        batch.outcomes.set(request.customId, await this.#run(request, batch));
      }
    }
    this.#end(batch, expired ? "expired" : "completed");
  }

  async #run(request: MockBatchRequest, batch: MockBatch<Extra>): Promise<MockOutcome> {
    const { path, headers } = this.call(request, batch);
    const response = await fetch(`${this.#baseUrl}${path}`, {
      method: "POST",
      headers: { "content-type": "application/json", ...headers },
      body: JSON.stringify(request.body),
    });
    const requestId = response.headers.get("x-request-id") ?? response.headers.get("request-id") ?? "";
    const text = await response.text();
    try {
      return { kind: "response", status: response.status, body: JSON.parse(text) as unknown, requestId };
    } catch {
      return {
        kind: "response",
        status: 500,
        body: { error: { message: "the request did not produce a JSON response" } },
        requestId,
      };
    }
  }

  #end(batch: MockBatch<Extra>, as: "completed" | "expired" | "cancelled"): void {
    batch.state = "ended";
    batch.endedAs = as;
    batch.endedAt = new Date();
  }
}

/** Seconds since the epoch, as OpenAI timestamps are. */
export function unixSeconds(date: Date | null): number | null {
  return date === null ? null : Math.floor(date.getTime() / 1000);
}

export function header(headers: Record<string, string | string[] | undefined>, name: string): string | undefined {
  const value = headers[name];
  return Array.isArray(value) ? value[0] : value;
}
