import fc from 'fast-check';
import type { Pool } from 'pg';
import { createPgPool, runMigrations } from '@pm/platform/event-store';
import type { ProjectionEvent } from '@pm/platform/projections';
import { createTestDatabase } from '@pm/platform/testing';
import type { TestDatabase } from '@pm/platform/testing';
import { PortfolioHeatMapsProjection } from './portfolio-heat-maps.projection';
import { PortfolioHeatMapQueries } from './portfolio-heat-maps.queries';
import { PortfolioHeatMapsSchema1765100000000 } from './portfolio-heat-maps.schema';
import { HeatMapEventsOf, newId } from './portfolio-heat-maps.test-events';
import { PortfolioProjection } from './portfolio.projection';
import { PortfolioSchema1764800000000 } from './portfolio.schema';
import { PortfolioEventsOf } from './portfolio.test-events';

const T0 = Date.parse('2026-03-01T09:00:00.000Z');
const RESOURCES = [newId(), newId(), newId()];
const RISKS = [newId(), newId(), newId(), newId()];
const MONDAYS = ['2026-03-02', '2026-03-09', '2026-03-16', '2026-03-23', '2026-03-30', '2026-04-06'];
const ROLES = ['Developer', 'Tester', null];
const STATUSES = ['assessed', 'responding', 'closed', 'occurred'];
const KINDS = ['utilisation', 'identify', 'assess', 'status', 'owner'] as const;
interface Step {
  readonly kind: (typeof KINDS)[number];
  readonly who: number;
  readonly gap: number;
  readonly n: number;
  readonly weeks: readonly number[];
}
const stepArb = fc.record({
  kind: fc.constantFrom(...KINDS),
  who: fc.nat({ max: 3 }),
  gap: fc.integer({ min: 0, max: 180 }),
  n: fc.nat({ max: 24 }),
  weeks: fc.uniqueArray(fc.nat({ max: MONDAYS.length - 1 }), { maxLength: MONDAYS.length }),
});

/** A history on clocks that never run backwards: weekly figures of three resources, a register of four risks. */
function historyOf(steps: readonly Step[]): { events: ProjectionEvent[]; streams: Map<string, ProjectionEvent[]> } {
  const a = new HeatMapEventsOf('tenant-a');
  const project = new PortfolioEventsOf('tenant-a');
  const p = project.projectId;
  let clock = T0;
  const at = (gap: number) => new Date((clock += gap * 60_000)).toISOString();
  const events = [project.created(at(0), 'ERP migration')];
  /** What each resource's stream last published, so dropped weeks are weeks it had. */
  const published = RESOURCES.map(() => new Set<string>());
  for (const s of steps) {
    const when = at(s.gap);
    const risk = RISKS[s.who % RISKS.length];
    if (s.kind === 'utilisation') {
      const r = s.who % RESOURCES.length;
      const weeks = s.weeks.map((i) => [MONDAYS[i], 2400 - 480 * (s.n % 3), 300 * ((s.n + i) % 11)] as const);
      const dropped = [...published[r]].filter((w) => s.n % 4 === 0 && !weeks.some(([m]) => m === w));
      for (const w of dropped) published[r].delete(w);
      for (const [m] of weeks) published[r].add(m);
      const role = ROLES[(s.n + r) % ROLES.length];
      events.push(a.utilisation(when, RESOURCES[r], { name: `Resource ${r}`, kind: r === 2 ? 'generic' : 'person', role, department: s.n % 2 ? 'IT' : null }, weeks, dropped));
    } else if (s.kind === 'identify') events.push(a.riskIdentified(when, risk, p, `Risk ${s.who} v${s.n}`));
    else if (s.kind === 'assess') {
      const cell = [1 + (s.n % 5), 1 + ((s.n * 3) % 5)] as const;
      events.push(a.riskAssessed(when, risk, p, { schedule: cell }, s.n % 2 ? { cost: [1 + ((s.n + 1) % 5), cell[1]] } : null, (['low', 'medium', 'high', 'critical'] as const)[s.n % 4]));
    } else if (s.kind === 'status') events.push(a.riskStatus(when, risk, p, 'identified', STATUSES[s.n % STATUSES.length]));
    else events.push(a.riskOwner(when, risk, p, `user:owner-${s.n}`));
  }
  const streams = new Map<string, ProjectionEvent[]>();
  for (const e of events) streams.set(e.streamId, [...(streams.get(e.streamId) ?? []), e]);
  return { events, streams };
}

/** Delivery as Kafka may do it: streams interleaved at random (order kept within each), some events delivered twice. */
function deliveryOf(streams: Map<string, ProjectionEvent[]>, picks: readonly number[]): ProjectionEvent[] {
  const queues = [...streams.values()].map((q) => [...q]);
  const out: ProjectionEvent[] = [];
  let i = 0;
  while (queues.some((q) => q.length)) {
    const open = queues.filter((q) => q.length);
    const pick = picks[i++ % picks.length];
    const e = open[pick % open.length].shift() as ProjectionEvent;
    out.push(e);
    if (pick % 5 === 0) out.push(e);
  }
  return out;
}

describe('Heat maps time travel (real PostgreSQL)', () => {
  let live: TestDatabase;
  let fresh: TestDatabase;
  let livePool: Pool;
  let freshPool: Pool;
  const projections = [new PortfolioProjection(), new PortfolioHeatMapsProjection()];
  const migrations = [PortfolioSchema1764800000000, PortfolioHeatMapsSchema1765100000000];

  async function apply(pool: Pool, events: readonly ProjectionEvent[]): Promise<void> {
    const tx = await pool.connect();
    try {
      await tx.query('BEGIN');
      for (const pr of projections) await pr.reset(tx);
      for (const e of events) for (const pr of projections) if (pr.handles.includes(e.type)) await pr.apply(e, tx);
      await tx.query('COMMIT');
    } catch (err) {
      await tx.query('ROLLBACK');
      throw err;
    } finally {
      tx.release();
    }
  }

  /** Every view the heat maps answer, as of the instant (null: now). */
  async function views(pool: Pool, asOf: Date | null) {
    const q = new PortfolioHeatMapQueries(pool);
    const range = { from: '2026-03-01', to: '2026-04-30' };
    return Promise.all([
      q.utilisation('tenant-a', asOf, { by: 'resource', interval: 'week', ...range }),
      q.utilisation('tenant-a', asOf, { by: 'role', interval: 'month', ...range }),
      q.utilisation('tenant-a', asOf, { by: 'department', interval: 'week', ...range }),
      q.riskCells('tenant-a', asOf, null).then((r) => ({ ...r, cells: [...r.cells].sort((x, y) => x.probability - y.probability || x.impact - y.impact) })),
      q.risks('tenant-a', asOf, { limit: 500, offset: 0 }),
      q.position('tenant-a', asOf, 'utilisation').then((pos) => pos?.recordedAt ?? null),
      q.position('tenant-a', asOf, 'risk').then((pos) => pos?.recordedAt ?? null),
    ]);
  }

  beforeAll(async () => {
    [live, fresh] = await Promise.all([createTestDatabase('heat_maps_live'), createTestDatabase('heat_maps_fresh')]);
    await Promise.all([runMigrations(live.url, migrations), runMigrations(fresh.url, migrations)]);
    livePool = createPgPool(live.url);
    freshPool = createPgPool(fresh.url);
  });
  afterAll(async () => {
    await Promise.all([livePool.end(), freshPool.end()]);
    await Promise.all([live.drop(), fresh.drop()]);
  });

  it('answers as of any instant exactly what a fresh rebuild from the events recorded at or before it holds now', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(stepArb, { minLength: 1, maxLength: 40 }),
        fc.array(fc.nat(), { minLength: 1, maxLength: 20 }),
        fc.array(fc.double({ min: -0.05, max: 1.05, noNaN: true }), { minLength: 1, maxLength: 5 }),
        async (steps, picks, fractions) => {
          const { events, streams } = historyOf(steps);
          await apply(livePool, deliveryOf(streams, picks));
          const times = events.map((e) => Date.parse(e.occurredAt));
          const first = Math.min(...times);
          const span = Math.max(...times) - first;
          const pickedTime = times[picks[0] % times.length];
          const instants = [...fractions.map((f) => Math.round(first + f * span)), pickedTime, pickedTime - 1];
          for (const instant of instants) {
            const recorded = new Set(events.filter((e) => Date.parse(e.occurredAt) <= instant));
            await apply(freshPool, deliveryOf(new Map([...streams].map(([id, q]) => [id, q.filter((e) => recorded.has(e))])), picks));
            expect(await views(livePool, new Date(instant))).toEqual(await views(freshPool, null));
          }
        },
      ),
      { seed: 502, numRuns: 15 },
    );
  });
});
