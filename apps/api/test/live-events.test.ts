import type { Job, JobEvent } from "@reasonq/core";
import { createRedis } from "@reasonq/queue";
import type { EventSourceMessage } from "eventsource-parser";
import { beforeAll, describe, expect, it } from "vitest";
import { auth, useHarness } from "./harness.ts";
import { readSse } from "./sse-client.ts";

/** What a client shows: the text of the latest attempt only (a new attempt voids the old one). */
function replay(events: EventSourceMessage[]) {
  let attempt = 0;
  let reasoning = "";
  let answer = "";
  for (const message of events) {
    const event = JSON.parse(message.data) as JobEvent;
    if (event.type === "status" && event.status === "running" && event.attempt !== attempt) {
      attempt = event.attempt;
      reasoning = "";
      answer = "";
    }
    if (event.type === "reasoning.delta" && event.attempt === attempt) reasoning += event.text;
    if (event.type === "answer.delta" && event.attempt === attempt) answer += event.text;
  }
  return { reasoning, answer };
}

describe("live job events (SSE)", () => {
  const h = useHarness({ kind: "pglite" }, { workers: 1 });
  let base: string;
  beforeAll(async () => {
    base = await h.listen();
  });

  async function submit(body: object): Promise<Job> {
    const res = await h.app.inject({ method: "POST", url: "/v1/jobs", headers: auth(h.keys.a), payload: body });
    return res.json<Job>();
  }
  const headers = () => auth(h.keys.a);
  const finalJob = async (id: string) =>
    (await h.app.inject({ method: "GET", url: `/v1/jobs/${id}?wait=30`, headers: headers() })).json<Job>();

  it("resumes after a dropped connection with every delta exactly once", async () => {
    const job = await submit({
      model: "sim/reasoner",
      prompt: "What is 48*52? [sim:tps=300]",
      reasoning: { effort: "high" },
    });
    const url = `${base}/v1/jobs/${job.id}/events`;
    const first = await readSse(url, { headers: headers(), stopAfter: 4 });
    expect(first).toHaveLength(4);
    const last = first.at(-1)?.id as string;
    const rest = await readSse(url, { headers: { ...headers(), "last-event-id": last } });
    const all = [...first, ...rest];

    const ids = all.map((e) => e.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect(all.every((e) => typeof e.id === "string" && e.id.length > 0)).toBe(true);
    expect(rest.at(-1)?.event).toBe("done");
    expect(all.some((e) => e.event === "reasoning.delta")).toBe(true);
    expect(all.some((e) => e.event === "usage")).toBe(true);

    const stored = await finalJob(job.id);
    const shown = replay(all);
    expect(shown.reasoning).toBe(stored.output?.reasoning);
    expect(shown.answer).toBe(stored.output?.answer);
    const done = JSON.parse(rest.at(-1)?.data ?? "{}") as { job: Job };
    expect(done.job.status).toBe("succeeded");
    expect(done.job.cost?.total).toBe(stored.cost?.total);
  });

  it("shows a retry in the stream and lets the client drop the failed attempt's text", async () => {
    const job = await submit({ model: "sim/reasoner", prompt: "What is 31*29? [sim:fail=stream_dropped:1]" });
    const events = await readSse(`${base}/v1/jobs/${job.id}/events`, { headers: headers() });
    const parsed = events.map((e) => JSON.parse(e.data) as JobEvent);
    const statuses = parsed.flatMap((e) => (e.type === "status" ? [`${e.status}:${e.attempt}`] : []));
    expect(statuses).toEqual(["queued:0", "running:1", "queued:1", "running:2", "succeeded:2"]);
    expect(parsed.some((e) => e.type === "reasoning.delta" && e.attempt === 1)).toBe(true);
    const stored = await finalJob(job.id);
    expect(stored.attempts).toBe(2);
    expect(replay(events)).toEqual({ reasoning: stored.output?.reasoning, answer: stored.output?.answer });
  });

  it("replays a finished job's events to a late client, then ends", async () => {
    const job = await submit({ model: "sim/hasty", prompt: "What is 2+3?" });
    await finalJob(job.id);
    const events = await readSse(`${base}/v1/jobs/${job.id}/events`, { headers: headers() });
    expect(events.at(0)?.event).toBe("status");
    expect(events.at(-1)?.event).toBe("done");
    // Past the end: 204, which stops an EventSource, never a second `done`.
    const resumedAtEnd = await fetch(`${base}/v1/jobs/${job.id}/events`, {
      headers: { ...headers(), "last-event-id": events.at(-1)?.id as string },
    });
    expect(resumedAtEnd.status).toBe(204);
    expect(await resumedAtEnd.text()).toBe("");
    const beforeTheEnd = await readSse(`${base}/v1/jobs/${job.id}/events`, {
      headers: { ...headers(), "last-event-id": events.at(-2)?.id as string },
    });
    expect(beforeTheEnd.map((e) => e.event)).toEqual(["done"]);
  });

  it("makes up a done for an expired stream once, and answers 204 to a resume after it", async () => {
    const job = await submit({ model: "sim/hasty", prompt: "What is 3+4?" });
    await finalJob(job.id);
    const redis = createRedis(h.redis.url, "consumer", { onError: () => {} });
    await redis.del(`${h.redis.prefix}:events:${job.id}`);
    await redis.quit();
    const url = `${base}/v1/jobs/${job.id}/events`;
    const [done] = await readSse(url, { headers: headers() });
    expect(done?.event).toBe("done");
    const again = await fetch(url, { headers: { ...headers(), "last-event-id": done?.id as string } });
    expect(again.status).toBe(204);
    // A client that last saw an event from before the end has not seen the done yet.
    const missed = await readSse(url, { headers: { ...headers(), "last-event-id": "1-0" } });
    expect(missed.map((e) => e.event)).toEqual(["done"]);
  });

  it("ends the stream of a cancelled queued job", async () => {
    const key = (await h.store.apiKeys.create("cancel")).key;
    const res = await h.app.inject({
      method: "POST",
      url: "/v1/jobs",
      headers: auth(key),
      payload: { model: "sim/reasoner", prompt: "What is 1+1? [sim:tps=1]" },
    });
    const job = res.json<Job>();
    await h.app.inject({ method: "POST", url: `/v1/jobs/${job.id}/cancel`, headers: auth(key) });
    const events = await readSse(`${base}/v1/jobs/${job.id}/events`, { headers: auth(key) });
    const done = JSON.parse(events.at(-1)?.data ?? "{}") as { job?: Job };
    expect(events.at(-1)?.event).toBe("done");
    expect(done.job?.status).toBe("cancelled");
  });

  it("refuses another key's job and a malformed Last-Event-ID", async () => {
    const job = await submit({ model: "sim/hasty", prompt: "What is 2+2?" });
    const other = await h.app.inject({ method: "GET", url: `/v1/jobs/${job.id}/events`, headers: auth(h.keys.b) });
    expect(other.statusCode).toBe(404);
    const bad = await h.app.inject({
      method: "GET",
      url: `/v1/jobs/${job.id}/events`,
      headers: { ...headers(), "last-event-id": "yesterday" },
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.field).toBe("last-event-id");
  });
});
