import { PERT, PERT_COLUMNS, PERT_ROWS, TRIANGULAR } from './distributions';

/**
 * Three-point quantities (task durations, risk impacts, risk costs) as parallel typed arrays, each read at a grade
 * u by its quantile function. Everything a draw needs is precomputed here, so sampling is a few loads and
 * multiplications.
 */
export class ThreePointSet {
  readonly kind: Uint8Array;
  readonly low: Float64Array;
  readonly range: Float64Array;
  /** Triangular: the mode's position (m - a)/(b - a). */
  readonly mode: Float64Array;
  /** PERT: the table row below the mode's position, and the weight of the row above. */
  readonly pertRow: Int32Array;
  readonly pertWeight: Float64Array;
  /** PERT: 1/α and 1/β, the exponents of the quantile's power-law tails (used in the first and last table column). */
  readonly lowTail: Float64Array;
  readonly highTail: Float64Array;

  constructor(readonly size: number) {
    this.kind = new Uint8Array(size);
    this.low = new Float64Array(size);
    this.range = new Float64Array(size);
    this.mode = new Float64Array(size);
    this.pertRow = new Int32Array(size);
    this.pertWeight = new Float64Array(size);
    this.lowTail = new Float64Array(size);
    this.highTail = new Float64Array(size);
  }

  set(slot: number, a: number, m: number, b: number, kind: number): void {
    this.kind[slot] = kind;
    this.low[slot] = a;
    this.range[slot] = b - a;
    const position = b > a ? (m - a) / (b - a) : 0.5;
    this.mode[slot] = position;
    const row = Math.min(Math.floor(position * PERT_ROWS), PERT_ROWS - 1);
    this.pertRow[slot] = row;
    this.pertWeight[slot] = position * PERT_ROWS - row;
    this.lowTail[slot] = 1 / (1 + 4 * position);
    this.highTail[slot] = 1 / (5 - 4 * position);
  }
}

const WIDTH = PERT_COLUMNS + 1;

/**
 * out[i] = the quantity of slot i at grade grades[i], for i in [0, count): the quantile functions of the whole
 * set in one loop, writing to a typed array (a number returned from a call V8 does not inline is boxed).
 * `table` is pertQuantileTable().
 */
export function quantilesInto(set: ThreePointSet, grades: Float64Array, out: Float64Array, count: number, table: Float64Array): void {
  const { kind, low, range, mode, pertRow, pertWeight, lowTail, highTail } = set;
  for (let i = 0; i < count; i++) {
    const width = range[i];
    if (width === 0) {
      out[i] = low[i];
      continue;
    }
    const u = grades[i];
    let q: number;
    if (kind[i] === TRIANGULAR) {
      const c = mode[i];
      q = u < c ? Math.sqrt(u * c) : 1 - Math.sqrt((1 - u) * (1 - c));
    } else {
      const x = u * PERT_COLUMNS;
      let k = x | 0;
      if (k >= PERT_COLUMNS) k = PERT_COLUMNS - 1;
      const o0 = pertRow[i] * WIDTH + k;
      const o1 = o0 + WIDTH;
      const w = pertWeight[i];
      if (k === 0) {
        // Near 0 the beta quantile is c·u^(1/α): a power law through the first knot, where a chord would be far off.
        q = (table[o0 + 1] + w * (table[o1 + 1] - table[o0 + 1])) * Math.pow(x, lowTail[i]);
      } else if (k === PERT_COLUMNS - 1) {
        q = 1 - (1 - (table[o0] + w * (table[o1] - table[o0]))) * Math.pow(PERT_COLUMNS - x, highTail[i]);
      } else {
        const wu = x - k;
        const q0 = table[o0] + wu * (table[o0 + 1] - table[o0]);
        const q1 = table[o1] + wu * (table[o1 + 1] - table[o1]);
        q = q0 + w * (q1 - q0);
      }
    }
    out[i] = low[i] + width * q;
  }
}

export { PERT, TRIANGULAR };
