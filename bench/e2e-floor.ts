/*
 * The floor of `npm run bench:e2e` (bench/e2e.bench.ts): at the same rate and in the same open loop as the
 * commands, one INSERT committed on its own (raw pg), one acknowledged send (raw kafkajs producer, acks=all) of a
 * message the size of a pm.planning.ProjectCreated CloudEvent, and its fetch by a raw consumer (fetchedAt).
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import type { Producer } from 'kafkajs';
import type { Pool } from 'pg';
import type { LoopResult, openLoop as OpenLoop } from './rig/open-loop';
import { summarise } from './rig/stats';
import type { Summary } from './rig/stats';

type OpenLoopOptions = Parameters<typeof OpenLoop>[0];

export interface FloorResult {
  rate: number;
  loop: LoopResult;
  fetched: Summary;
  acked: Summary;
  okInWindow: number;
  errors: number;
  notFetched: number;
  generatorCpu: number;
}

export const FLOOR_TABLE = `CREATE TABLE floor_events (
  id uuid PRIMARY KEY, tenant_id text NOT NULL, type text NOT NULL, data jsonb NOT NULL, recorded_at timestamptz NOT NULL DEFAULT now())`;

/** A message about the size of a pm.planning.ProjectCreated CloudEvent. */
function floorPayload(id: string, tenant: string): { data: Record<string, unknown>; value: string } {
  const data = {
    projectId: id, name: 'Bench project', code: null, description: null, status: 'initiating', priority: 'medium',
    startDate: null, targetFinishDate: null, sponsor: null, managerId: null, currency: 'EUR', calendarId: null,
    createdAt: new Date().toISOString(),
  };
  const value = JSON.stringify({
    specversion: '1.0', id: randomUUID(), source: '/pm/planning', type: 'pm.planning.ProjectCreated', subject: `project:${tenant}:${id}`,
    time: new Date().toISOString(), datacontenttype: 'application/json', dataschema: 'urn:pm:planning:ProjectCreated:1', data,
    tenantid: tenant, streamversion: 1, correlationid: randomUUID(), causationid: randomUUID(), actor: 'user:bench-e2e',
    traceparent: `00-${randomBytes(16).toString('hex')}-${randomBytes(8).toString('hex')}-01`,
  });
  return { data, value };
}

export interface FloorRig {
  pool: Pool;
  producer: Producer;
  /** The run's id (tenants are named after it), its floor topic and how many sends may be in flight. */
  run: string;
  topic: string;
  maxOutstanding: number;
  /** The bench's open loop with its drain and request timeouts. */
  openLoop: (o: Omit<OpenLoopOptions, 'drainMs' | 'requestTimeoutMs'>) => Promise<LoopResult>;
  /** When the floor's raw consumer fetched each message, by key. */
  fetchedAt: Map<string, number>;
  aborted: () => boolean;
}

export async function floorLevel(rate: number, seconds: number, { pool, producer, fetchedAt, aborted, run, topic, maxOutstanding, openLoop }: FloorRig): Promise<FloorResult> {
  const tenant = `bench-e2e-${run}-floor-${rate}`;
  const ops: Array<{ id: string; due: number; acked?: number; failed?: boolean }> = [];
  let unsettled: typeof ops = [];
  let open = 0;
  const cpuBefore = process.cpuUsage();
  const started = performance.now();
  const loop = await openLoop({
    rate,
    seconds,
    maxOutstanding,
    aborted,
    settled: () => {
      // Only checked after the last due time: drop what is finished so that each check looks at the rest only.
      unsettled = unsettled.filter((o) => !o.failed && !(o.acked !== undefined && fetchedAt.has(o.id)));
      return unsettled.length === 0 && open === 0;
    },
    start: async (_i, due) => {
      const op: (typeof ops)[number] = { id: randomUUID(), due };
      ops.push(op);
      unsettled.push(op);
      open++;
      try {
        const { data, value } = floorPayload(op.id, tenant);
        await pool.query('INSERT INTO floor_events (id, tenant_id, type, data) VALUES ($1, $2, $3, $4)', [op.id, tenant, 'ProjectCreated', data]);
        await producer.send({ topic, acks: -1, messages: [{ key: op.id, value, headers: { ce_type: 'pm.planning.ProjectCreated', ce_tenantid: tenant } }] });
        op.acked = performance.now();
      } catch {
        op.failed = true;
      }
      open--;
    },
  });
  const usage = process.cpuUsage(cpuBefore);
  const elapsed = (performance.now() - started) / 1000;
  const done = ops.filter((o) => o.acked !== undefined);
  return {
    rate,
    loop,
    fetched: summarise(done.map((o) => (fetchedAt.has(o.id) ? fetchedAt.get(o.id)! - o.due : Infinity))),
    acked: summarise(done.map((o) => o.acked! - o.due)),
    okInWindow: done.filter((o) => o.acked! <= loop.windowEnd).length,
    errors: ops.filter((o) => o.failed).length + (loop.scheduled - loop.launched),
    notFetched: done.filter((o) => !fetchedAt.has(o.id)).length,
    generatorCpu: (usage.user + usage.system) / 1e6 / elapsed,
  };
}

