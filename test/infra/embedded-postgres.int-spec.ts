import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { randomUUID } from 'node:crypto';
import { Client } from 'pg';
import type { ChildProcessWithoutNullStreams } from 'node:child_process';
import { exitOf, firstJsonLine, spawnInfra } from './infra-module';

const SERVICE_DATABASES = ['pm_planning', 'pm_resource', 'pm_risk', 'pm_notification', 'pm_reporting'];

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

/** Processes whose command line mentions `needle` (the data directory identifies the cluster's processes). */
function processesMentioning(needle: string): number[] {
  return fs.readdirSync('/proc').filter((p) => /^\d+$/.test(p)).flatMap((pid) => {
    try {
      return fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes(needle) ? [Number(pid)] : [];
    } catch {
      return [];
    }
  });
}

async function query<T>(url: string, sql: string): Promise<T[]> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query(sql)).rows as T[];
  } finally {
    await client.end();
  }
}

interface PgResult { url: string; embedded: boolean; startedHere: boolean }
interface InfraResult { pgUrl: string; embeddedPg: boolean; kafkaBrokers: string | null; kafkaStartedHere: boolean }

// One embedded cluster (initdb + start) for the whole file: the slow part runs once.
describe('ensureInfra / ensurePostgres with no PostgreSQL at the URL (embedded fallback)', () => {
  // The parent must be traversable by the `postgres` OS user when the tests run as root: /tmp is.
  const dataDir = path.join(os.tmpdir(), `pm-infra-pg-${randomUUID()}`);
  let deadPort: number;
  let embeddedPort: number;
  let owner: ChildProcessWithoutNullStreams | undefined;
  let started: InfraResult;
  let serverUrl: string;
  const options = () => `url: 'postgres://postgres@127.0.0.1:${deadPort}/postgres', embeddedPort: ${embeddedPort},
    dataDir: ${JSON.stringify(dataDir)}, log: (m) => process.stderr.write(m + '\\n')`;

  beforeAll(async () => {
    deadPort = await freePort();
    embeddedPort = await freePort();
    // The owner keeps the server until told to stop on stdin, as scripts/start.mjs would until Ctrl-C.
    owner = spawnInfra(`
      const env = await infra.ensureInfra({ withKafka: false, pgUrl: 'postgres://postgres@127.0.0.1:${deadPort}/postgres',
        embeddedPort: ${embeddedPort}, dataDir: ${JSON.stringify(dataDir)}, log: (m) => process.stderr.write(m + '\\n') });
      const { stop, ...rest } = env;
      console.log(JSON.stringify(rest));
      process.stdin.once('data', async () => { await stop(); console.log('"stopped"'); process.exit(0); });`);
    started = await firstJsonLine<InfraResult>(owner);
    serverUrl = started.pgUrl;
  }, 120_000);

  afterAll(async () => {
    if (owner && owner.exitCode === null) {
      owner.kill('SIGTERM');
      await exitOf(owner);
    }
    fs.rmSync(dataDir, { recursive: true, force: true });
    fs.rmSync(`${dataDir}.lock`, { recursive: true, force: true });
  });

  it('starts an embedded server on embeddedPort, with a generated password, and reports a server URL', () => {
    expect(started).toEqual({ pgUrl: expect.any(String), embeddedPg: true, kafkaBrokers: null, kafkaStartedHere: false });
    const url = new URL(serverUrl);
    expect([url.hostname, Number(url.port), url.pathname]).toEqual(['127.0.0.1', embeddedPort, '']);
    expect(url.password.length).toBeGreaterThanOrEqual(16);
  });

  it('answers SELECT version() and refuses a wrong password', async () => {
    const [{ version }] = await query<{ version: string }>(serverUrl, 'SELECT version()');
    expect(version).toMatch(/^PostgreSQL \d+/);
    const wrong = new URL(serverUrl);
    wrong.password = 'not-the-password';
    await expect(query(wrong.toString(), 'SELECT 1')).rejects.toThrow(/password authentication failed/);
  });

  it('creates every service database', async () => {
    const rows = await query<{ datname: string }>(serverUrl, 'SELECT datname FROM pg_database');
    expect(rows.map((r) => r.datname)).toEqual(expect.arrayContaining(SERVICE_DATABASES));
  });

  it('reuses the running embedded server from a second process instead of starting another', async () => {
    const second = spawnInfra(`
      const pg = await infra.ensurePostgres({ ${options()} });
      console.log(JSON.stringify({ url: pg.url, embedded: pg.embedded, startedHere: pg.startedHere }));
      await pg.stop();`);
    const result = await firstJsonLine<PgResult>(second);
    expect(await exitOf(second)).toBe(0);
    expect(result).toEqual({ url: `${serverUrl}/postgres`, embedded: true, startedHere: false });
    // The second process's stop() must not have stopped the owner's server.
    await expect(query(serverUrl, 'SELECT 1')).resolves.toHaveLength(1);
  });

  it('stops on stop() and leaves no process behind', async () => {
    expect(processesMentioning(dataDir).length).toBeGreaterThan(0);
    const stoppedLine = firstJsonLine<string>(owner!);
    owner!.stdin.write('stop\n');
    expect(await stoppedLine).toBe('stopped');
    expect(await exitOf(owner!)).toBe(0);
    expect(processesMentioning(dataDir)).toEqual([]);
    expect(fs.existsSync(path.join(dataDir, 'postmaster.pid'))).toBe(false);
    await expect(query(serverUrl, 'SELECT 1')).rejects.toThrow(/ECONNREFUSED/);
  });
});

describe('ensurePostgres with a PostgreSQL that answers but refuses', () => {
  it('fails instead of starting an embedded server beside it', async () => {
    const pgUrl = new URL(process.env.PG_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres');
    pgUrl.pathname = `/pm_infra_missing_${randomUUID().slice(0, 8)}`;
    const child = spawnInfra(`
      try { await infra.ensurePostgres({ url: ${JSON.stringify(pgUrl.toString())}, embeddedPort: 1, log: () => {} }); console.log('"started"'); }
      catch (e) { console.log(JSON.stringify(e.message)); }`);
    const message = await firstJsonLine<string>(child);
    await exitOf(child);
    expect(message).toMatch(/answered but refused the connection: database "pm_infra_missing_\w+" does not exist/);
  });
});
