/** The faults: SIGKILL of services, the broker and PostgreSQL, one at a time and then two together, each restarted. */
import type { FaultKafka, FaultPostgres } from './infra';
import type { FaultProxy, LinkMode } from './proxy';
import type { LoadState } from './load';
import type { FaultService } from './services';
import { killAndWatchTakeover } from './scale-out';
import { DOWN_MS, NETWORK, SCALE, SHORT, log, sleep } from './config';
import type { Row } from './config';

/** The proxies in front of the broker and the database (test/faults/proxy.ts). */
export interface Links {
  readonly kafka: FaultProxy;
  readonly postgres: FaultProxy;
}

/** A network fault: `link:<kafka|postgres>:<slow|drop|cut>`, held for FAULTS_DOWN_MS, then the link passes again. */
const LINK_FAULT = /^link:(kafka|postgres):(slow|drop|cut)$/;
const SLOW_MS = { kafka: 400, postgres: 150 } as const;

function linkMode(server: 'kafka' | 'postgres', kind: string): LinkMode {
  return kind === 'slow' ? { kind: 'slow', delayMs: SLOW_MS[server] } : kind === 'drop' ? { kind: 'drop' } : { kind: 'cut' };
}

export interface Fault {
  name: string;
  targets: string[];
  killedAt: number;
  /** When the killed processes were restarted (servers already back). */
  restartedAt: number;
  /** From the restart of the killed processes until every service answered /health/ready. */
  recoveryMs: number;
  readyAt: number;
  /** How long the killed broker / database took to answer again (kafka.sh start, postgres crash recovery). */
  serverBootMs: number;
  slowest: string;
  /** Figures of the fault's own (the scale-out takeover times), added to the table. */
  rows?: Row[];
}

/**
 * Issue 15 point 3: one of three reporting instances and the planning relay leader (one of two), killed together. The
 * full form restarts them (their join rebalances the groups once more); the short form leaves them down, as scaled in
 * (a cold start costs it about 25 s), and runs it first, while the groups are still as they formed at the start.
 */
export const SCALE_OUT = 'scale-out';
const SCALE_OUT_FAULT: [string, string[]] = [`scale-out: kill 1 of 3 reporting-service + the planning relay leader (1 of 2)${SHORT ? ', not restarted' : ''}`, [SCALE_OUT]];

/** The faults in order; `services` are the apps (an app's first instance is killed alone, ADR 0014). */
export function faultPlan(services: readonly string[]): Array<[string, string[]]> {
  return SHORT
    ? [
        ...(SCALE ? [SCALE_OUT_FAULT] : []),
        ['kill planning-service', ['planning-service']],
        ['kill the broker', ['kafka']],
      ]
    : [
        ...services.map((s): [string, string[]] => [`kill ${s}`, [s]]),
        ['kill the broker', ['kafka']],
        ['kill PostgreSQL', ['postgres']],
        ['kill reporting-service + the broker', ['reporting-service', 'kafka']],
        ['kill planning-service + PostgreSQL', ['planning-service', 'postgres']],
        ...(SCALE ? [SCALE_OUT_FAULT] : []),
        ...(NETWORK
          ? ([
              [`slow broker link (${SLOW_MS.kafka} ms a chunk)`, ['link:kafka:slow']],
              ['cut the broker link (reset, refused)', ['link:kafka:cut']],
              ['drop the broker link (bytes lost, no reset)', ['link:kafka:drop']],
              [`slow database link (${SLOW_MS.postgres} ms a chunk)`, ['link:postgres:slow']],
              ['cut the database link (reset, refused)', ['link:postgres:cut']],
            ] as Array<[string, string[]]>)
          : []),
      ];
}

export async function injectFaults(pg: FaultPostgres, kafka: FaultKafka, links: Links, services: Map<string, FaultService>, state: LoadState): Promise<Fault[]> {
  const faults: Fault[] = [];
  /** Every service's /health/ready, polled together (instances scaled in left out): ms until each answered 200. */
  const allReady = async (): Promise<Map<string, number>> =>
    new Map(await Promise.all([...services.values()].filter((s) => !s.retired).map(async (s) => [s.name, await s.waitReady(180_000)] as const)));
  /** An app's first instance, or the next one still in service when that one was scaled in. */
  const live = (t: string): string => {
    const s = services.get(t);
    return s?.retired ? ([...services.values()].find((o) => o.app === s.app && !o.retired)?.name ?? t) : t;
  };
  const inject = async (name: string, plan: string[]): Promise<void> => {
    await sleep(4000);
    let targets = plan.map(live);
    let killedAt = Date.now();
    let rows: Promise<Row[]> | undefined;
    if (plan[0] === SCALE_OUT) {
      // Down until the survivors took over (the session timeout and more), not FAULTS_DOWN_MS: restarted at once after.
      ({ targets, rows, killedAt } = await killAndWatchTakeover(pg, kafka, services, state));
      if (SHORT) {
        for (const t of targets) {
          services.get(t)!.retired = true;
          state.down.delete(t);
        }
        targets = [];
      }
    } else log(`${LINK_FAULT.test(targets[0]) ? 'link fault' : 'SIGKILL'} ${targets.join(' + ')}`);
    if (targets.join() !== plan.join() && plan[0] !== SCALE_OUT) name = `${name} (${targets.join(' + ')})`;
    for (const t of plan[0] === SCALE_OUT ? [] : targets) {
      const link = LINK_FAULT.exec(t);
      if (link) {
        const server = link[1] as 'kafka' | 'postgres';
        // A link that refuses or loses everything is an outage for the load's checks; a slow one is not.
        if (link[2] !== 'slow') state[server === 'kafka' ? 'kafkaDown' : 'pgDown'] = true;
        links[server].set(linkMode(server, link[2]));
      } else if (t === 'postgres') {
        state.pgDown = true;
        await pg.kill();
      } else if (t === 'kafka') {
        state.kafkaDown = true;
        await kafka.kill();
      } else {
        state.down.add(t);
        await services.get(t)!.kill();
      }
    }
    if (plan[0] !== SCALE_OUT) await sleep(DOWN_MS);
    // Servers first (their own boot is not the services' recovery), then the killed services.
    const serversAt = Date.now();
    for (const proxy of [links.kafka, links.postgres]) proxy.set({ kind: 'pass' });
    if (targets.includes('postgres')) await pg.start();
    if (targets.includes('kafka')) await kafka.start();
    state.pgDown = false;
    state.kafkaDown = false;
    const restartedAt = Date.now();
    for (const t of targets) if (services.has(t)) services.get(t)!.start();
    const ready = await allReady();
    const recoveryMs = Date.now() - restartedAt;
    for (const t of targets) state.down.delete(t);
    const [slowest, slowestMs] = [...ready].sort((a, b) => b[1] - a[1])[0];
    const fault: Fault = { name, targets, killedAt, restartedAt, recoveryMs, readyAt: Date.now(), serverBootMs: restartedAt - serversAt, slowest: `${slowest} ${(slowestMs / 1000).toFixed(1)} s` };
    faults.push(fault);
    if (rows) {
      const failed = (e: unknown): Row[] => [{ check: `${name}: figures`, count: '-', bad: 1, detail: `not gathered: ${(e as Error).message}` }];
      pending.push(rows.then((r) => void (fault.rows = r), (e: unknown) => void (fault.rows = failed(e))));
    }
    log(`  ${name}: servers back in ${((restartedAt - serversAt) / 1000).toFixed(1)} s; every service ready ${(recoveryMs / 1000).toFixed(1)} s later (slowest ${slowest})`);
  };
  await sleep(3000);
  /** Figures still being gathered (the scale-out backlog), awaited before the load may stop. */
  const pending: Array<Promise<void>> = [];
  for (const [name, targets] of faultPlan([...new Set([...services.values()].map((s) => s.app))])) await inject(name, targets);
  await Promise.all(pending);
  return faults;
}
