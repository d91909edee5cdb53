import { useId } from 'react';

/** `datetime-local` in the browser's zone ↔ an ISO instant for `?asOf=`. */
export function toLocalInput(iso: string): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return '';
  const local = new Date(d.getTime() - d.getTimezoneOffset() * 60_000);
  return local.toISOString().slice(0, 19);
}

export function fromLocalInput(value: string): string | null {
  if (!value) return null;
  const d = new Date(value);
  return Number.isNaN(d.getTime()) ? null : d.toISOString();
}

/** The view as it stood at an instant (the reporting service's asOf); empty means now. */
export function AsOfPicker({ asOf, onChange }: { asOf: string | null; onChange: (iso: string | null) => void }) {
  const id = useId();
  return (
    <div className="as-of">
      <label htmlFor={id}>As of</label>
      <input id={id} type="datetime-local" step={1} value={asOf ? toLocalInput(asOf) : ''} onChange={(e) => onChange(fromLocalInput(e.target.value))} />
      {asOf && (
        <button type="button" onClick={() => onChange(null)}>
          Back to now
        </button>
      )}
    </div>
  );
}
