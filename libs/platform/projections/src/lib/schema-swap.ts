import type { Pool, PoolClient } from 'pg';

/**
 * Tables the service's migrations create that the topics do not feed: the migration record, the relay's and the
 * store-fed runners' positions. They stay where they are at a swap (ADR 0504); every other relation the migrations
 * create in the next schema is part of the rebuilt read model and replaces its live namesake.
 */
export const TABLES_KEPT_AT_SWAP: readonly string[] = ['typeorm_migrations', 'relay_checkpoints', 'projection_checkpoints', 'projection_lanes'];

/** The inbox is shared by every consumer of the database: the rebuilt one replaces only the rebuilt consumer's rows. */
const INBOX = 'inbox';

const SCHEMA_NAME = /^[a-z_][a-z0-9_]{0,62}$/;

/** Schema names go into DDL, which takes no parameters: only plain lower-case identifiers are accepted. */
export function checkedSchemaName(name: string): string {
  if (!SCHEMA_NAME.test(name)) throw new Error(`Not a plain schema name: ${JSON.stringify(name)}`);
  return name;
}

const ident = (name: string) => `"${name.replace(/"/g, '""')}"`;

/** A connection URL whose sessions resolve unqualified names in `schema` (and create tables there). */
export function urlWithSearchPath(url: string, schema: string): string {
  const u = new URL(url);
  u.searchParams.set('options', `-c search_path=${checkedSchemaName(schema)}`);
  return u.toString();
}

/** The schema the live service's unqualified names resolve to (its first schema on the search path). */
export async function liveSchemaOf(pool: Pool): Promise<string> {
  const res = await pool.query<{ schema: string | null }>('SELECT current_schema() AS schema');
  const schema = res.rows[0].schema;
  if (!schema) throw new Error('The live connection has no current schema (search_path names no existing schema)');
  return checkedSchemaName(schema);
}

/** Drops what an earlier run left (killed half-way, or killed after its swap) and creates the next schema empty. */
export async function prepareNextSchema(pool: Pool, next: string, retired: string): Promise<void> {
  await pool.query(`DROP SCHEMA IF EXISTS ${ident(checkedSchemaName(next))} CASCADE`);
  await pool.query(`DROP SCHEMA IF EXISTS ${ident(checkedSchemaName(retired))} CASCADE`);
  await pool.query(`CREATE SCHEMA ${ident(next)}`);
}

export async function dropSchemas(pool: Pool, ...schemas: string[]): Promise<void> {
  for (const s of schemas) await pool.query(`DROP SCHEMA IF EXISTS ${ident(checkedSchemaName(s))} CASCADE`);
}

interface Relation {
  readonly name: string;
  readonly kind: 'TABLE' | 'VIEW' | 'MATERIALIZED VIEW' | 'SEQUENCE';
}

const KIND: Record<string, Relation['kind']> = { r: 'TABLE', p: 'TABLE', v: 'VIEW', m: 'MATERIALIZED VIEW', S: 'SEQUENCE' };

/**
 * The relations the migrations created in `schema`, whatever they are: tables, views, materialized views and
 * sequences no table owns (indexes, constraints and owned sequences move with their table).
 */
async function relationsIn(tx: PoolClient, schema: string, kept: readonly string[]): Promise<Relation[]> {
  const res = await tx.query<{ name: string; kind: string }>(
    `SELECT c.relname AS name, c.relkind::text AS kind
       FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE n.nspname = $1 AND c.relkind IN ('r', 'p', 'v', 'm', 'S') AND NOT (c.relname = ANY($2::text[]))
        AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.classid = 'pg_class'::regclass AND d.objid = c.oid AND d.deptype IN ('a', 'i'))
      ORDER BY c.relname`,
    [schema, kept],
  );
  return res.rows.map((r) => ({ name: r.name, kind: KIND[r.kind] }));
}

export interface SwapOptions {
  readonly live: string;
  readonly next: string;
  readonly retired: string;
  /** The rebuilt consumer: its inbox rows come from the rebuild, every other consumer's are carried over. */
  readonly inboxName: string;
  readonly kept?: readonly string[];
  /** How long the swap waits for a table lock (a long report holding one) before it gives up; default 10 s. */
  readonly lockTimeoutMs?: number;
}

/**
 * In ONE transaction: every rebuilt relation of the live schema moves to `retired`, its rebuilt namesake from
 * `next` into the live schema. Readers see the old model until COMMIT and the new one after it; statements and
 * prepared plans resolve names again when a relation they used moved. Returns the swapped relation names.
 */
export async function swapSchemas(tx: PoolClient, options: SwapOptions): Promise<string[]> {
  const live = checkedSchemaName(options.live);
  const next = checkedSchemaName(options.next);
  const retired = checkedSchemaName(options.retired);
  await tx.query('BEGIN');
  try {
    await tx.query(`SET LOCAL lock_timeout = ${Math.max(1, Math.floor(options.lockTimeoutMs ?? 10_000))}`);
    await tx.query(`CREATE SCHEMA ${ident(retired)}`);
    const relations = await relationsIn(tx, next, options.kept ?? TABLES_KEPT_AT_SWAP);
    const existing = await tx.query<{ name: string }>(
      `SELECT c.relname AS name FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = $1 AND c.relname = ANY($2::text[])`,
      [live, relations.map((r) => r.name)],
    );
    const old = new Set(existing.rows.map((r) => r.name));
    await lockAllOrNone(
      tx,
      relations.filter((r) => old.has(r.name) && (r.kind === 'TABLE' || r.kind === 'VIEW')).map((r) => `${ident(live)}.${ident(r.name)}`),
      options.lockTimeoutMs ?? 10_000,
    );
    for (const r of relations) {
      if (old.has(r.name)) await tx.query(`ALTER ${r.kind} ${ident(live)}.${ident(r.name)} SET SCHEMA ${ident(retired)}`);
      await tx.query(`ALTER ${r.kind} ${ident(next)}.${ident(r.name)} SET SCHEMA ${ident(live)}`);
    }
    if (relations.some((r) => r.name === INBOX)) {
      const carried = await tx.query<{ found: string | null }>('SELECT to_regclass($1)::text AS found', [`${ident(retired)}.${INBOX}`]);
      if (carried.rows[0].found) {
        await tx.query(
          `INSERT INTO ${ident(live)}.${INBOX} SELECT * FROM ${ident(retired)}.${INBOX} WHERE consumer <> $1 ON CONFLICT DO NOTHING`,
          [options.inboxName],
        );
      }
    }
    await tx.query('COMMIT');
    return relations.map((r) => r.name);
  } catch (err) {
    await tx.query('ROLLBACK').catch(() => undefined);
    throw err;
  }
}

/**
 * Every live relation the swap moves, locked at once or not at all. Taking them one by one while readers run joins
 * would deadlock with a reader holding one and waiting for the next (PostgreSQL then kills one side, perhaps a
 * reader's request); with NOWAIT the swap never waits while holding a lock, so it is never part of a cycle. It
 * retries between readers' statements until `timeoutMs`.
 */
async function lockAllOrNone(tx: PoolClient, relations: readonly string[], timeoutMs: number): Promise<void> {
  if (relations.length === 0) return;
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    await tx.query('SAVEPOINT swap_locks');
    try {
      await tx.query(`LOCK TABLE ${relations.join(', ')} IN ACCESS EXCLUSIVE MODE NOWAIT`);
      await tx.query('RELEASE SAVEPOINT swap_locks');
      return;
    } catch (err) {
      await tx.query('ROLLBACK TO SAVEPOINT swap_locks');
      if ((err as { code?: unknown }).code !== '55P03' || Date.now() >= deadline) throw err;
      await new Promise((resolve) => setTimeout(resolve, 5 + Math.floor(Math.random() * 20)));
    }
  }
}
