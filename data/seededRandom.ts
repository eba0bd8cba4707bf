import type { RandomGenerator } from "pure-rand";

/** Uniform and normal draws on top of a pure-rand generator, mutated in place for speed. */
export class SeededRandom {
  private spareNormal = NaN;

  constructor(private readonly generator: RandomGenerator) {}

  /** Uniform in [0, 1) with 53 random bits. */
  uniform(): number {
    const high = this.generator.unsafeNext() >>> 5;
    const low = this.generator.unsafeNext() >>> 6;
    return (high * 67_108_864 + low) / 9_007_199_254_740_992;
  }

  integerBelow(limit: number): number {
    return Math.floor(this.uniform() * limit);
  }

  /** Standard normal by Box–Muller; the second value of each pair is kept for the next call. */
  normal(): number {
    if (!Number.isNaN(this.spareNormal)) {
      const spare = this.spareNormal;
      this.spareNormal = NaN;
      return spare;
    }
    const radius = Math.sqrt(-2 * Math.log(1 - this.uniform()));
    const angle = 2 * Math.PI * this.uniform();
    this.spareNormal = radius * Math.sin(angle);
    return radius * Math.cos(angle);
  }
}
