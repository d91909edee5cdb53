/**
 * The fault suite's knobs (env), shared constants and small helpers.
 *
 * Env: FAULTS_COMMANDS (logical commands, default 1500; 300 with FAULTS_SHORT=1), FAULTS_SHORT=1 (kill one service and
 * the broker once), FAULTS_RATE (commands started per second, default 20), FAULTS_RECOVERY_LIMIT_S (after a broker or
 * database fault, default 30), FAULTS_START_LIMIT_S (after a service kill, default 60), FAULTS_CONCURRENCY (in flight,
 * default 12), FAULTS_DOWN_MS (how long a killed process stays down, default 3000), FAULTS_PG_PORT and
 * FAULTS_KAFKA_PORT (controller: +1, its proxy: +2) (default: free ports), FAULTS_REBUILD=0 skips the rebuild
 * comparison, FAULTS_NETWORK=0 leaves the network faults out of the full form, FAULTS_SCALE=0 runs one instance of each
 * service and leaves the scale-out fault out (ADR 0018), FAULTS_SESSION_TIMEOUT_MS (the services' consumer group
 * session timeout, KAFKA_SESSION_TIMEOUT_MS; default 10000), FAULTS_KEEP=1 keeps the temp directory.
 */
import net from 'node:net';

export const SHORT = process.env.FAULTS_SHORT === '1';
export const int = (name: string, fallback: number): number => {
  const v = Number(process.env[name] ?? fallback);
  if (!Number.isInteger(v) || v <= 0) throw new Error(`${name} must be a positive integer`);
  return v;
};
export const COMMANDS = int('FAULTS_COMMANDS', SHORT ? 300 : 1500);
export const RATE = int('FAULTS_RATE', 20);
export const CONCURRENCY = int('FAULTS_CONCURRENCY', 12);
export const DOWN_MS = int('FAULTS_DOWN_MS', 3000);
export const REBUILD_CHECK = process.env.FAULTS_REBUILD !== '0';
/** The full form's network faults through the proxies (FAULTS_NETWORK=0 leaves them out). */
export const NETWORK = process.env.FAULTS_NETWORK !== '0';
export const portFromEnv = (name: string): number | null => (process.env[name] ? int(name, 1) : null);
export const REQUEST_TIMEOUT_MS = 15_000;
export const SETTLE_TIMEOUT_MS = 120_000;
/** How long a command whose outcome was never heard is retried with its key (an idempotency lease is 60 s). */
export const RETRY_WINDOW_MS = 150_000;
/** Issue 15: every service ready within 30 s of its dependencies (broker, database) returning. */
export const RECOVERY_LIMIT_MS = int('FAULTS_RECOVERY_LIMIT_S', 30) * 1000;
/** A killed service's own cold start (swc compile, Nest boot, migrations, consumer join) on a shared 2-core machine. */
export const START_LIMIT_MS = int('FAULTS_START_LIMIT_S', 60) * 1000;

export type Ctx = 'planning' | 'resource' | 'risk' | 'notification';
export type Service = Ctx | 'reporting';
export const WRITE_CONTEXTS: readonly Ctx[] = ['planning', 'resource', 'risk', 'notification'];
export const SERVICE_OF: Record<Service, string> = { planning: 'planning-service', resource: 'resource-service', risk: 'risk-service', notification: 'notification-service', reporting: 'reporting-service' };
/**
 * Scale-out (issue 15 point 3, ADR 0018): reporting (a consumer service) runs as three instances and planning (a
 * relay-owning service, also a consumer) as two, each set in one consumer group on one database; FAULTS_SCALE=0 runs
 * one of each.
 */
export const SCALE = process.env.FAULTS_SCALE !== '0';
export const REPLICAS: Record<Service, number> = { planning: SCALE ? 2 : 1, resource: 1, risk: 1, notification: 1, reporting: SCALE ? 3 : 1 };
/** An instance's name: the app's for the first, `<app>#<n>` for the others (also its PostgreSQL application_name). */
export const instanceName = (app: string, n: number): string => (n === 1 ? app : `${app}#${n}`);
/** The services' consumer group session timeout (KAFKA_SESSION_TIMEOUT_MS): how long a killed member keeps its partitions. */
export const SESSION_TIMEOUT_MS = int('FAULTS_SESSION_TIMEOUT_MS', 10_000);
export const DB_OF: Record<Service, string> = { planning: 'pm_planning', resource: 'pm_resource', risk: 'pm_risk', notification: 'pm_notification', reporting: 'pm_reporting' };

/** Ports this run has handed out: the kernel may offer a port again once its probe closed, before its owner binds it. */
const handedOut = new Set<number>();

/**
 * A port nothing listens on now (the kernel's pick) and that this run has not handed out before, kept for the whole
 * run: services restart on the same one. (A stop CI saw PostgreSQL's port offered again for the broker's controller,
 * which then failed to bind.)
 */
export async function freePort(): Promise<number> {
  for (;;) {
    const port = await new Promise<number>((resolve, reject) => {
      const server = net.createServer();
      server.once('error', reject);
      server.listen(0, '127.0.0.1', () => {
        const { port: picked } = server.address() as net.AddressInfo;
        server.close(() => resolve(picked));
      });
    });
    if (handedOut.has(port)) continue;
    handedOut.add(port);
    return port;
  }
}

export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
const t0 = Date.now();
export const log = (m: string): void => void process.stderr.write(`[faults ${((Date.now() - t0) / 1000).toFixed(1).padStart(6)}s] ${m}\n`);

/** One line of the result table; every `bad` must be 0. */
export interface Row {
  check: string;
  count: number | string;
  bad: number;
  detail: string;
}

export function formatTable(rows: readonly Row[]): string[] {
  const w = [Math.max(...rows.map((r) => r.check.length)), 10, 5];
  const line = (a: string, b: string, c: string, d: string) => `${a.padEnd(w[0])}  ${b.padStart(w[1])}  ${c.padStart(w[2])}  ${d}`;
  return [line('check', 'count', 'bad', 'detail'), line('-'.repeat(w[0]), '-'.repeat(w[1]), '-'.repeat(w[2]), '------'), ...rows.map((r) => line(r.check, String(r.count), String(r.bad), r.detail))];
}

/** Counts of a key, printed as `a×3 b×1`. */
export function tally(values: Iterable<string>): Map<string, number> {
  const m = new Map<string, number>();
  for (const v of values) m.set(v, (m.get(v) ?? 0) + 1);
  return m;
}
export const showTally = (m: Map<string, number>, sep = ' '): string => [...m].map(([s, n]) => `${s}×${n}`).join(sep);
