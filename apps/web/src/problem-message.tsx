import { explain } from './problems';

/** A failure in words, with what to do, announced to screen readers. */
export function ProblemMessage({ error, onRetry }: { error: unknown; onRetry?: () => void }) {
  const { what, todo, fields, reference } = explain(error);
  return (
    <div className="problem" role="alert">
      <p className="problem-what">{what}</p>
      {fields && fields.length > 0 && (
        <ul className="problem-fields">
          {fields.map((f) => (
            <li key={f}>{f}</li>
          ))}
        </ul>
      )}
      <p className="problem-todo">{todo}</p>
      {reference && <p className="problem-ref">{reference}</p>}
      {onRetry && (
        <button type="button" onClick={onRetry}>
          Try again
        </button>
      )}
    </div>
  );
}
