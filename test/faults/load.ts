/**
 * The suite's load: an open loop of commands across planning (create a project, open its schedule, add a task),
 * resource, risk and notification over HTTP. Every command carries an `Idempotency-Key` (ADR 0013) and its own
 * correlation id, and no client-chosen entity id: the server mints the id, so only the key stands between a retry and
 * a second project, task, resource, risk or comment (or a 4xx for a schedule already open). A command whose
 * outcome was never heard (refused connection, reset, timeout, 503, 409 `IDEMPOTENCY_KEY_IN_FLIGHT`) is retried with
 * the same key and the same bytes until it is answered.
 */
import { randomUUID } from 'node:crypto';
import type { FaultService } from './services';
import { COMMANDS, CONCURRENCY, RATE, REQUEST_TIMEOUT_MS, RETRY_WINDOW_MS, SERVICE_OF, sleep } from './config';
import type { Ctx } from './config';

export interface Attempt {
  at: number;
  status: number | string;
  code?: string;
  retryAfter?: string;
  problemJson?: boolean;
  /** The answer came from the key's record (`Idempotent-Replayed: true`), not from running the command. */
  replayed?: boolean;
  /** The first request committed but its answer was never stored: the key's recovered answer (ADR 0013). */
  recovered?: boolean;
  pgDown: boolean;
  kafkaDown: boolean;
  serviceDown: boolean;
  ctx?: Ctx;
  /** The instance the request went to (`<app>` or `<app>#<n>` under scale-out). */
  instance?: string;
}

export interface Command {
  kind: Kind;
  ctx: Ctx;
  /** The project a schedule, task, risk or comment command is about. */
  projectId?: string;
  idempotencyKey: string;
  correlationId: string;
  attempts: Attempt[];
  /** 2xx on the first attempt, or on a retry with the same key. */
  outcome?: 'ok' | 'ok-on-retry' | 'failed';
  /** The id the server minted, when the answer named it (a recovered answer does not: the store is asked later). */
  entityId?: string;
}

/** What the fault injector flips while a server or service is down, stamped on each attempt. */
export interface LoadState {
  pgDown: boolean;
  kafkaDown: boolean;
  down: Set<string>;
}

export interface Answer {
  status: number;
  headers: Headers;
  json: Record<string, unknown> | null;
}

export async function post(port: number, urlPath: string, token: string, body: unknown, correlationId: string, idempotencyKey?: string): Promise<Answer> {
  const res = await fetch(`http://127.0.0.1:${port}${urlPath}`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      authorization: `Bearer ${token}`,
      'x-correlation-id': correlationId,
      ...(idempotencyKey ? { 'idempotency-key': idempotencyKey } : {}),
    },
    body: JSON.stringify(body),
    signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
  });
  const text = await res.text();
  let json: Record<string, unknown> | null = null;
  try {
    json = JSON.parse(text) as Record<string, unknown>;
  } catch {
    /* not JSON */
  }
  return { status: res.status, headers: res.headers, json };
}

/** The commands of the mix; each names the one event that is its effect (counted once per key by the proofs). */
export const KINDS = {
  project: { ctx: 'planning', effect: 'ProjectCreated', idField: 'projectId' },
  schedule: { ctx: 'planning', effect: 'ScheduleOpened', idField: null },
  task: { ctx: 'planning', effect: 'TaskAddedToWbs', idField: 'taskId' },
  resource: { ctx: 'resource', effect: 'GenericResourceRegistered', idField: 'resourceId' },
  risk: { ctx: 'risk', effect: 'RiskIdentified', idField: 'riskId' },
  comment: { ctx: 'notification', effect: 'CommentPosted', idField: 'commentId' },
} as const satisfies Record<string, { ctx: Ctx; effect: string; idField: string | null }>;
export type Kind = keyof typeof KINDS;

/** Projects the load knows (their create was answered with the id), and which of them have an open schedule. */
class Projects {
  readonly created: string[] = [];
  readonly unscheduled: string[] = [];
  readonly scheduled: string[] = [];
  /**
   * Schedules with a task command in flight: two at once on one schedule stream is a 409 EXPECTED_VERSION_CONFLICT
   * (an answer, stored under its key like any 4xx; a client would retry with a new key), not what the suite measures.
   */
  readonly busy = new Set<string>();
  any(): string | undefined {
    return this.created[Math.floor(Math.random() * this.created.length)];
  }
  idleSchedule(): string | undefined {
    const idle = this.scheduled.filter((p) => !this.busy.has(p));
    return idle[Math.floor(Math.random() * idle.length)];
  }
  /** A planning command: create a project, open the schedule of one, or add a task to an open schedule, in turn. */
  planningKind(n: number): Kind {
    if (n % 3 === 1 && this.unscheduled.length) return 'schedule';
    if (n % 3 === 2 && this.idleSchedule()) return 'task';
    return 'project';
  }
}

/** The request of a command, fixed at its first attempt: a retry must send the same bytes under the same key. */
function requestOf(c: Command, projects: Projects): [string, unknown] {
  const tag = c.idempotencyKey.slice(0, 8);
  const p = c.projectId ?? randomUUID();
  switch (c.kind) {
    case 'project':
      return ['/projects', { name: `Fault project ${tag}` }];
    case 'schedule':
      return [`/projects/${p}/schedule`, { projectStart: '2027-01-04' }];
    case 'task':
      return [`/projects/${p}/schedule/tasks`, { name: `Task ${tag}`, durationDays: 1 + (projects.created.length % 9) }];
    case 'resource':
      return ['/resources/generic', { name: `Role ${tag}`, role: 'Engineer' }];
    case 'risk':
      return [`/projects/${p}/risks`, { kind: 'threat', title: 'Vendor late', cause: 'One factory', event: 'Parts arrive late', effect: 'Cut-over slips', categoryId: 'faults' }];
    case 'comment':
      return [`/projects/${p}/comments`, { on: { kind: 'project', id: p }, body: `Status note ${tag}` }];
  }
}

/** What a 2xx tells the load: a new project to use, a schedule now open. */
function learn(c: Command, projects: Projects, json: Record<string, unknown> | null): void {
  const field = KINDS[c.kind].idField;
  const id = field ? json?.[field] : undefined;
  if (typeof id === 'string') c.entityId = id;
  if (c.kind === 'project' && c.entityId) {
    projects.created.push(c.entityId);
    projects.unscheduled.push(c.entityId);
  }
  if (c.kind === 'schedule' && c.projectId) projects.scheduled.push(c.projectId);
}

export interface LoadOptions {
  readonly services: Map<string, FaultService>;
  readonly token: string;
  readonly state: LoadState;
  /** True once every fault was injected and recovered from: the load stops after COMMANDS and this. */
  readonly done: () => boolean;
}

/** Runs the load; resolves with every command once the last one was answered or given up. */
export async function runLoad(o: LoadOptions): Promise<Command[]> {
  const projects = new Projects();
  const commands: Command[] = [];
  // Each attempt goes to the app's next instance (scale-out), as a round-robin load balancer would; so does a retry. An
  // instance scaled in is left out (a balancer's health check drops it); a killed one is not until then.
  const turns = new Map<string, number>();
  const pick = (app: string): FaultService => {
    const replicas = [...o.services.values()].filter((s) => s.app === app && !s.retired);
    const turn = turns.get(app) ?? 0;
    turns.set(app, turn + 1);
    return replicas[turn % replicas.length];
  };
  const execute = async (c: Command): Promise<void> => {
    const [urlPath, payload] = requestOf(c, projects);
    const giveUp = Date.now() + RETRY_WINDOW_MS;
    for (let attempt = 0; Date.now() < giveUp; attempt++) {
      const service = pick(SERVICE_OF[c.ctx]);
      const a: Attempt = { at: Date.now(), status: 'pending', pgDown: o.state.pgDown, kafkaDown: o.state.kafkaDown, serviceDown: o.state.down.has(service.name), ctx: c.ctx, instance: service.name };
      c.attempts.push(a);
      let retryMs = 500;
      try {
        const r = await post(service.port, urlPath, o.token, payload, c.correlationId, c.idempotencyKey);
        a.status = r.status;
        a.code = typeof r.json?.code === 'string' ? r.json.code : undefined;
        a.retryAfter = r.headers.get('retry-after') ?? undefined;
        a.problemJson = (r.headers.get('content-type') ?? '').startsWith('application/problem+json');
        a.replayed = r.headers.get('idempotent-replayed') === 'true';
        a.recovered = r.headers.get('idempotency-recovered') === 'true';
        if (r.status >= 200 && r.status < 300) {
          c.outcome = attempt === 0 ? 'ok' : 'ok-on-retry';
          learn(c, projects, r.json);
          return;
        }
        // Unheard outcomes: the database was away, or the key's first request may still be running (or died holding it).
        if (r.status === 503 || (r.status === 409 && a.code === 'IDEMPOTENCY_KEY_IN_FLIGHT')) retryMs = Number(a.retryAfter ?? 1) * 1000;
        else {
          c.outcome = 'failed';
          return;
        }
      } catch (e) {
        a.status = (e as Error).name === 'TimeoutError' ? 'timeout' : 'refused';
      }
      await sleep(retryMs);
    }
    c.outcome = 'failed';
  };

  const order: Kind[] = ['project', 'resource', 'risk', 'comment'];
  const inFlight = new Set<Promise<void>>();
  const started = Date.now();
  for (let i = 0; i < COMMANDS || !o.done(); i++) {
    await sleep(Math.max(0, started + (i * 1000) / RATE - Date.now()));
    while (inFlight.size >= CONCURRENCY) await Promise.race(inFlight);
    const kind = i < 8 ? 'project' : order[i % order.length] === 'project' ? projects.planningKind(Math.floor(i / order.length)) : order[i % order.length];
    // One schedule per project: it leaves the list of unscheduled ones when its command starts, not when answered.
    const projectId = kind === 'schedule' ? projects.unscheduled.shift() : kind === 'task' ? projects.idleSchedule() : projects.any();
    if (kind === 'task' && projectId) projects.busy.add(projectId);
    const c: Command = { kind, ctx: KINDS[kind].ctx, projectId, idempotencyKey: randomUUID(), correlationId: randomUUID(), attempts: [] };
    commands.push(c);
    const p = execute(c).finally(() => {
      inFlight.delete(p);
      if (c.kind === 'task' && c.projectId) projects.busy.delete(c.projectId);
    });
    inFlight.add(p);
  }
  await Promise.all(inFlight);
  return commands;
}
