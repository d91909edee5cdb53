/**
 * Scale-out (issue 15 point 3, ADR 0018): reporting runs as three instances in one consumer group, planning as two
 * (one consumer group, one relay leader by advisory lock). Mid-load, one reporting instance and the planning instance
 * that holds the relay lock are killed together with SIGKILL; this measures, from the kill:
 * - per consumer group, when the group is stable again without the dead member (its partitions rebalanced to the
 *   survivors: the session timeout decides it), when a committed offset of those partitions moved (consumed again),
 *   and when their backlog was applied (committed offsets reached the high watermarks sampled at the rebalance);
 * - when the relay lock is held by the surviving planning instance, and when that relay stored a checkpoint (published).
 * The full form restarts the killed instances afterwards, the short form leaves them down; the suite's proofs then
 * cover what happened.
 */
import { AssignerProtocol, Kafka, logLevel } from 'kafkajs';
import type { Admin, GroupDescription } from 'kafkajs';
import { Client } from 'pg';
import type { FaultKafka, FaultPostgres } from './infra';
import type { LoadState } from './load';
import type { FaultService } from './services';
import { DB_OF, RECOVERY_LIMIT_MS, SESSION_TIMEOUT_MS, SERVICE_OF, SETTLE_TIMEOUT_MS, log, sleep } from './config';
import type { Row } from './config';

/** EventRelay's advisory lock namespace (libs/platform/messaging event-relay.ts): classid of the lock in pg_locks. */
const RELAY_LOCK_NAMESPACE = 0x706d72;
const POLL_MS = 200;
/** Longest wait for the takeover (rebalanced and consuming, relay publishing): the session timeout plus the recovery limit. */
const LIMIT_MS = SESSION_TIMEOUT_MS + RECOVERY_LIMIT_MS;

/** Each group the killed instances were members of: its app (the group id is the app's name). */
const CONSUMER = SERVICE_OF.reporting;
const RELAY_OWNER = SERVICE_OF.planning;

type Assignment = Map<string, number[]>;

interface Target {
  readonly topic: string;
  readonly partition: number;
  /** The high watermark when the group was stable again. */
  readonly high: number;
  /** The group's committed offset then. */
  readonly from: number;
}

interface GroupWatch {
  readonly group: string;
  readonly before: Map<string, Assignment>;
  /** Set when the group was stable again without one member of `before`. */
  rebalancedMs?: number;
  /** Members of `before` missing then: the killed one, and any survivor that had to rejoin under a new id. */
  gone?: string[];
  /** The dead member's partitions, and the survivors' own, as they were at the rebalance. */
  targets?: Target[];
  others?: Target[];
  /** A committed offset of the dead member's partitions moved (or there was nothing to apply). */
  resumedMs?: number;
  caughtUpMs?: number;
  /** Messages behind on the dead member's partitions when the survivors took them over, and on their own. */
  backlog?: number;
  othersBacklog?: number;
  /** Per partition still behind when the watch gave up. */
  stuck?: string;
}

export interface ScaleOutResult {
  /** The instances killed (restarted by the caller). */
  readonly targets: string[];
  readonly killedAt: number;
  /** The figures, once the killed member's backlog was applied (watched on in the background). */
  readonly rows: Promise<Row[]>;
}

const assignmentOf = (m: GroupDescription['members'][number]): Assignment => {
  const decoded = m.memberAssignment.length ? AssignerProtocol.MemberAssignment.decode(m.memberAssignment) : null;
  return new Map(Object.entries(decoded?.assignment ?? {}));
};
const partitionsOf = (a: Assignment): number => [...a.values()].reduce((n, p) => n + p.length, 0);

async function describe(admin: Admin, group: string): Promise<GroupDescription> {
  return (await admin.describeGroups([group])).groups[0];
}

/**
 * The group as it is, once stable with `members` members that are alive: the same members for a whole session timeout
 * (the coordinator keeps a member that stopped heartbeating, e.g. one still in its reconnect backoff after a broker
 * restart, until its session expires). Waits up to 90 s.
 */
async function stableGroup(admin: Admin, group: string, members: number): Promise<Map<string, Assignment>> {
  let since = 0;
  let ids = '';
  for (const deadline = Date.now() + 90_000; ; await sleep(500)) {
    const g = await describe(admin, group);
    const now = g.state === 'Stable' && g.members.length === members ? g.members.map((m) => m.memberId).sort().join() : '';
    if (!now || now !== ids) [since, ids] = [Date.now(), now];
    else if (Date.now() - since > SESSION_TIMEOUT_MS) return new Map(g.members.map((m) => [m.memberId, assignmentOf(m)]));
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

async function committedOf(admin: Admin, group: string, topics: readonly string[]): Promise<Map<string, number>> {
  const r = await admin.fetchOffsets({ groupId: group, topics: [...topics] });
  return new Map(r.flatMap((t) => t.partitions.map((p) => [`${t.topic}/${p.partition}`, Math.max(0, Number(p.offset))] as const)));
}
const behind = (targets: readonly Target[], committed: Map<string, number>): number => targets.reduce((n, t) => n + Math.max(0, t.high - (committed.get(`${t.topic}/${t.partition}`) ?? 0)), 0);

/** One poll of a group: stable without a member of `before`, then its partitions' committed offsets against their targets. */
async function watchGroup(admin: Admin, w: GroupWatch, since: number): Promise<void> {
  const topics = [...new Set([...w.before.values()].flatMap((a) => [...a.keys()]))];
  if (w.rebalancedMs === undefined) {
    const g = await describe(admin, w.group);
    const ids = g.members.map((m) => m.memberId);
    // The killed instance is not restarted yet: a stable group one member short has handed its partitions on.
    if (g.state !== 'Stable' || ids.length !== w.before.size - 1) return;
    w.rebalancedMs = Date.now() - since;
    w.gone = [...w.before.keys()].filter((id) => !ids.includes(id));
    const committed = await committedOf(admin, w.group, topics);
    const target = (topic: string, partition: number, highs: Map<number, number>): Target => ({ topic, partition, high: highs.get(partition) ?? 0, from: committed.get(`${topic}/${partition}`) ?? 0 });
    w.targets = [];
    w.others = [];
    for (const topic of topics) {
      const highs = new Map((await admin.fetchTopicOffsets(topic)).map((o) => [o.partition, Number(o.high)]));
      for (const [id, a] of w.before) for (const p of a.get(topic) ?? []) (w.gone.includes(id) ? w.targets : w.others).push(target(topic, p, highs));
    }
    w.backlog = behind(w.targets, committed);
    w.othersBacklog = behind(w.others, committed);
  }
  if (w.caughtUpMs !== undefined) return;
  const committed = await committedOf(admin, w.group, topics);
  const moved = w.targets!.some((t) => (committed.get(`${t.topic}/${t.partition}`) ?? 0) > t.from);
  const left = behind(w.targets!, committed);
  if (w.resumedMs === undefined && (moved || left === 0)) w.resumedMs = Date.now() - since;
  if (left === 0) w.caughtUpMs = Date.now() - since;
  else w.stuck = w.targets!.filter((t) => (committed.get(`${t.topic}/${t.partition}`) ?? 0) < t.high).map((t) => `${t.topic}/${t.partition} at ${committed.get(`${t.topic}/${t.partition}`) ?? 0} of ${t.high}`).join(', ');
}

const secs = (ms: number | undefined): string => (ms === undefined ? 'never' : `${(ms / 1000).toFixed(1)} s`);

/**
 * Kills one instance of the consumer service and the planning instance that leads the relay, and measures the
 * takeover. Resolves once the groups rebalanced and resumed and the relay publishes again (or LIMIT_MS passed), with
 * the killed instances still down; `rows` resolves once the dead member's backlog was applied (or SETTLE_TIMEOUT_MS).
 */
export async function killAndWatchTakeover(pg: FaultPostgres, kafka: FaultKafka, services: Map<string, FaultService>, state: LoadState): Promise<ScaleOutResult> {
  const consumers = [...services.values()].filter((s) => s.app === CONSUMER);
  const owners = [...services.values()].filter((s) => s.app === RELAY_OWNER);
  if (consumers.length < 2 || owners.length < 2) throw new Error('scale-out needs two or more instances of reporting and planning');
  const client = new Kafka({ clientId: 'faults-scale-out', brokers: [kafka.brokers], logLevel: logLevel.NOTHING });
  const admin = client.admin();
  const db = new Client({ connectionString: pg.serverUrl(DB_OF.planning) });
  const close = async () => {
    await admin.disconnect().catch(() => undefined);
    await db.end().catch(() => undefined);
  };
  db.on('error', () => undefined);
  await admin.connect();
  await db.connect();
  /** A poll that failed (broker or database unreachable for a moment) is skipped and counted, not fatal. */
  let failedPolls = 0;
  const tolerant = (poll: () => Promise<void>): Promise<void> => poll().catch(() => void failedPolls++);
  let killedAt: number;
  let targets: string[];
  const watches: GroupWatch[] = [];
  const relay = { from: '', to: null as string | null, leaderMs: undefined as number | undefined, publishedMs: undefined as number | undefined };
  try {
    for (const [group, n] of [[CONSUMER, consumers.length], [RELAY_OWNER, owners.length]] as const) watches.push({ group, before: await stableGroup(admin, group, n) });
    let leader: string | null = null;
    for (const deadline = Date.now() + 30_000; !(leader = await relayLeader(db)) && Date.now() < deadline; ) await sleep(500);
    const owner = owners.find((s) => s.name === leader);
    if (!owner) throw new Error(`scale-out: the relay lock is held by ${leader ?? 'nobody'}, not by a planning instance`);
    relay.from = owner.name;
    const consumer = consumers[consumers.length - 1];
    targets = [consumer.name, owner.name];
    log(`SIGKILL ${consumer.name} (1 of ${consumers.length}) + ${owner.name} (relay leader, 1 of ${owners.length}); groups: ${watches.map((w) => `${w.group} ${w.before.size} members, ${[...w.before.values()].map(partitionsOf).join('/')} partitions`).join('; ')}`);
    for (const t of targets) state.down.add(t);
    killedAt = Date.now();
    await Promise.all([consumer.kill(), owner.kill()]);
    const taken = () => relay.publishedMs !== undefined && watches.every((w) => w.resumedMs !== undefined);
    while (!taken() && Date.now() - killedAt < LIMIT_MS) {
      await tolerant(async () => {
        for (const w of watches) await watchGroup(admin, w, killedAt);
        if (relay.leaderMs === undefined) {
          relay.to = await relayLeader(db);
          if (relay.to && relay.to !== owner.name) relay.leaderMs = Date.now() - killedAt;
        }
        // A checkpoint stored after the kill while the survivor leads: it published (the dead one can store none).
        if (relay.leaderMs !== undefined && relay.publishedMs === undefined && (await lastCheckpointAt(db)) > killedAt) relay.publishedMs = Date.now() - killedAt;
      });
      await sleep(POLL_MS);
    }
  } catch (e) {
    await close();
    throw e;
  }
  const since = killedAt;
  // The backlog is watched on while the killed instances restart (their join rebalances the group once more).
  const rows = (async (): Promise<Row[]> => {
    try {
      while (watches.some((w) => w.caughtUpMs === undefined) && Date.now() - since < SETTLE_TIMEOUT_MS) {
        // The next faults (a broker link cut) may fail a poll: the next one tries again.
        await tolerant(async () => {
          for (const w of watches) if (w.rebalancedMs !== undefined) await watchGroup(admin, w, since);
        });
        await sleep(POLL_MS);
      }
    } finally {
      await close();
    }
    if (failedPolls) log(`  scale-out: ${failedPolls} polls of the group or the lock failed (a later fault) and were retried`);
    return rowsOf(watches, relay);
  })();
  return { targets, killedAt, rows };
}

function rowsOf(watches: readonly GroupWatch[], relay: { from: string; to: string | null; leaderMs?: number; publishedMs?: number }): Row[] {
  const late = (ms: number | undefined, limit: number) => (ms === undefined || ms > limit ? 1 : 0);
  const rows: Row[] = watches.flatMap((w) => [
    {
      check: `scale-out: ${w.group} group ${w.before.size} → ${w.before.size - 1}, partitions taken over`,
      count: secs(w.rebalancedMs),
      bad: late(w.rebalancedMs, LIMIT_MS) + late(w.resumedMs, LIMIT_MS),
      detail:
        `${w.targets?.length ?? '?'} partitions of the killed member${(w.gone?.length ?? 0) > 1 ? ` (and of ${w.gone!.length - 1} that rejoined under a new id)` : ''} rebalanced to the others (session timeout ${SESSION_TIMEOUT_MS / 1000} s), ` +
        `consuming them ${secs(w.resumedMs)} after the kill (limit ${LIMIT_MS / 1000} s)`,
    },
    {
      check: `scale-out: ${w.group} backlog of the killed member applied`,
      count: secs(w.caughtUpMs),
      bad: late(w.caughtUpMs, SETTLE_TIMEOUT_MS),
      detail: `${w.backlog ?? '?'} messages behind on its partitions at the rebalance (the survivors' own: ${w.othersBacklog ?? '?'}); limit ${SETTLE_TIMEOUT_MS / 1000} s${w.caughtUpMs === undefined && w.stuck ? `; behind: ${w.stuck}` : ''}`,
    },
  ]);
  rows.push({
    check: `scale-out: ${RELAY_OWNER} relay leadership moved`,
    count: secs(relay.leaderMs),
    bad: late(relay.leaderMs, RECOVERY_LIMIT_MS) + late(relay.publishedMs, RECOVERY_LIMIT_MS),
    detail: `${relay.from} → ${relay.to ?? 'nobody'}; publishing (a checkpoint stored) ${secs(relay.publishedMs)} after the kill (limit ${RECOVERY_LIMIT_MS / 1000} s)`,
  });
  for (const r of rows) log(`  ${r.check}: ${r.count}; ${r.detail}`);
  return rows;
}

/** Requests per instance of each scaled-out app (the load's round robin), for the table. */
export function spreadRow(attempts: ReadonlyArray<{ instance?: string }>, services: Map<string, FaultService>): Row {
  const apps = [...new Set([...services.values()].map((s) => s.app))].filter((app) => [...services.values()].filter((s) => s.app === app).length > 1);
  const count = (name: string) => attempts.filter((a) => a.instance === name).length;
  const detail = apps.map((app) => `${app}: ${[...services.values()].filter((s) => s.app === app).map((s) => `${s.name} ${count(s.name)}`).join(', ')}${app === CONSUMER ? ' (consumes only)' : ''}`);
  return { check: 'scale-out: instances (requests each)', count: [...services.values()].filter((s) => apps.includes(s.app)).length, bad: 0, detail: detail.join('; ') || 'none (FAULTS_SCALE=0)' };
}
