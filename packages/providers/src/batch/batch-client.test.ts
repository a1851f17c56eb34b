import { describe, expect, it } from "vitest";
import { findSince } from "./batch-client.ts";

interface Listed {
  id: string;
  at?: number;
  ours: boolean;
}

async function* newestFirst(batches: Listed[]): AsyncIterable<Listed> {
  yield* batches;
}

const since = new Date(1_000_000_000);
const find = (batches: Listed[]) =>
  findSince(
    newestFirst(batches),
    since,
    (b) => b.at,
    (b) => (b.ours ? b.id : null),
  );

describe("findSince", () => {
  it("returns the newest batch claimed as ours among those created since the intent", async () => {
    const t = since.getTime();
    expect(
      await find([
        { id: "b3", at: t + 2000, ours: false },
        { id: "b2", at: t + 1000, ours: true },
        { id: "b1", at: t + 500, ours: true },
      ]),
    ).toBe("b2");
  });

  it("allows a minute of clock skew, and stops at the first batch older than that", async () => {
    const t = since.getTime();
    expect(await find([{ id: "skewed", at: t - 59_000, ours: true }])).toBe("skewed");
    expect(
      await find([
        { id: "old", at: t - 61_000, ours: false },
        { id: "older", at: t - 70_000, ours: true },
      ]),
    ).toBeNull();
  });

  it("looks past a batch with no creation time instead of stopping there", async () => {
    expect(
      await find([
        { id: "undated", ours: false },
        { id: "mine", at: since.getTime(), ours: true },
      ]),
    ).toBe("mine");
  });
});
