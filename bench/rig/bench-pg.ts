/** The bench's own PostgreSQL databases on the server at PG_URL (set by scripts/bench.mjs --postgres). */
import { Client } from 'pg';
import type { RunScope } from './run-scope';

export const SERVER_URL = process.env.PG_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

export const dbUrl = (name: string): string => {
  const url = new URL(SERVER_URL);
  url.pathname = `/${name}`;
  return url.toString();
};

export async function withClient<T>(url: string, fn: (c: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end().catch(() => undefined);
  }
}

/** Creates the database, its DROP registered first (so an interrupt during CREATE still drops it). */
export async function createDatabase(scope: RunScope, name: string): Promise<void> {
  if (!/^[a-z_][a-z0-9_]{0,62}$/.test(name)) throw new Error(`unusual database name ${name}`);
  scope.defer(`dropping database ${name}`, () => withClient(SERVER_URL, async (c) => void (await c.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`))));
  await withClient(SERVER_URL, (c) => c.query(`CREATE DATABASE "${name}"`));
}

export const serverVersion = (): Promise<string> =>
  withClient(SERVER_URL, async (c) => (await c.query<{ server_version: string }>('SHOW server_version')).rows[0].server_version);
