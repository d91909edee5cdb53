import { BlockStreams, seededXoshiro128, Xoshiro128 } from './random';

const draws = (random: Xoshiro128, count: number): number[] => Array.from({ length: count }, () => random.nextUint32());

describe('xoshiro128**', () => {
  // Expected values from the authors' reference C code (https://prng.di.unimi.it/xoshiro128starstar.c, next() and
  // jump() copied verbatim), compiled with gcc and run from the state {1, 2, 3, 4}.
  it('reproduces the reference implementation', () => {
    const random = new Xoshiro128(1, 2, 3, 4);
    expect(draws(random, 4)).toEqual([11520, 0, 5927040, 70819200]);
  });

  it('jumps 2^64 draws ahead as the reference jump() does', () => {
    const random = new Xoshiro128(1, 2, 3, 4);
    draws(random, 4);
    random.jump();
    expect(draws(random, 4)).toEqual([3046317961, 3130903476, 2327035934, 1140626159]);
    random.jump();
    random.jump();
    expect(draws(random, 2)).toEqual([2927807808, 2911779428]);
  });

  it('gives uniforms strictly inside (0, 1) with the mean and variance of U(0, 1)', () => {
    const random = seededXoshiro128(7);
    let sum = 0;
    let squares = 0;
    let min = 1;
    let max = 0;
    const n = 200_000;
    for (let i = 0; i < n; i++) {
      const u = random.nextUniform();
      sum += u;
      squares += u * u;
      min = Math.min(min, u);
      max = Math.max(max, u);
    }
    expect(min).toBeGreaterThan(0);
    expect(max).toBeLessThan(1);
    // Standard errors: mean sqrt(1/12/n) = 6.5e-4, variance ≈ sqrt(1/180/n) = 1.7e-4; tolerances are ~5 of them.
    expect(Math.abs(sum / n - 0.5)).toBeLessThan(3e-3);
    expect(Math.abs(squares / n - (sum / n) ** 2 - 1 / 12)).toBeLessThan(1e-3);
  });

  it('seeds differently for neighbouring seeds, and the same for the same seed', () => {
    expect(draws(seededXoshiro128(1), 3)).toEqual(draws(seededXoshiro128(1), 3));
    expect(draws(seededXoshiro128(1), 3)).not.toEqual(draws(seededXoshiro128(2), 3));
    expect(draws(seededXoshiro128(-1), 3)).not.toEqual(draws(seededXoshiro128(2 ** 32 - 1), 3));
  });
});

describe('BlockStreams', () => {
  it('gives block b the seed generator jumped b times, whatever order the blocks are asked for', () => {
    const inOrder = new BlockStreams(99);
    const expected = [0, 1, 2, 3, 4].map((b) => draws(inOrder.forBlock(b).tasks, 3));
    const shuffled = new BlockStreams(99);
    for (const b of [3, 0, 4, 1, 2]) expect(draws(shuffled.forBlock(b).tasks, 3)).toEqual(expected[b]);
    const manual = seededXoshiro128(99);
    manual.jump();
    manual.jump();
    expect(draws(manual, 3)).toEqual(expected[2]);
  });

  it('keeps the risk events on a stream of their own', () => {
    const streams = new BlockStreams(5).forBlock(0);
    expect(draws(streams.events, 3)).not.toEqual(draws(streams.tasks, 3));
  });
});
