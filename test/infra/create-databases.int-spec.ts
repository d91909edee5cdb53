import { randomUUID } from 'node:crypto';
import { Client } from 'pg';
import { evalInfra } from './infra-module';

const serverUrl = process.env.PG_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const suffix = randomUUID().slice(0, 8);
const names = ['a', 'b', 'c'].map((n) => `pm_infra_test_${suffix}_${n}`);

async function withClient<T>(fn: (c: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: serverUrl });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

describe('createDatabases against the real PostgreSQL', () => {
  afterAll(() => withClient(async (c) => {
    for (const name of names) await c.query(`DROP DATABASE IF EXISTS ${c.escapeIdentifier(name)}`);
  }));

  it('creates each database exactly once when four callers race, and is a no-op afterwards', async () => {
    const args = `${JSON.stringify(serverUrl)}, ${JSON.stringify(names)}`;
    // Four connections at once, as when several processes start together.
    const [racing, again] = evalInfra<[string[][], string[]]>(`(async () => [
      await Promise.all([1, 2, 3, 4].map(() => infra.createDatabases(${args}))),
      await infra.createDatabases(${args}),
    ])()`);
    expect(racing.flat().sort()).toEqual(names);
    expect(again).toEqual([]);
    const existing = await withClient((c) => c.query<{ datname: string }>('SELECT datname FROM pg_database WHERE datname = ANY($1)', [names]));
    expect(existing.rows.map((r) => r.datname).sort()).toEqual(names);
  });

  it('refuses names that are not plain lower-case identifiers', () => {
    expect(() => evalInfra(`infra.createDatabases(${JSON.stringify(serverUrl)}, ['pm"; DROP DATABASE x; --'])`)).toThrow(/unusual name/);
  });
});
