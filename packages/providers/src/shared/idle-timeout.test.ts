import { describe, expect, it } from "vitest";
import { withIdleTimeout } from "./idle-timeout.ts";

async function* slowAfter(first: number[], gate: Promise<void>) {
  for (const n of first) yield n;
  await gate;
  yield 99;
}

describe("withIdleTimeout", () => {
  it("passes items through while they keep coming", async () => {
    const out: number[] = [];
    for await (const n of withIdleTimeout(slowAfter([1, 2], Promise.resolve()), 1000, () => {})) out.push(n);
    expect(out).toEqual([1, 2, 99]);
  });

  it("fails a silent stream as dropped and tells the caller to abort", async () => {
    let aborted = false;
    const never = new Promise<void>(() => {});
    const out: number[] = [];
    const run = async () => {
      for await (const n of withIdleTimeout(slowAfter([1], never), 20, () => (aborted = true))) out.push(n);
    };
    await expect(run()).rejects.toMatchObject({ type: "provider_stream_dropped" });
    expect(out).toEqual([1]);
    expect(aborted).toBe(true);
  });
});
