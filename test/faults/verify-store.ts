/**
 * Proofs over what was stored and published: each idempotency key yields one stored effect, every acknowledged command
 * is in its store, every stored event is on its topic (republished copies counted), no consumer applied an event twice,
 * and reporting has every acknowledged project once.
 */
import { Kafka, logLevel } from 'kafkajs';
import { Client } from 'pg';
import { readTopicToEnd } from '@pm/platform/messaging';
import type { FaultKafka, FaultPostgres } from './infra';
import { KINDS } from './load';
import type { Command } from './load';
import { DB_OF, SETTLE_TIMEOUT_MS, WRITE_CONTEXTS, log, sleep, tally } from './config';
import type { Row } from './config';

const { EVENT_TOPICS } = require('../../scripts/lib/infra.mjs') as { EVENT_TOPICS: Record<string, string> };

export async function withDb<T>(pg: FaultPostgres, db: string, fn: (c: Client) => Promise<T>): Promise<T> {
  const c = new Client({ connectionString: pg.serverUrl(db) });
  await c.connect();
  try {
    return await fn(c);
  } finally {
    await c.end();
  }
}

interface StoredRow {
  corr: string;
  event_id: string;
  event_type: string;
  stream_id: string;
  project_id: string | null;
}

/** How many times a key's effect (its command's one named event, KINDS) is in the store: 1 once stored, never 2. */
export const effectsOf = (c: Command, events: readonly StoredRow[]): number => events.filter((e) => e.event_type === KINDS[c.kind].effect).length;

export interface StoreProof {
  rows: Row[];
  /** Event ids of every store, for the publication proof. */
  storeIds: string[];
  /** The projects whose create was acknowledged, by the id the store has (a recovered answer names none). */
  ackedProjects: string[];
}

export async function proveStored(pg: FaultPostgres, tenant: string, commands: readonly Command[]): Promise<StoreProof> {
  const acked = commands.filter((c) => c.outcome === 'ok' || c.outcome === 'ok-on-retry');
  const byKey = new Map<string, StoredRow[]>();
  const storeIds: string[] = [];
  const committedKeys = new Set<string>();
  for (const ctx of WRITE_CONTEXTS) {
    await withDb(pg, DB_OF[ctx], async (c) => {
      const found = await c.query<StoredRow>(
        `SELECT metadata->>'correlationId' AS corr, event_id::text, event_type, stream_id, data->>'projectId' AS project_id FROM es_events WHERE metadata->>'correlationId' = ANY($1::text[])`,
        [commands.filter((x) => x.ctx === ctx).map((x) => x.correlationId)],
      );
      for (const r of found.rows) byKey.set(r.corr, [...(byKey.get(r.corr) ?? []), r]);
      storeIds.push(...(await c.query<{ id: string }>('SELECT event_id::text AS id FROM es_events')).rows.map((r) => r.id));
      const keys = await c.query<{ key: string }>('SELECT key FROM idempotency_keys WHERE tenant_id = $1 AND committed_at IS NOT NULL', [tenant]);
      for (const r of keys.rows) committedKeys.add(r.key);
    });
  }
    const doubled = commands.filter((c) => effectsOf(c, byKey.get(c.correlationId) ?? []) > 1);
  const lostEffect = acked.filter((c) => effectsOf(c, byKey.get(c.correlationId) ?? []) === 0);
  const unmarked = commands.filter((c) => byKey.has(c.correlationId) && !committedKeys.has(c.idempotencyKey));
  const attempts = commands.flatMap((c) => c.attempts);
  const retried = commands.filter((c) => c.attempts.length > 1);
  const perKind = (cs: readonly Command[]) => [...tally(cs.map((c) => c.kind))].map(([k, n]) => `${k} ${n}`).join(', ');
  const ackedProjects = acked.filter((c) => c.kind === 'project').flatMap((c) => (byKey.get(c.correlationId) ?? []).filter((e) => e.event_type === 'ProjectCreated').map((e) => e.project_id ?? ''));
  const rows: Row[] = [
    { check: 'commands answered 2xx', count: acked.length, bad: 0, detail: `${acked.filter((c) => c.outcome === 'ok-on-retry').length} after a retry with the same key; ${commands.length - acked.length} not acknowledged; ${perKind(acked)}` },
    {
      check: 'keys retried (outcome unheard)',
      count: retried.length,
      bad: 0,
      detail: `${attempts.filter((a) => a.replayed).length} replayed answers, ${attempts.filter((a) => a.recovered).length} recovered (committed, answer lost), ${attempts.filter((a) => a.code === 'IDEMPOTENCY_KEY_IN_FLIGHT').length}×409 in flight`,
    },
    { check: 'acknowledged, effect stored: missing', count: acked.length, bad: lostEffect.length, detail: lostEffect.slice(0, 5).map((c) => `${c.kind} ${c.idempotencyKey}`).join(', ') },
    { check: 'keys with more than one stored effect', count: byKey.size, bad: doubled.length, detail: doubled.slice(0, 5).map((c) => `${c.kind} ${c.idempotencyKey}`).join(', ') },
    { check: 'stored keys without their commit mark', count: committedKeys.size, bad: unmarked.length, detail: unmarked.slice(0, 5).map((c) => `${c.kind} ${c.idempotencyKey}`).join(', ') },
  ];
  return { rows, storeIds, ackedProjects };
}

async function readTopics(kafka: FaultKafka): Promise<Map<string, number>> {
  const client = new Kafka({ clientId: 'faults-reader', brokers: [kafka.brokers], logLevel: logLevel.NOTHING });
  const copies = new Map<string, number>();
  for (const topic of Object.values(EVENT_TOPICS)) {
    await readTopicToEnd(client, topic, (_, message) => {
      const id = (JSON.parse(message.value?.toString() ?? '{}') as { id?: string }).id;
      if (id) copies.set(id, (copies.get(id) ?? 0) + 1);
    });
  }
  return copies;
}

/** Published at least once: every stored event in its topic, read from offset 0 (waits for the relays). */
export async function provePublished(kafka: FaultKafka, storeIds: readonly string[]): Promise<Row[]> {
  let copies = new Map<string, number>();
  let unpublished: string[] = [];
  for (const deadline = Date.now() + SETTLE_TIMEOUT_MS; ; ) {
    copies = await readTopics(kafka);
    unpublished = storeIds.filter((id) => !copies.has(id));
    if (!unpublished.length || Date.now() > deadline) break;
    log(`  ${unpublished.length} stored events not on Kafka yet; waiting for the relays`);
    await sleep(3000);
  }
  const republished = [...copies.values()].filter((n) => n > 1);
  return [
    { check: 'stored events published (topics read from 0)', count: storeIds.length, bad: unpublished.length, detail: unpublished.slice(0, 5).join(', ') },
    { check: 'republished copies on Kafka (allowed)', count: republished.reduce((s, n) => s + n - 1, 0), bad: 0, detail: `${republished.length} events published more than once` },
  ];
}

/** Applied exactly once: inbox rows per (consumer, event id), and reporting's project read model. */
export async function proveApplied(pg: FaultPostgres, tenant: string, projects: readonly string[]): Promise<Row[]> {
  let inboxDup = 0;
  let inboxRows = 0;
  const detail: string[] = [];
  for (const db of Object.values(DB_OF)) {
    await withDb(pg, db, async (c) => {
      if (!(await c.query(`SELECT 1 FROM information_schema.tables WHERE table_name = 'inbox'`)).rowCount) return;
      inboxRows += Number((await c.query<{ n: string }>('SELECT count(*)::text AS n FROM inbox')).rows[0].n);
      const d = await c.query<{ consumer: string; event_id: string; n: string }>('SELECT consumer, event_id::text, count(*)::text AS n FROM inbox GROUP BY 1, 2 HAVING count(*) > 1');
      inboxDup += d.rowCount ?? 0;
      for (const r of d.rows.slice(0, 3)) detail.push(`${db} ${r.consumer} ${r.event_id}×${r.n}`);
    });
  }
  let missing: string[] = [];
  let doubled = 0;
  for (const deadline = Date.now() + SETTLE_TIMEOUT_MS; ; ) {
    const r = await withDb(pg, DB_OF.reporting, (c) => c.query<{ project_id: string; n: string }>('SELECT project_id::text, count(*)::text AS n FROM project_summaries WHERE tenant_id = $1 GROUP BY 1', [tenant]));
    const seen = new Map(r.rows.map((x) => [x.project_id, Number(x.n)]));
    missing = projects.filter((p) => !seen.has(p));
    doubled = [...seen.values()].filter((n) => n > 1).length;
    if (!missing.length || Date.now() > deadline) break;
    await sleep(2000);
  }
  return [
    { check: 'inbox rows applied twice (consumer, event id)', count: inboxRows, bad: inboxDup, detail: detail.join(', ') },
    { check: 'reporting project_summaries: missing', count: projects.length, bad: missing.length, detail: missing.slice(0, 5).join(', ') },
    { check: 'reporting project_summaries: doubled', count: projects.length, bad: doubled, detail: '' },
  ];
}
