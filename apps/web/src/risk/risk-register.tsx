import { subjectLabel } from './risk-subject';
import type { SubjectNames } from './risk-subject';
import type { AutomaticInfo, Figure, RiskItem } from './risk.types';

/** What an automatic risk is about, under its title (risks of one rule share the title); nothing for the others. */
export function RiskSubject({ risk, names }: { risk: RiskItem; names: SubjectNames }) {
  const label = risk.automatic?.subject ? subjectLabel(risk.automatic.subject, names) : null;
  return label === null ? null : <span className="risk-subject">{label}</span>;
}

/**
 * The register as a table (a card per risk on narrow screens); the title selects a risk for its comments, and an
 * automatic risk says what it is about beneath it.
 */
export function RiskRegister({ items, selected, onSelect, names }: { items: readonly RiskItem[]; selected: string | null; onSelect: (riskId: string) => void; names: SubjectNames }) {
  if (items.length === 0) return <p>No risk matches these filters.</p>;
  return (
    <table className="register">
      <caption className="visually-hidden">Risks</caption>
      <thead>
        <tr>
          <th scope="col">Risk</th>
          <th scope="col">Status</th>
          <th scope="col">Rating</th>
          <th scope="col">Cell</th>
          <th scope="col">Owner</th>
          <th scope="col">Category</th>
          <th scope="col">Origin</th>
        </tr>
      </thead>
      <tbody>
        {items.map((r) => (
          <tr key={r.riskId}>
            <th scope="row">
              <button type="button" className="link-button" aria-pressed={selected === r.riskId} onClick={() => onSelect(r.riskId)}>
                {r.title}
              </button>
              <RiskSubject risk={r} names={names} />
            </th>
            <td data-label="Status">{r.status}</td>
            <td data-label="Rating">{r.rating ? <span className={`rating rating-${r.rating}`}>{r.rating}</span> : 'not assessed'}</td>
            <td data-label="Cell">{r.cell ? `P${r.cell.probability} × I${r.cell.impact}` : '–'}</td>
            <td data-label="Owner">{r.ownerId ?? '–'}</td>
            <td data-label="Category">{r.categoryId}</td>
            <td data-label="Origin">{r.origin}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

const figure = (f: Figure) => `${f.name} ${f.value === null ? 'not measured' : Number.isInteger(f.value) ? f.value : f.value.toFixed(3)}`;

/** What made a rule raise the risk: its measurements against the tenant's thresholds, as of when, from which events. */
export function Evidence({ automatic }: { automatic: AutomaticInfo }) {
  const e = automatic.evidence;
  return (
    <dl className="evidence">
      <dt>Rule</dt>
      <dd>
        {automatic.ruleId}
        {automatic.closureProposed ? ' (the rule proposes closing it: the measurement is back within the threshold)' : ''}
      </dd>
      <dt>Measured</dt>
      <dd>{e?.measurements?.length ? e.measurements.map(figure).join(', ') : '–'}</dd>
      <dt>Thresholds</dt>
      <dd>{e?.thresholds?.length ? e.thresholds.map(figure).join(', ') : '–'}</dd>
      <dt>As of</dt>
      <dd>{e?.asOf ?? '–'}</dd>
      <dt>From events</dt>
      <dd>{e?.events?.length ? e.events.map((x) => x.type.replace(/^pm\./, '')).join(', ') : '–'}</dd>
    </dl>
  );
}
