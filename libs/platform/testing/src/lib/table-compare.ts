import type { Pool } from 'pg';

type Queryable = Pick<Pool, 'query'>;

export const quoteIdent = (name: string): string => `"${name.replace(/"/g, '""')}"`;

/**
 * The columns of a read-model table that say what, not when: all but those the database fills at apply time (a
 * default of now() or of a sequence, an identity, `updated_at`, the inbox's `handled_at`). Two models built from the
 * same events at different times agree on these.
 */
export async function comparedColumns(c: Queryable, schema: string, table: string): Promise<string[]> {
  const r = await c.query<{ name: string }>(
    `SELECT column_name AS name FROM information_schema.columns
      WHERE table_schema = $1 AND table_name = $2 AND column_name NOT IN ('updated_at', 'handled_at') AND is_identity = 'NO'
        AND coalesce(column_default, '') !~* '(now\\(\\)|current_timestamp|clock_timestamp|nextval\\()'
      ORDER BY ordinal_position`,
    [schema, table],
  );
  return r.rows.map((x) => x.name);
}

/** The base tables of a schema, by name. */
export async function baseTables(c: Queryable, schema = 'public'): Promise<string[]> {
  const r = await c.query<{ t: string }>(`SELECT table_name AS t FROM information_schema.tables WHERE table_schema = $1 AND table_type = 'BASE TABLE' ORDER BY 1`, [schema]);
  return r.rows.map((x) => x.t);
}

/** Every row of a table as text over its compared columns, sorted: equal arrays mean equal tables (as multisets). */
export async function tableRows(c: Queryable, table: string, schema = 'public'): Promise<string[]> {
  const cols = await comparedColumns(c, schema, table);
  const r = await c.query<{ row: string }>(`SELECT ROW(${cols.map((n) => `${quoteIdent(n)}::text`).join(', ')})::text AS row FROM ${quoteIdent(schema)}.${quoteIdent(table)}`);
  return r.rows.map((x) => x.row).sort();
}
