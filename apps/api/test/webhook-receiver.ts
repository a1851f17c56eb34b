import { createServer, type IncomingHttpHeaders, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { Webhook } from "standardwebhooks";
import { afterAll, beforeAll } from "vitest";

export interface Received {
  headers: IncomingHttpHeaders;
  body: string;
  answered: number;
}

/** A receiver on 127.0.0.1 that answers `status()` and keeps every request. */
export async function startReceiver(
  status: () => number,
): Promise<{ url: string; received: Received[]; server: Server }> {
  const received: Received[] = [];
  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on("data", (chunk: Buffer) => chunks.push(chunk));
    request.on("end", () => {
      const answered = status();
      received.push({ headers: request.headers, body: Buffer.concat(chunks).toString("utf8"), answered });
      response.writeHead(answered).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`, received, server };
}

/** What a harness needs to sign with `secret` and deliver to a loopback receiver, retrying quickly. */
export function webhookEnv(secret: string): Record<string, string> {
  return {
    REASONQ_WEBHOOK_SECRET: secret,
    REASONQ_WEBHOOK_ALLOW_PRIVATE: "true",
    REASONQ_WEBHOOK_ATTEMPTS: "6",
    REASONQ_WEBHOOK_BACKOFF_MS: "200",
  };
}

export interface TestReceiver {
  /** The status the receiver answers with from now on (503 at first, so deliveries retry). */
  answer: number;
  readonly url: string;
  readonly received: Received[];
  /** The deliveries of one webhook id, only those answered `answered` when given. */
  hits(id: string, answered?: number): Received[];
}

/** A receiver started in the calling suite's `beforeAll` and closed in its `afterAll`. */
export function useReceiver(): TestReceiver {
  let started: Awaited<ReturnType<typeof startReceiver>> | undefined;
  const running = () => {
    if (started === undefined) throw new Error("receiver read before its beforeAll started it");
    return started;
  };
  const receiver: TestReceiver = {
    answer: 503,
    get url() {
      return running().url;
    },
    get received() {
      return running().received;
    },
    hits: (id, answered) =>
      running().received.filter(
        (r) => r.headers["webhook-id"] === id && (answered === undefined || r.answered === answered),
      ),
  };
  beforeAll(async () => {
    started = await startReceiver(() => receiver.answer);
  });
  afterAll(() => {
    started?.server.close();
  });
  return receiver;
}

/** The event a delivery carries, once its signature checks out against `secret` (throws otherwise). */
export function verifiedEvent<T>(secret: string, hit: Received): { type: string; data: T } {
  return new Webhook(secret).verify(hit.body, {
    "webhook-id": String(hit.headers["webhook-id"]),
    "webhook-timestamp": String(hit.headers["webhook-timestamp"]),
    "webhook-signature": String(hit.headers["webhook-signature"]),
  }) as { type: string; data: T };
}
