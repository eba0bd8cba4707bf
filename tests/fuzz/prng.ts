/**
 * A small seeded PRNG for the fuzzer (sfc32 seeded through splitmix32), so that a case is a
 * pure function of `(seed, caseIndex)` and reproduces on any machine and Node version —
 * independent of fast-check's or pure-rand's internals.
 */

function splitmix32(state: number): () => number {
  let s = state >>> 0;
  return () => {
    s = (s + 0x9e3779b9) >>> 0;
    let z = s;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
    return (z ^ (z >>> 16)) >>> 0;
  };
}

export class Rng {
  private a: number;
  private b: number;
  private c: number;
  private d: number;

  /** A generator for case `caseIndex` of the campaign seeded `seed`. */
  constructor(seed: number, caseIndex = 0) {
    const mix = splitmix32((seed >>> 0) ^ Math.imul(caseIndex + 1, 0x27d4eb2d));
    this.a = mix();
    this.b = mix();
    this.c = mix();
    this.d = mix() | 1;
    for (let i = 0; i < 12; i++) this.nextUint32();
  }

  nextUint32(): number {
    const t = (((this.a + this.b) >>> 0) + this.d) >>> 0;
    this.d = (this.d + 1) >>> 0;
    this.a = this.b ^ (this.b >>> 9);
    this.b = (this.c + (this.c << 3)) >>> 0;
    this.c = ((this.c << 21) | (this.c >>> 11)) >>> 0;
    this.c = (this.c + t) >>> 0;
    return t;
  }

  /** Uniform in [0, 1). */
  float(): number {
    return this.nextUint32() / 4_294_967_296;
  }

  /** Uniform integer in [low, high] (inclusive). */
  int(low: number, high: number): number {
    return low + Math.floor(this.float() * (high - low + 1));
  }

  /** Uniform in [low, high). */
  between(low: number, high: number): number {
    return low + this.float() * (high - low);
  }

  /** True with probability p. */
  chance(p: number): boolean {
    return this.float() < p;
  }

  pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.float() * items.length)];
  }

  /** An item drawn with the given weights: [[weight, item], …]. */
  weighted<T>(entries: ReadonlyArray<readonly [number, T]>): T {
    const total = entries.reduce((sum, [weight]) => sum + weight, 0);
    let x = this.float() * total;
    for (const [weight, item] of entries) {
      x -= weight;
      if (x < 0) return item;
    }
    return entries[entries.length - 1][1];
  }

  shuffle<T>(items: readonly T[]): T[] {
    const out = [...items];
    for (let i = out.length - 1; i > 0; i--) {
      const j = this.int(0, i);
      [out[i], out[j]] = [out[j], out[i]];
    }
    return out;
  }

  bytes(count: number): Uint8Array {
    const out = new Uint8Array(count);
    for (let i = 0; i < count; i++) out[i] = this.nextUint32() & 0xff;
    return out;
  }

  /**
   * A random string drawn from an alphabet of awkward characters (ASCII, controls, unicode,
   * quotes). No path separators, so a junk string used as a path stays relative (in the sandbox).
   */
  junkString(maxLength: number): string {
    const alphabets = [
      "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ",
      "0123456789.-+eE",
      " \t,;|\"'`=:#",
      "€£¥₿μ中文ß😀🚀é\u0301\u200b\u00a0\ufeff",
      "\u0000\u0001\u001b\r\n\u007f",
    ];
    const length = this.int(0, maxLength);
    let out = "";
    for (let i = 0; i < length; i++) {
      const alphabet = this.pick(alphabets);
      out += Array.from(alphabet)[this.int(0, Array.from(alphabet).length - 1)];
    }
    return out;
  }
}
