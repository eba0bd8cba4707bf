import { describe, expect, it } from "vitest";
import { confidenceTier, DEFAULT_CONFIDENCE_TIERS } from "../../reports/confidenceTier.js";

describe("confidence tiers", () => {
  it.each([
    [1, "VERY_HIGH"],
    [0.85, "VERY_HIGH"],
    [0.8499, "HIGH"],
    [0.7, "HIGH"],
    [0.6999, "MEDIUM"],
    [0.55, "MEDIUM"],
    [0.5499, "LOW"],
    [0.45, "LOW"],
    [0.4499, "VERY_LOW"],
    [0, "VERY_LOW"],
  ])("puts confidence %s in tier %s (lower bounds inclusive)", (confidence, tier) => {
    expect(confidenceTier(confidence)).toBe(tier);
  });

  it("gives no tier to a missing confidence", () => {
    expect(confidenceTier(Number.NaN)).toBeNull();
    expect(confidenceTier(Number.POSITIVE_INFINITY)).toBeNull();
  });

  it("accepts custom tier boundaries", () => {
    const tiers = [{ label: "TOP", minConfidence: 0.5 }, { label: "REST", minConfidence: 0 }];
    expect(confidenceTier(0.6, tiers)).toBe("TOP");
    expect(confidenceTier(0.2, tiers)).toBe("REST");
    expect(confidenceTier(-0.1, tiers)).toBeNull();
  });

  it("lists the five default tiers from the highest down", () => {
    expect(DEFAULT_CONFIDENCE_TIERS.map((tier) => tier.label)).toEqual(["VERY_HIGH", "HIGH", "MEDIUM", "LOW", "VERY_LOW"]);
  });
});
