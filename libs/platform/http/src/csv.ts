// OWASP CSV injection: a spreadsheet runs a cell that starts with one of these as a formula (=HYPERLINK(...), +cmd|...).
const FORMULA_LEAD = /^[=+\-@\t\r]/;

/**
 * RFC 4180 CSV: fields with a comma, quote or line break are quoted, quotes doubled. Text cells (names, departments,
 * ids: what a client typed) that start like a formula are neutralised the OWASP way, a leading `'` inside quotes, so
 * a PMO opening the export in a spreadsheet sees the text and runs nothing. Numbers are written as numbers: a negative
 * remaining capacity stays -8, not text.
 */
export function toCsv(header: readonly string[], rows: ReadonlyArray<ReadonlyArray<string | number | null>>): string {
  const field = (value: string | number | null) => {
    if (value === null) return '';
    if (typeof value === 'number') return String(value);
    const formula = FORMULA_LEAD.test(value);
    const text = formula ? `'${value}` : value;
    return formula || /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
  };
  return [header, ...rows].map((row) => row.map(field).join(',')).join('\r\n') + '\r\n';
}
