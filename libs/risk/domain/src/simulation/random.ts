/*
 * xoshiro128** 1.1 (David Blackman and Sebastiano Vigna, https://prng.di.unimi.it/xoshiro128starstar.c, public
 * domain): 128 bits of state, period 2^128 - 1, passes BigCrush; 32-bit operations only, so it is fast in
 * JavaScript (Math.imul). Seeded with splitmix64 as its authors recommend, and split for parallel work with
 * their jump function: each block of iterations draws from its own subsequence, 2^64 draws apart from the next,
 * so blocks never overlap and a block's numbers do not depend on which thread runs it.
 */

const JUMP = [0x8764000b, 0xf542d2d3, 0x6fa035c3, 0x77f2db5b];
const LONG_JUMP = [0xb523952e, 0x0b6f099f, 0xccf5a0ef, 0x1c580662];
const TWO_POW_32 = 4294967296;

export class Xoshiro128 {
  private s0: number;
  private s1: number;
  private s2: number;
  private s3: number;

  constructor(s0: number, s1: number, s2: number, s3: number) {
    if ((s0 | s1 | s2 | s3) === 0) throw new RangeError('xoshiro128** state must not be all zero');
    this.s0 = s0 | 0;
    this.s1 = s1 | 0;
    this.s2 = s2 | 0;
    this.s3 = s3 | 0;
  }

  /** The next 32 bits, as an unsigned integer. */
  nextUint32(): number {
    const s1 = this.s1;
    const m = Math.imul(s1, 5);
    const result = Math.imul((m << 7) | (m >>> 25), 9);
    const t = s1 << 9;
    this.s2 ^= this.s0;
    this.s3 ^= s1;
    this.s1 ^= this.s2;
    this.s0 ^= this.s3;
    this.s2 ^= t;
    this.s3 = (this.s3 << 11) | (this.s3 >>> 21);
    return result >>> 0;
  }

  /** Uniform in the open interval (0, 1): 32 random bits plus half a step, so inverse CDFs never see 0 or 1. */
  nextUniform(): number {
    return (this.nextUint32() + 0.5) / TWO_POW_32;
  }

  /**
   * Fills out[0..count) with nextUniform() values, the state kept in locals: the hot loop's way to draw, since a
   * number returned by a call that V8 does not inline is boxed (one allocation per draw).
   */
  fillUniforms(out: Float64Array, count: number): void {
    let s0 = this.s0;
    let s1 = this.s1;
    let s2 = this.s2;
    let s3 = this.s3;
    for (let i = 0; i < count; i++) {
      const m = Math.imul(s1, 5);
      const result = Math.imul((m << 7) | (m >>> 25), 9);
      const t = s1 << 9;
      s2 ^= s0;
      s3 ^= s1;
      s1 ^= s2;
      s0 ^= s3;
      s2 ^= t;
      s3 = (s3 << 11) | (s3 >>> 21);
      out[i] = ((result >>> 0) + 0.5) / TWO_POW_32;
    }
    this.s0 = s0;
    this.s1 = s1;
    this.s2 = s2;
    this.s3 = s3;
  }

  /** Equivalent to 2^64 calls to nextUint32. */
  jump(): void {
    this.polynomialJump(JUMP);
  }

  /** Equivalent to 2^96 calls to nextUint32. */
  longJump(): void {
    this.polynomialJump(LONG_JUMP);
  }

  state(): [number, number, number, number] {
    return [this.s0, this.s1, this.s2, this.s3];
  }

  clone(): Xoshiro128 {
    return new Xoshiro128(this.s0, this.s1, this.s2, this.s3);
  }

  private polynomialJump(words: readonly number[]): void {
    let a = 0;
    let b = 0;
    let c = 0;
    let d = 0;
    for (const word of words) {
      for (let bit = 0; bit < 32; bit++) {
        if ((word >>> bit) & 1) {
          a ^= this.s0;
          b ^= this.s1;
          c ^= this.s2;
          d ^= this.s3;
        }
        this.nextUint32();
      }
    }
    this.s0 = a;
    this.s1 = b;
    this.s2 = c;
    this.s3 = d;
  }
}

/** splitmix64 (Vigna, https://prng.di.unimi.it/splitmix64.c) over the seed taken as a 64-bit integer: two outputs fill the state. */
export function seededXoshiro128(seed: number): Xoshiro128 {
  let x = BigInt.asUintN(64, BigInt(seed));
  const next = (): bigint => {
    x = BigInt.asUintN(64, x + 0x9e3779b97f4a7c15n);
    let z = x;
    z = BigInt.asUintN(64, (z ^ (z >> 30n)) * 0xbf58476d1ce4e5b9n);
    z = BigInt.asUintN(64, (z ^ (z >> 27n)) * 0x94d049bb133111ebn);
    return z ^ (z >> 31n);
  };
  const hi = next();
  const lo = next();
  const word = (v: bigint, shift: bigint): number => Number((v >> shift) & 0xffffffffn);
  return new Xoshiro128(word(lo, 0n), word(lo, 32n), word(hi, 0n), word(hi, 32n));
}

/**
 * The generators of block b: `tasks` is the seed's generator jumped b times (subsequence b); `events` is the same
 * after one long jump (2^96 draws further), so risk events have their own numbers and adding, removing or
 * mitigating an event leaves every task's draws as they were (a paired comparison of scenarios).
 * Blocks are usually asked for in increasing order, so the last one is kept and jumped forward from.
 */
export class BlockStreams {
  private readonly origin: Xoshiro128;
  private cursorBlock = 0;
  private cursor: Xoshiro128;

  constructor(seed: number) {
    this.origin = seededXoshiro128(seed);
    this.cursor = this.origin.clone();
  }

  forBlock(block: number): { tasks: Xoshiro128; events: Xoshiro128 } {
    if (block < this.cursorBlock) {
      this.cursor = this.origin.clone();
      this.cursorBlock = 0;
    }
    while (this.cursorBlock < block) {
      this.cursor.jump();
      this.cursorBlock++;
    }
    const tasks = this.cursor.clone();
    const events = this.cursor.clone();
    events.longJump();
    return { tasks, events };
  }
}
