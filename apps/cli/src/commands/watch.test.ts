import type { Job, JobEvent } from "@reasonq/core";
import { describe, expect, it } from "vitest";
import { watch } from "./watch.ts";

const job = {
  id: "job_1",
  status: "succeeded",
  model: "sim/reasoner",
  output: null,
  usage: null,
  cost: null,
  error: null,
  warnings: [],
} as unknown as Job;

const stream: Array<{ id: string; event: JobEvent }> = [
  { id: "1-0", event: { type: "status", status: "running", attempt: 1 } },
  { id: "2-0", event: { type: "reasoning.delta", attempt: 1, text: "Think " } },
  { id: "3-0", event: { type: "reasoning.delta", attempt: 1, text: "hard." } },
  { id: "4-0", event: { type: "answer.delta", attempt: 1, text: "391" } },
  { id: "5-0", event: { type: "done", job } },
];

describe("reasonq watch", () => {
  it("resumes after a dropped connection from the last event it showed, showing nothing twice", async () => {
    const asked: string[] = [];
    const client = {
      async *events(_id: string, after: string) {
        asked.push(after);
        const rest = stream.filter((e) => after === "0" || e.id > after);
        // The first connection drops after three events.
        yield* asked.length === 1 ? rest.slice(0, 3) : rest;
      },
    };
    let shown = "";
    const done = await watch(client, "job_1", { write: (t) => (shown += t), color: false }, 0);
    expect(done.status).toBe("succeeded");
    expect(asked).toEqual(["0", "3-0"]);
    expect(shown).toContain("Think hard.");
    expect(shown.match(/Think/g)).toHaveLength(1);
    expect(shown.indexOf("── answer ──")).toBeGreaterThan(shown.indexOf("── reasoning ──"));
    expect(shown).toContain("[connection lost; resuming]");
  });
});
