import { expect, describe as group, it } from "vitest";
import { pairedBootstrap } from "./bootstrap.ts";
import { binomialHalfCdf, chiSquare1Survival, erfc } from "./distributions.ts";
import { majorityVote } from "./majority-vote.ts";
import { mcnemar, mcnemarFromCounts } from "./mcnemar.ts";
import { paretoFrontier } from "./pareto.ts";
import { meanPassAtK, passAtK } from "./pass-at-k.ts";
import { seededRandom } from "./prng.ts";
import { describe, quantile } from "./quantile.ts";
import { wilsonInterval } from "./wilson.ts";

group("wilsonInterval", () => {
  it("gives the textbook interval for 45/50", () => {
    // p = 0.9, z = 1.96: centre 0.938416 / 1.076832, half-width 1.96·√0.00218416 / 1.076832.
    const { low, high } = wilsonInterval(45, 50);
    expect(low).toBeCloseTo(0.786395, 6);
    expect(high).toBeCloseTo(0.956525, 6);
  });

  it("stays inside [0, 1] at the edges and knows nothing at n = 0", () => {
    expect(wilsonInterval(0, 10)).toEqual({ low: 0, high: expect.closeTo(0.27754, 5) });
    expect(wilsonInterval(10, 10).high).toBe(1);
    expect(wilsonInterval(10, 10).low).toBeCloseTo(0.72246, 5);
    expect(wilsonInterval(0, 0)).toEqual({ low: 0, high: 1 });
  });

  it("narrows with n and widens with z", () => {
    const small = wilsonInterval(9, 10);
    const large = wilsonInterval(900, 1000);
    expect(large.high - large.low).toBeLessThan(small.high - small.low);
    const z99 = wilsonInterval(45, 50, 2.576);
    expect(z99.low).toBeLessThan(0.786395);
  });

  it("refuses impossible counts", () => {
    expect(() => wilsonInterval(3, 2)).toThrow(RangeError);
    expect(() => wilsonInterval(-1, 2)).toThrow(RangeError);
    expect(() => wilsonInterval(1.5, 2)).toThrow(RangeError);
  });
});

group("passAtK", () => {
  it("matches the unbiased estimator for n = 5, c = 2", () => {
    const values = [1, 2, 3, 4, 5].map((k) => passAtK(5, 2, k));
    expect(values[0]).toBeCloseTo(0.4, 12);
    expect(values[1]).toBeCloseTo(0.7, 12);
    expect(values[2]).toBeCloseTo(0.9, 12);
    expect(values[3]).toBe(1);
    expect(values[4]).toBe(1);
  });

  it("agrees with 1 − C(n−c,k)/C(n,k) and stays stable for large n", () => {
    const choose = (n: number, k: number) => {
      let r = 1;
      for (let i = 1; i <= k; i++) r = (r * (n - k + i)) / i;
      return r;
    };
    expect(passAtK(20, 3, 5)).toBeCloseTo(1 - choose(17, 5) / choose(20, 5), 12);
    expect(passAtK(1000, 1, 1)).toBeCloseTo(0.001, 12);
    expect(passAtK(1000, 0, 500)).toBe(0);
    const big = passAtK(10_000, 10, 100);
    expect(big).toBeGreaterThan(0);
    expect(big).toBeLessThan(1);
  });

  it("pass@1 is the plain accuracy", () => {
    expect(passAtK(7, 3, 1)).toBeCloseTo(3 / 7, 12);
  });

  it("averages over items, leaving out items with fewer answers than k", () => {
    expect(
      meanPassAtK(
        [
          { n: 5, c: 2 },
          { n: 5, c: 0 },
        ],
        1,
      ),
    ).toBeCloseTo(0.2, 12);
    expect(meanPassAtK([{ n: 1, c: 1 }], 2)).toBeNull();
  });

  it("refuses bad arguments", () => {
    expect(() => passAtK(5, 6, 1)).toThrow(RangeError);
    expect(() => passAtK(5, 2, 6)).toThrow(RangeError);
    expect(() => passAtK(0, 0, 1)).toThrow(RangeError);
  });
});

group("majorityVote", () => {
  it("takes the most common answer, ignoring nulls", () => {
    expect(majorityVote(["42", "41", "42", null, null, null])).toEqual({
      answer: "42",
      votes: 2,
      total: 3,
      tie: false,
    });
  });

  it("breaks ties by the answer that got there first", () => {
    expect(majorityVote(["B", "A", "A", "B"])).toEqual({ answer: "A", votes: 2, total: 4, tie: true });
    expect(majorityVote(["C", "D"])).toMatchObject({ answer: "C", tie: true });
  });

  it("has no answer when nobody answered", () => {
    expect(majorityVote([null, null])).toEqual({ answer: null, votes: 0, total: 0, tie: false });
  });
});

group("mcnemar", () => {
  it("reproduces Agresti's presidential-approval example (chi-square with continuity correction)", () => {
    // Agresti, Categorical Data Analysis: 794 approve/approve, 150 approve→disapprove, 86 disapprove→approve, 570.
    const result = mcnemarFromCounts(150, 86);
    expect(result.method).toBe("chi_square_cc");
    expect(result.statistic).toBeCloseTo(3969 / 236, 10);
    expect(result.p_value).toBeCloseTo(4.1146e-5, 8);
  });

  it("uses the exact binomial test for few discordant pairs", () => {
    // b = 1, c = 7: p = 2 · (C(8,0) + C(8,1)) / 2^8 = 18/256.
    const exact = mcnemarFromCounts(1, 7);
    expect(exact.method).toBe("exact");
    expect(exact.p_value).toBeCloseTo(0.0703125, 12);
    expect(mcnemarFromCounts(2, 10).p_value).toBeCloseTo(0.03857421875, 12);
    expect(mcnemarFromCounts(5, 5).p_value).toBe(1);
    expect(mcnemarFromCounts(0, 0).p_value).toBe(1);
  });

  it("counts only discordant pairs", () => {
    const pairs: Array<[boolean, boolean]> = [
      [true, true],
      [false, false],
      [true, false],
      [false, true],
      [false, true],
    ];
    expect(mcnemar(pairs)).toMatchObject({ only_a: 1, only_b: 2, method: "exact" });
  });

  it("has accurate distribution helpers", () => {
    expect(erfc(0)).toBeCloseTo(1, 7);
    expect(erfc(1)).toBeCloseTo(0.157299207, 7);
    expect(erfc(-1)).toBeCloseTo(1.842700793, 7);
    expect(chiSquare1Survival(3.841458820694124)).toBeCloseTo(0.05, 6);
    expect(binomialHalfCdf(4, 4)).toBeCloseTo(1, 12);
  });
});

group("pairedBootstrap", () => {
  const pairs: Array<[boolean, boolean]> = [
    ...Array.from({ length: 30 }, (): [boolean, boolean] => [true, true]),
    ...Array.from({ length: 5 }, (): [boolean, boolean] => [true, false]),
    ...Array.from({ length: 15 }, (): [boolean, boolean] => [false, true]),
  ];

  it("is deterministic for a seed and brackets the observed difference", () => {
    const one = pairedBootstrap(pairs, { seed: 7 });
    const two = pairedBootstrap(pairs, { seed: 7 });
    expect(one).toEqual(two);
    expect(one.difference).toBeCloseTo(0.2, 12);
    expect(one.low).toBeLessThan(0.2);
    expect(one.high).toBeGreaterThan(0.2);
    expect(one.low).toBeGreaterThan(0);
    expect(pairedBootstrap(pairs, { seed: 8 })).not.toEqual(one);
  });

  it("is degenerate without discordant pairs", () => {
    expect(pairedBootstrap([[true, true]], { iterations: 50 })).toMatchObject({ difference: 0, low: 0, high: 0 });
  });
});

group("seededRandom", () => {
  it("repeats its sequence for a seed and stays in [0, 1)", () => {
    const a = seededRandom(42);
    const b = seededRandom(42);
    for (let i = 0; i < 1000; i++) {
      const x = a();
      expect(x).toBe(b());
      expect(x >= 0 && x < 1).toBe(true);
    }
  });
});

group("quantile (type 7)", () => {
  it("interpolates linearly between order statistics", () => {
    // R: quantile(c(1, 2, 3, 4, 10), c(.5, .95, .25)) → 3, 8.8, 2
    expect(quantile([10, 1, 3, 2, 4], 0.5)).toBe(3);
    expect(quantile([10, 1, 3, 2, 4], 0.95)).toBeCloseTo(8.8, 12);
    expect(quantile([10, 1, 3, 2, 4], 0.25)).toBe(2);
    expect(quantile([1, 2], 0.5)).toBe(1.5);
    expect(quantile([7], 0.95)).toBe(7);
    expect(quantile([], 0.5)).toBeNull();
    expect(() => quantile([1], 1.5)).toThrow(RangeError);
  });

  it("describes a sample in one pass", () => {
    expect(describe([4, 1, 3, 2])).toEqual({
      n: 4,
      mean: 2.5,
      min: 1,
      q1: 1.75,
      p50: 2.5,
      q3: 3.25,
      p95: expect.closeTo(3.85, 12),
      max: 4,
    });
    expect(describe([])).toBeNull();
  });
});

group("paretoFrontier", () => {
  it("keeps points no other beats on both cost and accuracy, cheapest first", () => {
    const frontier = paretoFrontier([
      { id: "hasty", cost: "0.00002", accuracy: 0.55 },
      { id: "reasoner-low", cost: "0.0004", accuracy: 0.8 },
      { id: "reasoner-high", cost: "0.0012", accuracy: 0.97 },
      { id: "dominated", cost: "0.0013", accuracy: 0.9 },
      { id: "same-cost-worse", cost: "0.0004", accuracy: 0.7 },
    ]);
    expect(frontier).toEqual(["hasty", "reasoner-low", "reasoner-high"]);
  });

  it("keeps exact ties and compares costs exactly", () => {
    expect(
      paretoFrontier([
        { id: "a", cost: "0.1", accuracy: 0.5 },
        { id: "b", cost: "0.10", accuracy: 0.5 },
      ]),
    ).toEqual(["a", "b"]);
    // 0.1 + 0.2 is not 0.3 in floats; as decimals these are distinct and ordered.
    expect(
      paretoFrontier([
        { id: "x", cost: "0.30000000000000004", accuracy: 0.9 },
        { id: "y", cost: "0.3", accuracy: 0.9 },
      ]),
    ).toEqual(["y"]);
  });
});
