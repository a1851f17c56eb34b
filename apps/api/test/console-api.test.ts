import type { Job } from "@reasonq/core";
import { testDatabases } from "@reasonq/testkit";
import { describe, expect, it } from "vitest";
import { auth, useHarness } from "./harness.ts";

describe.each(testDatabases())("what the web console needs from the API, on $name", ({ options }) => {
  const h = useHarness(options, { workers: 1 });

  it("serves the console at / without a key, with a policy that keeps it to this origin", async () => {
    const page = await h.app.inject({ method: "GET", url: "/" });
    expect(page.statusCode).toBe(200);
    expect(page.headers["content-type"]).toContain("text/html");
    expect(page.body).toContain('<script type="module" src="console.js">');
    expect(page.headers["content-security-policy"]).toContain("default-src 'self'");
    expect(page.headers["content-security-policy"]).toContain("frame-ancestors 'none'");
    const script = await h.app.inject({ method: "GET", url: "/console.js" });
    expect(script.statusCode).toBe(200);
    expect(script.headers["content-type"]).toContain("javascript");
    expect((await h.app.inject({ method: "GET", url: "/console.css" })).statusCode).toBe(200);
    expect((await h.app.inject({ method: "GET", url: "/v1/jobs" })).statusCode).toBe(401);
  });

  it("returns a job's messages on ?include=messages, as sent", async () => {
    const created = await h.app.inject({
      method: "POST",
      url: "/v1/jobs",
      headers: auth(h.keys.a),
      payload: {
        model: "sim/reasoner",
        messages: [
          { role: "user", content: "What is 2+2?" },
          { role: "assistant", content: "4" },
          { role: "user", content: [{ type: "text", text: "And 3+3?" }] },
        ],
      },
    });
    const { id } = created.json<Job>();
    const plain = await h.app.inject({ method: "GET", url: `/v1/jobs/${id}`, headers: auth(h.keys.a) });
    expect(plain.json<Job>().messages).toBeUndefined();
    const read = await h.app.inject({
      method: "GET",
      url: `/v1/jobs/${id}?include=messages,attempts`,
      headers: auth(h.keys.a),
    });
    const job = read.json<Job>();
    expect(job.messages?.map((m) => m.role)).toEqual(["user", "assistant", "user"]);
    expect(job.messages?.[2]).toMatchObject({ role: "user" });
    expect(job.attempt_list).toBeDefined();
    const bad = await h.app.inject({ method: "GET", url: `/v1/jobs/${id}?include=secrets`, headers: auth(h.keys.a) });
    expect(bad.statusCode).toBe(400);
  });

  it("filters the job list by a metadata pair, for the calling key only", async () => {
    const submit = (key: string, ticket: string) =>
      h.app.inject({
        method: "POST",
        url: "/v1/jobs",
        headers: auth(key),
        payload: { model: "sim/echo", prompt: "hi", metadata: { ticket } },
      });
    const mine = (await submit(h.keys.a, "T-9")).json<Job>();
    await submit(h.keys.a, "T-10");
    await submit(h.keys.b, "T-9");
    const list = await h.app.inject({ method: "GET", url: "/v1/jobs?metadata=ticket:T-9", headers: auth(h.keys.a) });
    expect(list.json<{ data: Job[] }>().data.map((j) => j.id)).toEqual([mine.id]);
    const bad = await h.app.inject({ method: "GET", url: "/v1/jobs?metadata=no-colon", headers: auth(h.keys.a) });
    expect(bad.statusCode).toBe(400);
  });

  it("tells a key its spend and cap with its usage", async () => {
    const usage = await h.app.inject({ method: "GET", url: "/v1/usage?group_by=day", headers: auth(h.keys.b) });
    expect(usage.statusCode).toBe(200);
    expect(usage.json().key).toMatchObject({ name: "b", spend_cap_usd: null, spent_usd: expect.any(String) });
  });
});
