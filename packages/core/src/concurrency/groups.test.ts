import { describe, expect, it } from "vitest";
import { Groups } from "./groups.ts";

interface Item {
  id: string;
  value: number;
}

/** A statement stand-in that records each group it runs and answers when told to. */
function recorder(fail?: (items: Item[]) => Error | undefined) {
  const groups: string[][] = [];
  const pending: Array<() => void> = [];
  const run = (items: Item[]) =>
    new Promise<number[]>((resolve, reject) => {
      groups.push(items.map((i) => i.id));
      pending.push(() => {
        const error = fail?.(items);
        if (error) reject(error);
        else resolve(items.map((i) => i.value * 10));
      });
    });
  const answerAll = async () => {
    while (pending.length > 0) {
      pending.shift()?.();
      await new Promise((r) => setImmediate(r));
    }
  };
  return { groups, run, answerAll };
}

/** A database that cannot be reached: every call of a group fails with it, none is retried alone. */
const unreachable = Object.assign(new Error("connect ECONNREFUSED"), { code: "ECONNREFUSED" });
const options = {
  maxInFlight: 1,
  maxGroup: 3,
  key: (item: Item) => item.id,
  retryAlone: (error: unknown) => error !== unreachable,
};

describe("groups", () => {
  it("sends a lone call at once and groups the calls that arrive while one is in flight", async () => {
    const r = recorder();
    const groups = new Groups<Item, number>(r.run, options);
    const outs = ["a", "b", "c", "d", "e"].map((id, i) => groups.submit({ id, value: i }));
    expect(r.groups).toEqual([["a"]]);
    await r.answerAll();
    expect(await Promise.all(outs)).toEqual([0, 10, 20, 30, 40]);
    expect(r.groups).toEqual([["a"], ["b", "c", "d"], ["e"]]);
  });

  it("never puts two calls with the same key in one group, and keeps their order", async () => {
    const r = recorder();
    const groups = new Groups<Item, number>(r.run, options);
    const outs = [groups.submit({ id: "a", value: 1 }), groups.submit({ id: "b", value: 2 })];
    outs.push(groups.submit({ id: "b", value: 3 }), groups.submit({ id: "c", value: 4 }));
    await r.answerAll();
    expect(await Promise.all(outs)).toEqual([10, 20, 30, 40]);
    expect(r.groups).toEqual([["a"], ["b", "c"], ["b"]]);
  });

  it("runs each call of a failed group alone, so only the bad one fails", async () => {
    const r = recorder((items) => (items.some((i) => i.id === "bad") ? new Error("bad value") : undefined));
    const groups = new Groups<Item, number>(r.run, options);
    const first = groups.submit({ id: "a", value: 1 });
    const rest = Promise.allSettled([groups.submit({ id: "b", value: 2 }), groups.submit({ id: "bad", value: 3 })]);
    await r.answerAll();
    expect(await first).toBe(10);
    expect((await rest).map((s) => s.status)).toEqual(["fulfilled", "rejected"]);
    expect(r.groups).toEqual([["a"], ["b", "bad"], ["b"], ["bad"]]);
  });

  it("fails the whole group at once when the error is not one to retry alone", async () => {
    const r = recorder(() => unreachable);
    const groups = new Groups<Item, number>(r.run, { ...options, maxInFlight: 2 });
    const outs = Promise.allSettled([groups.submit({ id: "a", value: 1 }), groups.submit({ id: "b", value: 2 })]);
    await r.answerAll();
    expect((await outs).map((s) => s.status)).toEqual(["rejected", "rejected"]);
    expect(r.groups).toEqual([["a"], ["b"]]);
  });
});
