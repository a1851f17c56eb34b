import { ReasonqError } from "@reasonq/core";
import { describe, expect, it } from "vitest";
import {
  cellCount,
  compareSettings,
  expandVariants,
  gridCells,
  gridCellsAsync,
  settingLabel,
  variantsFrom,
} from "./grid.ts";

describe("expandVariants", () => {
  it("crosses models with efforts and budgets, with stable ids and labels", () => {
    const grid = expandVariants({
      models: ["sim/reasoner", "sim/hasty"],
      efforts: ["low", "high"],
      budgets: [4000],
      repeats: 3,
    });
    expect(grid.repeats).toBe(3);
    expect(grid.variants.map((v) => v.id)).toEqual([
      "sim/reasoner@effort=low",
      "sim/reasoner@effort=high",
      "sim/reasoner@budget=4000",
      "sim/hasty@effort=low",
      "sim/hasty@effort=high",
      "sim/hasty@budget=4000",
    ]);
    expect(grid.variants[1]).toEqual({
      id: "sim/reasoner@effort=high",
      label: "sim/reasoner · effort=high",
      model: "sim/reasoner",
      reasoning: { effort: "high" },
      setting: { kind: "effort", effort: "high" },
    });
  });

  it("gives one default variant per model without efforts or budgets", () => {
    const grid = expandVariants({ models: ["openai/o3-mini"] });
    expect(grid).toEqual({
      repeats: 1,
      variants: [
        {
          id: "openai/o3-mini@default",
          label: "openai/o3-mini",
          model: "openai/o3-mini",
          reasoning: null,
          setting: { kind: "default" },
        },
      ],
    });
  });

  it("refuses duplicates, unknown efforts and silly repeats with the field named", () => {
    const fieldOf = (f: () => unknown) => {
      try {
        f();
      } catch (err) {
        return ReasonqError.is(err) ? err.field : "not a ReasonqError";
      }
      return "no error";
    };
    expect(fieldOf(() => expandVariants({ models: ["a", "a"] }))).toBe("models[1]");
    expect(fieldOf(() => expandVariants({ models: ["a"], efforts: ["low", "low"] }))).toBe("efforts[1]");
    expect(fieldOf(() => expandVariants({ models: ["a"], efforts: ["extreme" as "low"] }))).toBe("efforts[0]");
    expect(fieldOf(() => expandVariants({ models: ["a"], repeats: 0 }))).toBe("repeats");
    expect(fieldOf(() => expandVariants({ models: [] }))).toBe("models");
  });
});

describe("variantsFrom", () => {
  it("names explicit variants and refuses a repeated one", () => {
    const variants = variantsFrom([
      { model: "m", reasoning: { enabled: false } },
      { model: "m", reasoning: { budget_tokens: 100, include: false }, label: "cheap" },
    ]);
    expect(variants.map((v) => [v.id, v.label])).toEqual([
      ["m@off", "m · off"],
      ["m@budget=100,no-reasoning-text", "cheap"],
    ]);
    expect(() => variantsFrom([{ model: "m" }, { model: "m" }])).toThrow(/variant 1 repeats m@default/);
  });

  it("orders settings for a reasoning-budget axis", () => {
    const settings = variantsFrom([
      { model: "m", reasoning: { budget_tokens: 8000 } },
      { model: "m", reasoning: { effort: "high" } },
      { model: "m" },
      { model: "m", reasoning: { effort: "low" } },
      { model: "m", reasoning: { budget_tokens: 1024 } },
      { model: "m", reasoning: { enabled: false } },
    ]).map((v) => v.setting);
    expect([...settings].sort(compareSettings).map(settingLabel)).toEqual([
      "thinking off",
      "default",
      "low",
      "high",
      "1024 tokens",
      "8000 tokens",
    ]);
  });
});

describe("grid cells", () => {
  it("yields item-major cells lazily", () => {
    const grid = expandVariants({ models: ["a", "b"], repeats: 2 });
    const cells = [...gridCells(["i1", "i2"], grid)].map((c) => `${c.item}/${c.variant.model}/${c.repeat}`);
    expect(cells).toEqual(["i1/a/0", "i1/b/0", "i1/a/1", "i1/b/1", "i2/a/0", "i2/b/0", "i2/a/1", "i2/b/1"]);
    expect(cellCount(100_000, grid)).toBe(400_000);
  });

  it("never materialises the grid", () => {
    function* endless() {
      for (let i = 0; ; i++) yield i;
    }
    const grid = expandVariants({ models: ["a"], efforts: ["low", "high"] });
    const first = gridCells(endless(), grid).next().value;
    expect(first?.item).toBe(0);
  });

  it("works over async items", async () => {
    async function* items() {
      yield "x";
      yield "y";
    }
    const grid = expandVariants({ models: ["a"] });
    const seen = [];
    for await (const cell of gridCellsAsync(items(), grid)) seen.push(cell.item);
    expect(seen).toEqual(["x", "y"]);
  });
});
