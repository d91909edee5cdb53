/*
 * CPU use from /proc, as shares of one core: this process (the load generator), child processes by pid, the
 * PostgreSQL backends serving given databases (their process title names the database), the Kafka broker and the
 * whole machine. Where /proc is missing the figures are n/a.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';

/** USER_HZ, the unit of /proc/<pid>/stat times (100 on Linux whatever the kernel's HZ). */
const CLK_TCK = 100;
const HAS_PROC = fs.existsSync('/proc/stat');
function procTicks(pid: number): number | null {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    const rest = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return Number(rest[11]) + Number(rest[12]); // utime + stime (fields 14 and 15)
  } catch {
    return null;
  }
}

function cmdline(pid: string): string {
  try {
    return fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').replace(/\0/g, ' ');
  } catch {
    return '';
  }
}

/** PostgreSQL backends connected to the bench's databases (their process title names the database). */
function pgBackends(names: readonly string[]): Map<number, number> {
  const found = new Map<number, number>();
  if (!HAS_PROC) return found;
  for (const pid of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(pid)) continue;
    const cmd = cmdline(pid);
    if (!cmd.startsWith('postgres:') || !names.some((n) => cmd.includes(` ${n} `))) continue;
    const ticks = procTicks(Number(pid));
    if (ticks !== null) found.set(Number(pid), ticks);
  }
  return found;
}

export function brokerPid(): number | null {
  try {
    const pid = Number(fs.readFileSync(path.join(process.cwd(), '.local/kafka/kafka.pid'), 'utf8').trim());
    if (procTicks(pid) !== null) return pid;
  } catch {
    // not started by deploy/local/kafka.sh: look for it
  }
  for (const pid of HAS_PROC ? fs.readdirSync('/proc') : []) {
    if (/^\d+$/.test(pid) && cmdline(pid).includes('kafka.Kafka')) return Number(pid);
  }
  return null;
}

function machineTicks(): { busy: number; total: number } {
  if (!HAS_PROC) return { busy: NaN, total: NaN };
  const [, ...fields] = fs.readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/);
  const v = fields.map(Number);
  const total = v.slice(0, 8).reduce((a, b) => a + b, 0);
  return { busy: total - v[3] - v[4], total };
}

export interface CpuSnapshot {
  at: number;
  self: NodeJS.CpuUsage;
  services: Map<string, number | null>;
  pg: Map<number, number>;
  broker: number | null;
  machine: { busy: number; total: number };
}

export interface CpuShare {
  generator: number;
  services: Map<string, number | null>;
  pg: number;
  broker: number | null;
  machine: number;
}

export class CpuMeter {
  constructor(
    private readonly services: Map<string, number>,
    private readonly broker: number | null,
    /** Databases whose PostgreSQL backends count. */
    private readonly databases: readonly string[] = [],
  ) {}

  snapshot(): CpuSnapshot {
    return {
      at: performance.now(),
      self: process.cpuUsage(),
      services: new Map([...this.services].map(([name, pid]) => [name, procTicks(pid)])),
      pg: pgBackends(this.databases),
      broker: this.broker === null ? null : procTicks(this.broker),
      machine: machineTicks(),
    };
  }

  /** Shares of one core between two snapshots (1.0 = one core busy all the time; the machine has os.cpus().length). */
  between(a: CpuSnapshot, b: CpuSnapshot): CpuShare {
    const seconds = (b.at - a.at) / 1000;
    const ticks = (t: number) => t / CLK_TCK / seconds;
    const selfNow = b.self.user + b.self.system - (a.self.user + a.self.system);
    let pg = 0;
    for (const [pid, end] of b.pg) pg += end - (a.pg.get(pid) ?? 0);
    return {
      generator: selfNow / 1e6 / seconds,
      services: new Map([...b.services].map(([name, end]) => {
        const start = a.services.get(name);
        return [name, end === null || start == null ? null : ticks(end - start)];
      })),
      pg: ticks(pg),
      broker: a.broker === null || b.broker === null ? null : ticks(b.broker - a.broker),
      machine: ((b.machine.busy - a.machine.busy) / (b.machine.total - a.machine.total)) * os.cpus().length,
    };
  }
}
