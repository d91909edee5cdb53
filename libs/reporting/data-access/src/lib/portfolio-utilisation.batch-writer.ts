import type { PoolClient } from 'pg';
import type { AppliedFact } from './portfolio-facts.batch-writer';

/** What a utilisation event says of its resource's weeks. */
export interface UtilisationWeeks {
  readonly resourceId: string;
  readonly weeks: ReadonlyArray<{ readonly weekStart: string; readonly capacityMinutes: number; readonly demandMinutes: number }>;
  readonly droppedWeeks: readonly string[];
}

type WeekRow = Record<string, unknown>;

/**
 * The week rows of a run of utilisation events, as `recordUtilisation` writes them event by event, in two statements
 * (ADR 0507). `applied` are the events whose profile rows `recordFacts` wrote, in order, with the instant each is valid
 * from (the same guard and clamp as one event at a time). Each event closes the current rows of the weeks it moves or
 * drops at that instant and opens rows for the weeks it moves: a current row this run opened is closed in memory, a
 * current row of the table by one UPDATE at the first event that closes it; then every new row is inserted.
 */
export async function recordUtilisationWeeks(tx: PoolClient, applied: readonly AppliedFact[], weeksOf: (fact: AppliedFact) => UtilisationWeeks): Promise<void> {
  const opened = new Map<string, WeekRow>();
  const closeInTable = new Map<string, { tenant: string; resource: string; week: string; validTo: string }>();
  const rows: WeekRow[] = [];
  for (const fact of applied) {
    const { event } = fact.input;
    const d = weeksOf(fact);
    const keyOf = (week: string) => `${event.tenantId}\u0000${d.resourceId}\u0000${week}`;
    for (const week of [...d.weeks.map((w) => w.weekStart), ...d.droppedWeeks]) {
      const k = keyOf(week);
      const mine = opened.get(k);
      if (mine) {
        mine.valid_to = fact.validFrom;
        opened.delete(k);
      } else if (!closeInTable.has(k)) {
        closeInTable.set(k, { tenant: event.tenantId, resource: d.resourceId, week, validTo: fact.validFrom });
      }
    }
    const recordedAt = new Date(event.recordedAt).toISOString();
    for (const w of d.weeks) {
      const row: WeekRow = {
        tenant_id: event.tenantId,
        resource_id: d.resourceId,
        event_id: event.eventId,
        stream_version: event.streamVersion,
        recorded_at: recordedAt,
        valid_from: fact.validFrom,
        valid_to: 'infinity',
        week_start: w.weekStart,
        capacity_minutes: w.capacityMinutes,
        demand_minutes: w.demandMinutes,
      };
      rows.push(row);
      opened.set(keyOf(w.weekStart), row);
    }
  }
  const closes = [...closeInTable.values()];
  if (closes.length) {
    await tx.query(
      `UPDATE portfolio_utilisation_facts t SET valid_to = u.valid_to
         FROM unnest($1::text[], $2::uuid[], $3::date[], $4::timestamptz[]) AS u(tenant_id, resource_id, week_start, valid_to)
        WHERE t.tenant_id = u.tenant_id AND t.resource_id = u.resource_id AND t.week_start = u.week_start AND t.valid_to = 'infinity'`,
      [closes.map((c) => c.tenant), closes.map((c) => c.resource), closes.map((c) => c.week), closes.map((c) => c.validTo)],
    );
  }
  if (rows.length) {
    await tx.query(
      `INSERT INTO portfolio_utilisation_facts (tenant_id, resource_id, event_id, stream_version, recorded_at, valid_from, valid_to, week_start, capacity_minutes, demand_minutes)
       SELECT tenant_id, resource_id, event_id, stream_version, recorded_at, valid_from, valid_to, week_start, capacity_minutes, demand_minutes
         FROM jsonb_to_recordset($1::jsonb) AS r(tenant_id text, resource_id uuid, event_id text, stream_version integer, recorded_at timestamptz,
              valid_from timestamptz, valid_to timestamptz, week_start date, capacity_minutes integer, demand_minutes integer)`,
      [JSON.stringify(rows)],
    );
  }
}
