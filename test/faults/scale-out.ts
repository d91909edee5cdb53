/**
 * Scale-out (issue 15 point 3, ADR 0018): reporting runs as three instances in one consumer group, planning as two
 * (one consumer group, one relay leader by advisory lock). Mid-load, one reporting instance and the planning instance
 * that holds the relay lock are killed together with SIGKILL; this measures, from the kill:
 * - per consumer group, when the group is stable again without the dead member (its partitions rebalanced to the
 *   survivors: the session timeout decides it), and when the backlog of its partitions was applied (committed offsets
 *   reached the high watermarks sampled at the rebalance);
 * - when the relay lock is held by the surviving planning instance, and when that relay stored a checkpoint (published).
 * The killed instances are restarted afterwards; the suite's proofs then cover what happened.
 */
import { AssignerProtocol, Kafka, logLevel } from 'kafkajs';
import type { Admin, GroupDescription } from 'kafkajs';
import { Client } from 'pg';
import type { FaultKafka, FaultPostgres } from './infra';
import type { LoadState } from './load';
import type { FaultService } from './services';
import { DB_OF, RECOVERY_LIMIT_MS, SESSION_TIMEOUT_MS, SERVICE_OF, log, sleep } from './config';
import type { Row } from './config';

/** EventRelay's advisory lock namespace (libs/platform/messaging event-relay.ts): classid of the lock in pg_locks. */
const RELAY_LOCK_NAMESPACE = 0x706d72;
const POLL_MS = 200;
/** Longest wait for any one figure: the session timeout plus the suite's recovery limit. */
const LIMIT_MS = SESSION_TIMEOUT_MS + RECOVERY_LIMIT_MS;

/** Each group the killed instances were members of: its app (the group id is the app's name). */
const CONSUMER = SERVICE_OF.reporting;
const RELAY_OWNER = SERVICE_OF.planning;

type Assignment = Map<string, number[]>;

interface GroupWatch {
  readonly group: string;
  readonly before: Map<string, Assignment>;
  /** Set when the group was stable again without one member of `before`. */
  rebalancedMs?: number;
  gone?: string;
  /** The dead member's partitions and their high watermarks at the rebalance. */
  targets?: Array<{ topic: string; partition: number; high: number }>;
  caughtUpMs?: number;
  /** Messages behind on the dead member's partitions when the survivors took them over. */
  backlog?: number;
}

export interface ScaleOutResult {
  /** The instances killed (restarted by the caller). */
  readonly targets: string[];
  readonly killedAt: number;
  readonly rows: Row[];
}

const assignmentOf = (m: GroupDescription['members'][number]): Assignment => {
  const decoded = m.memberAssignment.length ? AssignerProtocol.MemberAssignment.decode(m.memberAssignment) : null;
  return new Map(Object.entries(decoded?.assignment ?? {}));
};
const partitionsOf = (a: Assignment): number => [...a.values()].reduce((n, p) => n + p.length, 0);

async function describe(admin: Admin, group: string): Promise<GroupDescription> {
  return (await admin.describeGroups([group])).groups[0];
}

/** The group as it is, once stable with `members` members (waits up to 90 s: a restart elsewhere may still be joining). */
async function stableGroup(admin: Admin, group: string, members: number): Promise<Map<string, Assignment>> {
  for (const deadline = Date.now() + 90_000; ; await sleep(500)) {
    const g = await describe(admin, group);
    if (g.state === 'Stable' && g.members.length === members) return new Map(g.members.map((m) => [m.memberId, assignmentOf(m)]));
    if (Date.now() > deadline) throw new Error(`scale-out: group ${group} is ${g.state} with ${g.members.length} members, not stable with ${members}`);
  }
}

/** The instance (PostgreSQL application_name) whose session holds planning's relay lock, if any. */
async function relayLeader(db: Client): Promise<string | null> {
  const r = await db.query<{ name: string }>(
    `SELECT a.application_name AS name FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid
     WHERE l.locktype = 'advisory' AND l.granted AND l.classid = $1 AND l.objsubid = 2 AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database())`,
    [RELAY_LOCK_NAMESPACE],
  );
  if (r.rows.length > 1) throw new Error(`scale-out: ${r.rows.length} sessions hold a relay lock in ${DB_OF.planning}`);
  return r.rows[0]?.name ?? null;
}

async function lastCheckpointAt(db: Client): Promise<number> {
  const r = await db.query<{ at: string }>(`SELECT (extract(epoch FROM updated_at) * 1000)::bigint::text AS at FROM relay_checkpoints WHERE relay_name = $1`, [`${RELAY_OWNER}.relay`]);
  return Number(r.rows[0]?.at ?? 0);
}

/** One poll of a group: stable without a member of `before`, then its partitions' committed offsets against their targets. */
async function watchGroup(admin: Admin, w: GroupWatch, since: number): Promise<void> {
  if (w.rebalancedMs === undefined) {
    const g = await describe(admin, w.group);
    const ids = g.members.map((m) => m.memberId);
    if (g.state !== 'Stable' || ids.length !== w.before.size - 1 || !ids.every((id) => w.before.has(id))) return;
    w.rebalancedMs = Date.now() - since;
    w.gone = [...w.before.keys()].find((id) => !ids.includes(id))!;
    const dead = w.before.get(w.gone)!;
    w.targets = [];
    for (const [topic, partitions] of dead) {
      const highs = new Map((await admin.fetchTopicOffsets(topic)).map((o) => [o.partition, Number(o.high)]));
      for (const partition of partitions) w.targets.push({ topic, partition, high: highs.get(partition) ?? 0 });
    }
    w.backlog = await behind(admin, w);
  }
  if (w.caughtUpMs === undefined && (await behind(admin, w)) === 0) w.caughtUpMs = Date.now() - since;
}

/** Messages between the group's committed offsets and the targets, over the dead member's partitions. */
async function behind(admin: Admin, w: GroupWatch): Promise<number> {
  const topics = [...new Set(w.targets!.map((t) => t.topic))];
  const committed = new Map((await admin.fetchOffsets({ groupId: w.group, topics })).flatMap((t) => t.partitions.map((p) => [`${t.topic}/${p.partition}`, Number(p.offset)] as const)));
  return w.targets!.reduce((n, t) => n + Math.max(0, t.high - Math.max(0, committed.get(`${t.topic}/${t.partition}`) ?? 0)), 0);
}

const secs = (ms: number | undefined): string => (ms === undefined ? 'never' : `${(ms / 1000).toFixed(1)} s`);

/**
 * Kills one instance of the consumer service and the planning instance that leads the relay, and measures the
 * takeover. Resolves once every figure is in (or LIMIT_MS passed); the killed instances are still down then.
 */
export async function killAndWatchTakeover(pg: FaultPostgres, kafka: FaultKafka, services: Map<string, FaultService>, state: LoadState): Promise<ScaleOutResult> {
  const consumers = [...services.values()].filter((s) => s.app === CONSUMER);
  const owners = [...services.values()].filter((s) => s.app === RELAY_OWNER);
  if (consumers.length < 2 || owners.length < 2) throw new Error('scale-out needs two or more instances of reporting and planning');
  const client = new Kafka({ clientId: 'faults-scale-out', brokers: [kafka.brokers], logLevel: logLevel.NOTHING });
  const admin = client.admin();
  const db = new Client({ connectionString: pg.serverUrl(DB_OF.planning) });
  await admin.connect();
  await db.connect();
  try {
    const watches: GroupWatch[] = [];
    for (const [group, n] of [[CONSUMER, consumers.length], [RELAY_OWNER, owners.length]] as const) watches.push({ group, before: await stableGroup(admin, group, n) });
    let leader: string | null = null;
    for (const deadline = Date.now() + 30_000; !(leader = await relayLeader(db)) && Date.now() < deadline; ) await sleep(500);
    const owner = owners.find((s) => s.name === leader);
    if (!owner) throw new Error(`scale-out: the relay lock is held by ${leader ?? 'nobody'}, not by a planning instance`);
    const consumer = consumers[consumers.length - 1];
    const targets = [consumer.name, owner.name];
    log(`SIGKILL ${consumer.name} (1 of ${consumers.length}) + ${owner.name} (relay leader, 1 of ${owners.length}); groups: ${watches.map((w) => `${w.group} ${w.before.size} members, ${[...w.before.values()].map(partitionsOf).join('/')} partitions`).join('; ')}`);
    for (const t of targets) state.down.add(t);
    const killedAt = Date.now();
    await Promise.all([consumer.kill(), owner.kill()]);
    let leaderMs: number | undefined;
    let newLeader: string | null = null;
    let publishedMs: number | undefined;
    const done = () => leaderMs !== undefined && publishedMs !== undefined && watches.every((w) => w.caughtUpMs !== undefined);
    while (!done() && Date.now() - killedAt < LIMIT_MS) {
      for (const w of watches) await watchGroup(admin, w, killedAt);
      if (leaderMs === undefined) {
        newLeader = await relayLeader(db);
        if (newLeader && newLeader !== owner.name) leaderMs = Date.now() - killedAt;
      }
      // A checkpoint stored after the kill while the survivor leads: it published (the dead one can store none).
      if (leaderMs !== undefined && publishedMs === undefined && (await lastCheckpointAt(db)) > killedAt) publishedMs = Date.now() - killedAt;
      await sleep(POLL_MS);
    }
    const late = (ms: number | undefined, limit = LIMIT_MS) => (ms === undefined || ms > limit ? 1 : 0);
    const rows: Row[] = watches.map((w) => ({
      check: `scale-out: ${w.group} group ${w.before.size} → ${w.before.size - 1}, partitions taken over`,
      count: secs(w.rebalancedMs),
      bad: late(w.rebalancedMs) + late(w.caughtUpMs),
      detail:
        `${w.gone ? partitionsOf(w.before.get(w.gone)!) : '?'} partitions of the killed member rebalanced (session timeout ${SESSION_TIMEOUT_MS / 1000} s); ` +
        `their backlog (${w.backlog ?? '?'} messages) applied ${secs(w.caughtUpMs)} after the kill (limit ${LIMIT_MS / 1000} s)`,
    }));
    rows.push({
      check: `scale-out: ${RELAY_OWNER} relay leadership moved`,
      count: secs(leaderMs),
      bad: late(leaderMs, RECOVERY_LIMIT_MS) + late(publishedMs, RECOVERY_LIMIT_MS),
      detail: `${owner.name} → ${newLeader ?? 'nobody'}; publishing (a checkpoint stored) ${secs(publishedMs)} after the kill (limit ${RECOVERY_LIMIT_MS / 1000} s)`,
    });
    for (const r of rows) log(`  ${r.check}: ${r.count}; ${r.detail}`);
    return { targets, killedAt, rows };
  } finally {
    await admin.disconnect().catch(() => undefined);
    await db.end().catch(() => undefined);
  }
}

/** Requests per instance of each scaled-out app (the load's round robin), for the table. */
export function spreadRow(attempts: ReadonlyArray<{ instance?: string }>, services: Map<string, FaultService>): Row {
  const apps = [...new Set([...services.values()].map((s) => s.app))].filter((app) => [...services.values()].filter((s) => s.app === app).length > 1);
  const count = (name: string) => attempts.filter((a) => a.instance === name).length;
  const detail = apps.map((app) => `${app}: ${[...services.values()].filter((s) => s.app === app).map((s) => `${s.name} ${count(s.name)}`).join(', ')}${app === CONSUMER ? ' (consumes only)' : ''}`);
  return { check: 'scale-out: instances (requests each)', count: [...services.values()].filter((s) => apps.includes(s.app)).length, bad: 0, detail: detail.join('; ') || 'none (FAULTS_SCALE=0)' };
}
