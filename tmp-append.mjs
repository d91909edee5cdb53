import pg from 'pg';
import { randomUUID } from 'node:crypto';
const c = new pg.Client('postgres://postgres@127.0.0.1:5432/postgres'); await c.connect();
await c.query('DROP TABLE IF EXISTS tmp_ev; CREATE TABLE tmp_ev (id bigserial primary key, event_id uuid, event_type text, schema_version int, data jsonb, metadata jsonb, occurred_at timestamptz)');
const N = 1902;
const mk = () => Array.from({ length: N }, (_, i) => ({ id: randomUUID(), type: 'TaskScheduleChanged', v: 1,
  data: JSON.stringify({ projectId: 'p-123', taskId: `task-${i}`, start: '2026-03-04', finish: '2026-03-09', earlyStart: '2026-03-04', earlyFinish: '2026-03-09', lateStart: '2026-03-05', lateFinish: '2026-03-10', totalFloat: 1, freeFloat: 0, critical: false, name: `Task "${i}" with quotes \\ and ünïcode` }),
  metadata: JSON.stringify({ eventId: randomUUID(), tenantId: 'tenant-a', actor: 'user:pm-1', correlationId: randomUUID(), causationId: randomUUID(), traceparent: '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01', occurredAt: new Date().toISOString() }),
  at: new Date().toISOString() }));
const A = `INSERT INTO tmp_ev (event_id, event_type, schema_version, data, metadata, occurred_at) SELECT * FROM unnest($1::uuid[], $2::text[], $3::int4[], $4::jsonb[], $5::jsonb[], $6::timestamptz[])`;
const B = `INSERT INTO tmp_ev (event_id, event_type, schema_version, data, metadata, occurred_at) SELECT e.id, e.type, e.v, e.data, e.metadata, e.at FROM jsonb_to_recordset($1::jsonb) AS e(id uuid, type text, v int4, data jsonb, metadata jsonb, at timestamptz)`;
const C = `INSERT INTO tmp_ev (event_id, event_type, schema_version, data, metadata, occurred_at) SELECT * FROM unnest($1::uuid[], $2::text[], $3::int4[], $4::text[]::jsonb[], $5::text[]::jsonb[], $6::timestamptz[])`;
const D = `INSERT INTO tmp_ev (event_id, event_type, schema_version, data, metadata, occurred_at) SELECT e.id, e.type, e.v, e.data, e.metadata, e.at FROM json_to_recordset($1::json) AS e(id uuid, type text, v int4, data jsonb, metadata jsonb, at timestamptz)`;
const runs = { A: (ev) => [A, [ev.map(e => e.id), ev.map(e => e.type), ev.map(e => e.v), ev.map(e => e.data), ev.map(e => e.metadata), ev.map(e => e.at)]],
  B: (ev) => [B, ['[' + ev.map(e => `{"id":"${e.id}","type":"${e.type}","v":${e.v},"data":${e.data},"metadata":${e.metadata},"at":"${e.at}"}`).join(',') + ']']],
  D: (ev) => [D, ['[' + ev.map(e => `{"id":"${e.id}","type":"${e.type}","v":${e.v},"data":${e.data},"metadata":${e.metadata},"at":"${e.at}"}`).join(',') + ']']] };
for (let round = 0; round < 3; round++) for (const [k, f] of Object.entries(runs)) {
  const times = [];
  for (let i = 0; i < 8; i++) { const ev = mk(); const t0 = performance.now(); const [sql, vals] = f(ev); await c.query({ name: 'q' + k, text: sql, values: vals }); times.push(performance.now() - t0); }
  times.sort((a, b) => a - b); console.log(k, 'median ms', times[4].toFixed(1));
}
const chk = await c.query(`SELECT data->>'name' AS n, metadata->>'actor' AS a FROM tmp_ev ORDER BY id DESC LIMIT 1`); console.log(chk.rows);
await c.query('DROP TABLE tmp_ev'); await c.end();
