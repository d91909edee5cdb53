import { evolveSchedule, initialScheduleState } from '@pm/planning/domain';
import { importEvents } from './plan-events';
import { Client } from 'pg';
import * as v8 from 'node:v8';
const t = () => performance.now();
async function main() {
  const n = Number(process.argv[2] ?? 100000);
  let state = initialScheduleState();
  for (const e of importEvents(n)) state = evolveSchedule(state, e);
  let a = t(); const buf = v8.serialize(state); console.log('v8 ser raw', (t()-a).toFixed(0), 'MB', (buf.length/1e6).toFixed(1));
  a = t(); const back = v8.deserialize(buf); console.log('v8 de raw', (t()-a).toFixed(0), back.tasks instanceof Map);
  const evil = Object.fromEntries([['__proto__', { polluted: 1 }], ['constructor', 2]]);
  const e2 = v8.deserialize(v8.serialize({ m: new Map([['__proto__', evil]]), evil }));
  console.log('proto own?', Object.getPrototypeOf(e2.evil) === Object.prototype, Object.hasOwn(e2.evil, '__proto__'), (e2.evil as any).polluted, ({} as any).polluted);
  const c = new Client({ connectionString: 'postgres://postgres@127.0.0.1:5432/postgres' }); await c.connect();
  await c.query('CREATE TEMP TABLE s (b bytea)');
  a = t(); await c.query('INSERT INTO s(b) VALUES ($1)', [buf]); console.log('insert bytea', (t()-a).toFixed(0));
  await c.query('ALTER TABLE s ALTER COLUMN b SET STORAGE EXTERNAL'); await c.query('UPDATE s SET b = b || \'\'::bytea');
  a = t(); await c.query('UPDATE s SET b = $1', [buf]); console.log('update bytea external', (t()-a).toFixed(0));
  a = t(); const r1 = await c.query('SELECT b FROM s'); console.log('select bytea text', (t()-a).toFixed(0), r1.rows[0].b.length);
  a = t(); const r2 = await c.query({ text: 'SELECT b FROM s', binary: true } as any); console.log('select bytea binary', (t()-a).toFixed(0), r2.rows[0].b.length);
  a = t(); v8.deserialize(r2.rows[0].b); console.log('de', (t()-a).toFixed(0));
  await c.end();
}
main();
