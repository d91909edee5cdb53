import type { MatrixCell } from './risk.types';

const LEVELS = [1, 2, 3, 4, 5];

/** Score bands of the default 5×5 matrix (probability × impact), for the cell colours only; the count is the fact. */
const band = (score: number) => (score >= 15 ? 'critical' : score >= 10 ? 'high' : score >= 5 ? 'medium' : 'low');

/**
 * Probability (rows, 5 at the top) by impact (columns): the number of open risks in each cell. Each cell is a button
 * that filters the register to it; pressing the selected cell again clears the filter.
 */
export function RiskMatrix({ cells, selected, onSelect }: { cells: readonly MatrixCell[]; selected: { p: number; i: number } | null; onSelect: (cell: { p: number; i: number } | null) => void }) {
  const count = (p: number, i: number) => cells.find((c) => c.probability === p && c.impact === i)?.count ?? 0;
  return (
    <table className="risk-matrix">
      <caption>Risks by probability and impact</caption>
      <thead>
        <tr>
          <td />
          {LEVELS.map((i) => (
            <th key={i} scope="col">
              Impact {i}
            </th>
          ))}
        </tr>
      </thead>
      <tbody>
        {[...LEVELS].reverse().map((p) => (
          <tr key={p}>
            <th scope="row">Probability {p}</th>
            {LEVELS.map((i) => {
              const n = count(p, i);
              const on = selected?.p === p && selected.i === i;
              return (
                <td key={i} className={`band-${band(p * i)}`}>
                  <button type="button" aria-pressed={on} aria-label={`Probability ${p}, impact ${i}: ${n} risk${n === 1 ? '' : 's'}`} onClick={() => onSelect(on ? null : { p, i })}>
                    {n}
                  </button>
                </td>
              );
            })}
          </tr>
        ))}
      </tbody>
    </table>
  );
}
