import { describe, expect, it } from "vitest";
import { FaultPlan, stripFaultMarkers } from "./faults.ts";

describe("FaultPlan", () => {
  it("reads a marker's fields", () => {
    const plan = new FaultPlan();
    expect(plan.for("hi [mock:status=429,retry_after=2]")).toEqual({ status: 429, retryAfterSeconds: 2 });
    expect(plan.for("[mock:cut_mid_stream,trickle_ms=5]")).toEqual({ cutMidStream: true, trickleMs: 5 });
    expect(plan.for("no marker")).toEqual({});
  });

  it("stops failing after `times` requests but keeps pacing", () => {
    const plan = new FaultPlan();
    const text = "q [mock:status=500,times=2,trickle_ms=1]";
    expect(plan.for(text).status).toBe(500);
    expect(plan.for(text).status).toBe(500);
    expect(plan.for(text)).toEqual({ trickleMs: 1 });
  });

  it("strips markers from the text a mock answers", () => {
    expect(stripFaultMarkers("What is 2+2? [mock:status=500]")).toBe("What is 2+2?");
  });
});
