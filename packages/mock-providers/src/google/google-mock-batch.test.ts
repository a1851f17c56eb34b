import { GoogleGenAI, type InlinedRequest, JobState } from "@google/genai";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { MockServer } from "../http.ts";
import { startGoogleMock } from "./google-mock.ts";

let mock: MockServer;
let ai: GoogleGenAI;

beforeAll(async () => {
  mock = await startGoogleMock({ apiKey: "g-key" });
  ai = new GoogleGenAI({ apiKey: "g-key", apiVersion: "v1beta", httpOptions: { baseUrl: mock.url } });
});
afterAll(() => mock.close());

const request = (text: string, key: string): InlinedRequest => ({
  contents: [{ role: "user", parts: [{ text }] }],
  config: { maxOutputTokens: 8000, thinkingConfig: { includeThoughts: true, thinkingBudget: 1024 } },
  metadata: { key },
});

describe("the Google mock's batch mode, through @google/genai", () => {
  it("returns each inlined response as generateContent would have", async () => {
    const job = await ai.batches.create({
      model: "gemini-2.5-flash",
      src: [request("What is 2 + 3?", "job_a"), request("Bad [mock:status=400]", "job_b")],
      config: { displayName: "pb_1" },
    });
    expect(job.name).toMatch(/^batches\//);
    expect(job.state).toBe(JobState.JOB_STATE_RUNNING);
    const done = await ai.batches.get({ name: job.name as string });
    expect(done.state).toBe(JobState.JOB_STATE_SUCCEEDED);
    expect(done.displayName).toBe("pb_1");
    const [a, b] = done.dest?.inlinedResponses ?? [];
    const interactive = await ai.models.generateContent({
      model: "gemini-2.5-flash",
      contents: [{ role: "user", parts: [{ text: "What is 2 + 3?" }] }],
      config: { maxOutputTokens: 8000, thinkingConfig: { includeThoughts: true, thinkingBudget: 1024 } },
    });
    expect(a?.metadata).toEqual({ key: "job_a" });
    // Batch responses are plain objects (no `.text` getter): compare the parts.
    expect(a?.response?.candidates?.[0]?.content).toEqual(interactive.candidates?.[0]?.content);
    expect(a?.response?.usageMetadata?.thoughtsTokenCount).toBe(interactive.usageMetadata?.thoughtsTokenCount);
    expect(b?.metadata).toEqual({ key: "job_b" });
    expect(b?.error).toMatchObject({ code: 400, status: "INVALID_ARGUMENT" });
  });

  it("stays running for a slow batch's polls", async () => {
    const job = await ai.batches.create({
      model: "gemini-2.5-flash",
      src: [request("1 + 1? [mock:batch_slow=2]", "s")],
    });
    const seen = [];
    for (let i = 0; i < 3; i++) seen.push((await ai.batches.get({ name: job.name as string })).state);
    expect(seen).toEqual([JobState.JOB_STATE_RUNNING, JobState.JOB_STATE_RUNNING, JobState.JOB_STATE_SUCCEEDED]);
  });

  it("expires a batch with no output", async () => {
    const job = await ai.batches.create({ model: "gemini-2.5-flash", src: [request("x [mock:batch_expire]", "e")] });
    const done = await ai.batches.get({ name: job.name as string });
    expect(done.state).toBe(JobState.JOB_STATE_EXPIRED);
    expect(done.dest?.inlinedResponses).toBeUndefined();
  });

  it("cancels, and lists batches by display name", async () => {
    const job = await ai.batches.create({
      model: "gemini-2.5-flash",
      src: [request("x [mock:batch_slow=9]", "c")],
      config: { displayName: "pb_cancel" },
    });
    await ai.batches.cancel({ name: job.name as string });
    expect((await ai.batches.get({ name: job.name as string })).state).toBe(JobState.JOB_STATE_CANCELLED);
    const names = [];
    for await (const listed of await ai.batches.list()) names.push(listed.displayName);
    expect(names).toContain("pb_cancel");
  });
});
