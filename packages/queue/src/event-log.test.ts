import { describe, expect, it } from "vitest";
import { doneAnnouncement, readDoneAnnouncement } from "./event-log.ts";

describe("a job's done announcement", () => {
  it("carries the ended row when one is given, and reads back to the id and the row", () => {
    const row = JSON.stringify({ id: "job_1", status: "succeeded", output: { answer: "a\nb" } });
    expect(readDoneAnnouncement(doneAnnouncement("job_1", row))).toEqual({ jobId: "job_1", endedRow: row });
  });

  it("is the bare id without a row, as before rows were announced", () => {
    expect(doneAnnouncement("job_1")).toBe("job_1");
    expect(readDoneAnnouncement("job_1")).toEqual({ jobId: "job_1" });
  });

  it("leaves out a row too large to send to every API process", () => {
    const row = JSON.stringify({ output: { answer: "x".repeat(20_000) } });
    expect(doneAnnouncement("job_1", row)).toBe("job_1");
  });
});
