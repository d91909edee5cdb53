/*
 * Loaded with `-r` into a service process a bench starts (bench/rig/service-process.ts) when BENCH_PG_STATEMENTS_FILE
 * is set: counts every statement the service sends to PostgreSQL, by its text (whitespace folded, first 120
 * characters), with the time the driver took to answer it, and rewrites the file (JSON) every 500 ms and at exit.
 * Statements per event do not depend on how busy the machine is, so they compare runs that latencies cannot.
 * Without the variable this file does nothing.
 */
import fs from 'node:fs';
import { Client } from 'pg';

const file = process.env.BENCH_PG_STATEMENTS_FILE;
if (file) {
  const counts = new Map<string, { n: number; ms: number }>();
  const proto = Client.prototype as unknown as { query: (...args: unknown[]) => unknown };
  const original = proto.query;
  proto.query = function (this: Client, ...args: unknown[]) {
    const config = args[0] as string | { text?: string } | undefined;
    const text = typeof config === 'string' ? config : (config?.text ?? '?');
    const key = text.replace(/\s+/g, ' ').trim().slice(0, 120);
    const started = performance.now();
    const result = original.apply(this, args);
    const done = () => {
      const c = counts.get(key) ?? { n: 0, ms: 0 };
      c.n += 1;
      c.ms += performance.now() - started;
      counts.set(key, c);
    };
    if (result instanceof Promise) result.then(done, done);
    else done();
    return result;
  };
  const write = () => fs.writeFileSync(file, JSON.stringify(Object.fromEntries(counts)));
  setInterval(write, 500).unref();
  process.on('exit', write);
}
