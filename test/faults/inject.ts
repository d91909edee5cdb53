/** The faults: SIGKILL of services, the broker and PostgreSQL, one at a time and then two together, each restarted. */
import type { FaultKafka, FaultPostgres } from './infra';
import type { LoadState } from './load';
import type { FaultService } from './services';
import { DOWN_MS, SHORT, log, sleep } from './config';

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
}

export function faultPlan(services: readonly string[]): Array<[string, string[]]> {
  return SHORT
    ? [
        ['kill planning-service', ['planning-service']],
        ['kill the broker', ['kafka']],
      ]
    : [
        ...services.map((s): [string, string[]] => [`kill ${s}`, [s]]),
        ['kill the broker', ['kafka']],
        ['kill PostgreSQL', ['postgres']],
        ['kill reporting-service + the broker', ['reporting-service', 'kafka']],
        ['kill planning-service + PostgreSQL', ['planning-service', 'postgres']],
      ];
}

export async function injectFaults(pg: FaultPostgres, kafka: FaultKafka, services: Map<string, FaultService>, state: LoadState): Promise<Fault[]> {
  const faults: Fault[] = [];
  /** Every service's /health/ready, polled together: ms until each answered 200. */
  const allReady = async (): Promise<Map<string, number>> => new Map(await Promise.all([...services.values()].map(async (s) => [s.name, await s.waitReady(180_000)] as const)));
  const inject = async (name: string, targets: string[]): Promise<void> => {
    await sleep(4000);
    log(`SIGKILL ${targets.join(' + ')}`);
    const killedAt = Date.now();
    for (const t of targets) {
      if (t === 'postgres') {
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
    await sleep(DOWN_MS);
    // Servers first (their own boot is not the services' recovery), then the killed services.
    const serversAt = Date.now();
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
    faults.push({ name, targets, killedAt, restartedAt, recoveryMs, readyAt: Date.now(), serverBootMs: restartedAt - serversAt, slowest: `${slowest} ${(slowestMs / 1000).toFixed(1)} s` });
    log(`  ${name}: servers back in ${((restartedAt - serversAt) / 1000).toFixed(1)} s; every service ready ${(recoveryMs / 1000).toFixed(1)} s later (slowest ${slowest})`);
  };
  await sleep(3000);
  for (const [name, targets] of faultPlan([...services.keys()])) await inject(name, targets);
  return faults;
}
