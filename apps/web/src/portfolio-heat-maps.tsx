import { useQuery } from '@tanstack/react-query';
import { api } from './api';
import './heat-maps.css';
import type { RiskHeatMap, UtilisationHeatMap } from './heat-maps.types';
import { ProblemMessage } from './problem-message';
import { Link, withQuery } from './router';

const LEVELS = [5, 4, 3, 2, 1] as const;
const withAsOf = (path: string, asOf: string | null) => (asOf ? `${path}${path.includes('?') ? '&' : '?'}asOf=${encodeURIComponent(asOf)}` : path);

/** Score bands of the 5x5 matrix (probability × impact): the register's own high/medium/low split (ADR 0301). */
export const scoreBand = (score: number) => (score >= 15 ? 'high' : score >= 5 ? 'medium' : 'low');
/** Utilisation bands: over 100 % is over-allocated; under 50 % idle capacity worth a look. */
export const utilisationBand = (percent: number | null) => (percent === null ? 'none' : percent > 100 ? 'over' : percent >= 80 ? 'busy' : percent >= 50 ? 'fair' : 'idle');

/**
 * The portfolio's two heat maps (ADR 0603): plain HTML tables, so every number is text a screen reader reads with its
 * row and column headers, and a non-empty risk cell is a link to the risks behind it. Both follow the as-of picker.
 */
export function PortfolioHeatMaps({ asOf }: { asOf: string | null }) {
  return (
    <div className="heat-maps">
      <RiskHeatMapTable asOf={asOf} />
      <UtilisationHeatMapTable asOf={asOf} />
    </div>
  );
}

function RiskHeatMapTable({ asOf }: { asOf: string | null }) {
  const map = useQuery({
    queryKey: ['risk-heat-map', asOf],
    queryFn: ({ signal }) => api<RiskHeatMap>(withAsOf('/api/reporting/portfolio/risk-heat-map', asOf), { signal }),
    refetchInterval: asOf ? false : 15_000,
  });
  const count = (p: number, i: number) => map.data?.cells.find((c) => c.probability === p && c.impact === i)?.count ?? 0;
  return (
    <section aria-labelledby="risk-heat-map-title" className="heat-map">
      <h2 id="risk-heat-map-title">Open risks by probability and impact</h2>
      {map.isPending && <p>Loading the risk heat map…</p>}
      {map.isError && <ProblemMessage error={map.error} onRetry={() => void map.refetch()} />}
      {map.data && (
        <>
          <table className="risk-matrix">
            <caption>
              {map.data.openRisks} open risks{map.data.unassessedOpenRisks > 0 ? `, ${map.data.unassessedOpenRisks} not yet assessed (not in the matrix)` : ''}
            </caption>
            <thead>
              <tr>
                <th scope="col">Probability \ Impact</th>
                {[1, 2, 3, 4, 5].map((i) => (
                  <th scope="col" key={i}>
                    {i}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {LEVELS.map((p) => (
                <tr key={p}>
                  <th scope="row">{p}</th>
                  {[1, 2, 3, 4, 5].map((i) => {
                    const n = count(p, i);
                    return (
                      <td key={i} className={`band-${scoreBand(p * i)}`} data-probability={p} data-impact={i}>
                        {n === 0 ? (
                          '0'
                        ) : (
                          <Link to={withQuery('/portfolio/risks', new URLSearchParams(), { probability: String(p), impact: String(i), asOf })} aria-label={`${n} risks at probability ${p}, impact ${i}`}>
                            {n}
                          </Link>
                        )}
                      </td>
                    );
                  })}
                </tr>
              ))}
            </tbody>
          </table>
        </>
      )}
    </section>
  );
}

/** Four weeks before the day looked at (the as-of instant, or today) to eight after: the quarter a PMO plans around. */
export function utilisationWindow(asOf: string | null, now = new Date()): { from: string; to: string } {
  const day = asOf ? new Date(asOf) : now;
  const shift = (days: number) => new Date(day.getTime() + days * 86_400_000).toISOString().slice(0, 10);
  return { from: shift(-28), to: shift(56) };
}

function UtilisationHeatMapTable({ asOf }: { asOf: string | null }) {
  const { from, to } = utilisationWindow(asOf);
  const map = useQuery({
    queryKey: ['utilisation-heat-map', asOf, from, to],
    queryFn: ({ signal }) => api<UtilisationHeatMap>(withAsOf(`/api/reporting/portfolio/utilisation-heat-map?by=role&interval=week&from=${from}&to=${to}`, asOf), { signal }),
    refetchInterval: asOf ? false : 15_000,
  });
  const periods = [...new Set(map.data?.rows.flatMap((r) => r.cells.map((c) => c.periodStart)) ?? [])].sort();
  return (
    <section aria-labelledby="utilisation-heat-map-title" className="heat-map">
      <h2 id="utilisation-heat-map-title">Utilisation by role, per week</h2>
      {map.isPending && <p>Loading the utilisation heat map…</p>}
      {map.isError && <ProblemMessage error={map.error} onRetry={() => void map.refetch()} />}
      {map.data && map.data.rows.length === 0 && <p>No resources with capacity or demand between {map.data.from} and {map.data.to}.</p>}
      {map.data && map.data.rows.length > 0 && (
        // Many weeks are wider than a phone: the table scrolls inside its own region, never the page.
        <div className="heat-scroll" role="region" aria-labelledby="utilisation-heat-map-title" tabIndex={0}>
          <table className="utilisation">
            <caption>
              Demand as a percentage of capacity, {map.data.from} to {map.data.to}; over 100 % is over-allocated
            </caption>
            <thead>
              <tr>
                <th scope="col">Role</th>
                {periods.map((p) => (
                  <th scope="col" key={p}>
                    {p.slice(5)}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {map.data.rows.map((row) => (
                <tr key={row.key ?? 'none'}>
                  <th scope="row">{row.name ?? row.role ?? row.key ?? 'No role'}</th>
                  {periods.map((p) => {
                    const cell = row.cells.find((c) => c.periodStart === p);
                    const percent = cell?.utilisationPercent ?? null;
                    return (
                      <td key={p} className={`band-${utilisationBand(percent)}`} title={cell ? `${cell.demandHours} h of ${cell.capacityHours} h, ${cell.resources} resources` : undefined}>
                        {percent === null ? '–' : `${percent} %`}
                      </td>
                    );
                  })}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
