import { describe, expect, it } from "vitest";
import { isId, newId } from "./ids.ts";

describe("newId", () => {
  it("makes valid, distinct ids that sort in the order they were made, across refills of the random pool", () => {
    // 600 ids made each in a millisecond of its own draw 16 random characters each: past two refills of the pool.
    const ids = Array.from({ length: 600 }, (_, i) => newId("job", 1_800_000_000_000 + i));
    expect(ids.every((id) => isId("job", id))).toBe(true);
    expect(new Set(ids).size).toBe(ids.length);
    expect([...ids].sort()).toEqual(ids);
  });

  it("draws every character of the alphabet for the random part", () => {
    const seen = new Set<string>();
    for (let i = 0; i < 200; i++) for (const c of newId("job", 1_900_000_000_000 + i).slice(-16)) seen.add(c);
    expect(seen.size).toBe(32);
  });
});
