import type { PoolClient } from 'pg';
import { prepared } from '@pm/platform/event-store';
import type { ProjectionEvent } from '@pm/platform/projections';
import type { FactPatch, FactTable } from './portfolio-facts.writer';

/** One event's facts for a table, as recordFact takes them. */
export interface FactInput {
  readonly event: ProjectionEvent;
  readonly key: string;
  readonly patch: FactPatch;
}

type Row = Record<string, unknown>;

/** A table's statements and fact columns, built once per table. */
interface Plan {
  readonly columns: readonly string[];
  readonly current: string;
  readonly applied: string;
  readonly close: string;
  readonly insert: string;
}

const plans = new WeakMap<FactTable, Plan>();

/**
 * New rows go as one JSON array of arrays (values in `columns` order, no keys: a row's keys were most of its text),
 * read back with `->>` and a cast per column. A JSON null is SQL NULL for every type, as jsonb_to_recordset had it.
 */
function planOf(table: FactTable): Plan {
  const known = plans.get(table);
  if (known) return known;
  const columns = Object.keys(table.columns);
  const head: Array<[string, string]> = [
    ['tenant_id', 'text'],
    [table.key, 'uuid'],
    ['event_id', 'text'],
    ['stream_version', 'integer'],
    ['recorded_at', 'timestamptz'],
    ['valid_from', 'timestamptz'],
    ['valid_to', 'timestamptz'],
  ];
  const all = [...head, ...columns.map((c): [string, string] => [c, table.columns[c]])];
  const read = all.map(([, type], i) => (type === 'jsonb' ? `NULLIF(r -> ${i}, 'null'::jsonb)` : `(r ->> ${i})::${type}`));
  const plan: Plan = {
    columns,
    // A probe per key (LATERAL … LIMIT 1: not pulled up, so not turned round): the IN (unnest) form's plan read every
    // current row of the table whenever its statistics were missing or old.
    current: `SELECT to_jsonb(t) AS row FROM unnest($1::text[], $2::uuid[]) AS k(tenant_id, key)
      CROSS JOIN LATERAL (SELECT * FROM ${table.name} t WHERE t.tenant_id = k.tenant_id AND t.${table.key} = k.key AND t.valid_to = 'infinity' LIMIT 1 FOR UPDATE) t`,
    applied: `SELECT tenant_id, event_id FROM ${table.name} WHERE (tenant_id, event_id) IN (SELECT * FROM unnest($1::text[], $2::text[]))`,
    close: `UPDATE ${table.name} t SET valid_to = u.valid_to FROM unnest($1::text[], $2::text[], $3::timestamptz[]) AS u(tenant_id, event_id, valid_to)
        WHERE t.tenant_id = u.tenant_id AND t.event_id = u.event_id`,
    insert: `INSERT INTO ${table.name} (${all.map(([c]) => c).join(', ')})
       SELECT ${read.join(', ')} FROM jsonb_array_elements($1::jsonb) AS r`,
  };
  plans.set(table, plan);
  return plan;
}

/** The current row of a key as the chain in memory has it: the fact columns' values in the plan's order. */
interface Head {
  readonly eventId: string;
  readonly streamVersion: number;
  readonly validFromMs: number;
  readonly values: readonly unknown[];
  /** A row of the table (closed by UPDATE), not one this call inserts. */
  readonly stored: boolean;
  /** The new row's JSON array, when this call inserts it (its valid_to is set if a later event closes it). */
  readonly inserted?: unknown[];
}

/**
 * recordFact for a run of events of one table in three statements instead of three per event (a rebuild applies
 * thousands per transaction, ADR 0504): the current rows of every key and the already-applied event ids are read
 * once (current rows locked), the rows are chained in memory in event order with exactly recordFact's rules
 * (idempotent by event id, stale stream versions skipped, validity clamped so it never runs backwards, columns the
 * event does not carry copied from the row it supersedes), then superseded rows are closed and new ones inserted.
 */
export async function recordFacts(tx: PoolClient, table: FactTable, inputs: readonly FactInput[]): Promise<void> {
  if (inputs.length === 0) return;
  const plan = planOf(table);
  const tenants = inputs.map((i) => i.event.tenantId);
  // The reads by keys and the close go unnamed, planned on every call for the table as it is: a named statement's plan
  // is kept per connection, and one kept while the table was small read the whole table on every call until the next
  // ANALYZE (ADR 0023 amendment). The insert's plan does not depend on the table's size.
  const id = (tenant: unknown, k: unknown) => `${String(tenant)}\u0000${String(k)}`;
  // Keys are uuids: compared as PostgreSQL does (the rows come back in lower case), whatever case an event carried.
  const keyOf = (i: FactInput) => i.key.toLowerCase();
  // Each key once, sorted: the probes lock rows in the order given, so overlapping batches lock in one order.
  const keys = [...new Map(inputs.map((i) => [id(i.event.tenantId, keyOf(i)), [i.event.tenantId, keyOf(i)] as const])).entries()]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([, k]) => k);
  const current = await tx.query<{ row: Row }>(plan.current, [keys.map((k) => k[0]), keys.map((k) => k[1])]);
  const applied = await tx.query<{ tenant_id: string; event_id: string }>(plan.applied, [tenants, inputs.map((i) => i.event.eventId)]);
  const seen = new Set(applied.rows.map((r) => id(r.tenant_id, r.event_id)));
  const heads = new Map<string, Head>();
  for (const { row } of current.rows) {
    heads.set(id(row.tenant_id, row[table.key]), {
      eventId: String(row.event_id),
      streamVersion: Number(row.stream_version),
      validFromMs: Date.parse(String(row.valid_from)),
      values: plan.columns.map((c) => row[c] ?? null),
      stored: true,
    });
  }
  const closed: Array<{ tenantId: string; eventId: string; validTo: string }> = [];
  const inserted: unknown[][] = [];
  for (const input of inputs) {
    const { event, key, patch } = input;
    const eventKey = id(event.tenantId, event.eventId);
    if (seen.has(eventKey)) continue;
    const headKey = id(event.tenantId, keyOf(input));
    const head = heads.get(headKey);
    if (head && event.streamVersion < head.streamVersion) continue;
    const recordedMs = Date.parse(event.recordedAt);
    const validFromMs = head && head.validFromMs > recordedMs ? head.validFromMs : recordedMs;
    const recordedAt = new Date(recordedMs).toISOString();
    const validFrom = validFromMs === recordedMs ? recordedAt : new Date(validFromMs).toISOString();
    if (head?.inserted) head.inserted[6] = validFrom;
    else if (head?.stored) closed.push({ tenantId: event.tenantId, eventId: head.eventId, validTo: validFrom });
    const values = plan.columns.map((column, i) => (Object.hasOwn(patch, column) ? patch[column] : (head?.values[i] ?? null)));
    const row: unknown[] = [event.tenantId, key, event.eventId, event.streamVersion, recordedAt, validFrom, 'infinity', ...values];
    heads.set(headKey, { eventId: event.eventId, streamVersion: event.streamVersion, validFromMs, values, stored: false, inserted: row });
    seen.add(eventKey);
    inserted.push(row);
  }
  if (closed.length) {
    await tx.query(plan.close, [closed.map((r) => r.tenantId), closed.map((r) => r.eventId), closed.map((r) => r.validTo)]);
  }
  if (inserted.length) await tx.query(prepared(plan.insert, [JSON.stringify(inserted)]));
}
