import pino from "pino";
import { describe, expect, it } from "vitest";
import { auth, useHarness } from "./harness.ts";

/** Each request is one log line, written when it is answered: what came in, what went out, how long it took. */
describe("request log", () => {
  const lines: Array<Record<string, unknown>> = [];
  const logger = pino({ level: "info" }, { write: (line: string) => lines.push(JSON.parse(line)) });
  const h = useHarness({ kind: "pglite" }, { logger });

  it("writes one line per request with its method, URL, status and time", async () => {
    lines.length = 0;
    const created = await h.app.inject({
      method: "POST",
      url: "/v1/jobs",
      headers: auth(h.keys.a),
      payload: { model: "sim/reasoner", prompt: "What is 2+2?" },
    });
    const missing = await h.app.inject({ method: "GET", url: "/v1/jobs/job_none", headers: auth(h.keys.a) });
    expect([created.statusCode, missing.statusCode]).toEqual([202, 404]);
    const requests = lines.filter((line) => line.req !== undefined || line.res !== undefined);
    expect(requests).toHaveLength(2);
    expect(requests.map((line) => line.msg)).toEqual(["request completed", "request completed"]);
    expect(
      requests.map((line) => [(line.req as { method: string }).method, (line.req as { url: string }).url]),
    ).toEqual([
      ["POST", "/v1/jobs"],
      ["GET", "/v1/jobs/job_none"],
    ]);
    expect(requests.map((line) => (line.res as { statusCode: number }).statusCode)).toEqual([202, 404]);
    for (const line of requests) {
      expect(line.responseTime).toBeTypeOf("number");
      expect(line.reqId).toBeTypeOf("string");
    }
  });
});
