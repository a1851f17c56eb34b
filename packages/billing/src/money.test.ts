import { describe, expect, it } from "vitest";
import { addDecimalStrings, money, toDecimalString, tokensCost } from "./money.ts";

describe("money", () => {
  it("accepts decimal strings only", () => {
    for (const bad of ["1e-7", "NaN", "Infinity", "", "1.", ".5", "0x10"])
      expect(() => money(bad), bad).toThrow(TypeError);
  });

  it("prints plain decimals without trailing zeros or exponents", () => {
    expect(toDecimalString(money("1.50"))).toBe("1.5");
    expect(toDecimalString(money("0.0000000001"))).toBe("0.0000000001");
    expect(toDecimalString(money("-0"))).toBe("0");
    expect(toDecimalString(money("123456789012345678901234567890"))).toBe("123456789012345678901234567890");
  });

  it("multiplies token counts exactly", () => {
    expect(toDecimalString(tokensCost(350, "15"))).toBe("0.00525");
    expect(toDecimalString(tokensCost(9_007_199_254_740_991, "0.000000001"))).toBe("9.007199254740991");
    expect(() => tokensCost(1.5, "1")).toThrow(RangeError);
  });

  it("adds amounts kept as strings", () => {
    expect(addDecimalStrings(["0.1", "0.2"])).toBe("0.3");
    expect(addDecimalStrings([])).toBe("0");
  });
});
