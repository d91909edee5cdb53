import { Inject, Injectable } from '@nestjs/common';
import type { OnModuleDestroy } from '@nestjs/common';
import type { Pool } from 'pg';
import { z } from 'zod';
import { AppendListener, PG_POOL } from '@pm/platform/event-store';
import { ApiProblemResponses, ProblemException } from '@pm/platform/http';
import { nestLogger } from '@pm/platform/observability';
import { STREAM_APPLIED_CHANNEL, appliedStreamVersions } from '@pm/reporting/data-access';

/** At most this many streams per request: each is a row to read on every wake-up. */
export const WAIT_FOR_MAX_STREAMS = 5;
export const WAIT_TIMEOUT_DEFAULT_MS = 5_000;
export const WAIT_TIMEOUT_MAX_MS = 10_000;
export const READ_MODEL_BEHIND = 'READ_MODEL_BEHIND';
export const WAIT_FOR_OTHER_TENANT = 'WAIT_FOR_OTHER_TENANT';
export const TOO_MANY_WAITS = 'TOO_MANY_WAITS';

export interface AwaitedStream {
  readonly streamId: string;
  readonly version: number;
}

// `<category>:<tenant>:<id>@<version>`: ids are uuids or client ids (letters, digits, `. _ -`), tenants have no
// space, comma or `@`; the version is split at the last `@`.
const WAIT_FOR_ITEM = /^[a-z][a-z-]{0,39}:[^\s,@]{1,200}:[A-Za-z0-9._-]{1,100}@[1-9]\d{0,8}$/;

const waitForItem = z
  .string()
  .max(360)
  .regex(WAIT_FOR_ITEM, '`<streamId>@<version>`, e.g. `project:<tenant>:<uuid>@3` (version 1 to 999999999)')
  .transform((s): AwaitedStream => {
    const at = s.lastIndexOf('@');
    return { streamId: s.slice(0, at), version: Number(s.slice(at + 1)) };
  });

const WAIT_FOR_DOC =
  'Read-your-writes (ADR 0503): answer only once the read model has applied each named stream at this version or later ' +
  '(the `version` a command answered with). `<streamId>@<version>`, repeated or comma-separated, at most ' +
  `${WAIT_FOR_MAX_STREAMS}; only streams of the caller's tenant. Not reached within \`waitTimeoutMs\`: 409 ${READ_MODEL_BEHIND} ` +
  'with each stream\'s applied version and `Retry-After`.';

/**
 * The query fragment every report route spreads into its own schema:
 * `z.strictObject({ ...readYourWritesQuery, asOf: … })`, then `await readYourWrites.awaitApplied(principal, query)`.
 */
export const readYourWritesQuery = {
  waitFor: z
    .union([z.string().max(2_000), z.array(z.string().max(360)).max(WAIT_FOR_MAX_STREAMS)])
    .transform((v) => (Array.isArray(v) ? v : [v]).flatMap((s) => s.split(',')))
    .pipe(z.array(waitForItem).min(1).max(WAIT_FOR_MAX_STREAMS))
    .optional()
    .describe(WAIT_FOR_DOC),
  waitTimeoutMs: z.coerce
    .number()
    .int()
    .min(0)
    .max(WAIT_TIMEOUT_MAX_MS)
    .default(WAIT_TIMEOUT_DEFAULT_MS)
    .describe(`How long to wait for \`waitFor\` (ms, 0 to ${WAIT_TIMEOUT_MAX_MS}); ignored without it`),
};

/** Documents what `waitFor` adds to a route's answers: 409 READ_MODEL_BEHIND (403 and 429 every secured route has). */
export function ApiReadYourWrites(): MethodDecorator & ClassDecorator {
  return ApiProblemResponses(409);
}

export interface ReadYourWritesQuery {
  readonly waitFor?: readonly AwaitedStream[];
  readonly waitTimeoutMs: number;
}

export interface ReadYourWritesOptions {
  /** Waits one tenant may hold open at once in this process (default 20); the next is 429 TOO_MANY_WAITS. */
  readonly maxWaitsPerTenant?: number;
  /** Waits the process holds open at once, all tenants together (default 500). */
  readonly maxWaits?: number;
  /** The fallback poll (for a lost notification) starts at this interval and doubles up to `maxPollMs` (100 ms, 1 s). */
  readonly firstPollMs?: number;
  readonly maxPollMs?: number;
}
export const READ_YOUR_WRITES_OPTIONS = Symbol('READ_YOUR_WRITES_OPTIONS');


interface Behind extends AwaitedStream {
  readonly appliedVersion: number | null;
}

/**
 * Holds a report request until the reporting consumer has applied the streams it names (ADR 0503). Woken by the
 * consumer's NOTIFY for the tenant (one LISTEN connection per process, opened on the first wait) and, as the fallback
 * for a lost notification, by a poll that backs off from 100 ms to 1 s. Waits are capped per tenant and per process.
 */
@Injectable()
export class ReadYourWrites implements OnModuleDestroy {
  private readonly wakers = new Map<string, Set<() => void>>();
  private readonly waits = new Map<string, number>();
  private total = 0;
  private listener?: AppendListener;
  private readonly maxPerTenant: number;
  private readonly maxTotal: number;
  private readonly firstPollMs: number;
  private readonly maxPollMs: number;

  constructor(
    @Inject(PG_POOL) private readonly pool: Pool,
    @Inject(READ_YOUR_WRITES_OPTIONS) options: ReadYourWritesOptions,
  ) {
    this.maxPerTenant = options.maxWaitsPerTenant ?? 20;
    this.maxTotal = options.maxWaits ?? 500;
    this.firstPollMs = options.firstPollMs ?? 100;
    this.maxPollMs = options.maxPollMs ?? 1_000;
  }

  async onModuleDestroy(): Promise<void> {
    await this.listener?.stop();
    this.listener = undefined;
  }

  /** Returns once every `waitFor` stream is applied at its version; throws the problem that says why not. */
  async awaitApplied(tenantId: string, query: ReadYourWritesQuery): Promise<void> {
    const wanted = query.waitFor ?? [];
    if (wanted.length === 0) return;
    refuseOtherTenants(tenantId, wanted);
    let behind = await this.behind(tenantId, wanted);
    if (behind.length === 0) return;
    if (query.waitTimeoutMs === 0) throw readModelBehind(behind, 0);
    this.admit(tenantId);
    try {
      this.listen();
      const deadline = Date.now() + query.waitTimeoutMs;
      for (let poll = this.firstPollMs; ; poll = Math.min(poll * 2, this.maxPollMs)) {
        const left = deadline - Date.now();
        if (left <= 0) break;
        await this.wake(tenantId, Math.min(poll, left));
        behind = await this.behind(tenantId, behind);
        if (behind.length === 0) return;
      }
      throw readModelBehind(behind, query.waitTimeoutMs);
    } finally {
      this.release(tenantId);
    }
  }

  private async behind(tenantId: string, wanted: readonly AwaitedStream[]): Promise<Behind[]> {
    const applied = await appliedStreamVersions(
      this.pool,
      tenantId,
      wanted.map((w) => w.streamId),
    );
    return wanted
      .map((w) => ({ streamId: w.streamId, version: w.version, appliedVersion: applied.get(w.streamId) ?? null }))
      .filter((w) => w.appliedVersion === null || w.appliedVersion < w.version);
  }

  private admit(tenantId: string): void {
    const mine = this.waits.get(tenantId) ?? 0;
    if (mine >= this.maxPerTenant || this.total >= this.maxTotal) {
      throw new ProblemException({
        status: 429,
        code: TOO_MANY_WAITS,
        title: 'Too many waits',
        detail: `At most ${this.maxPerTenant} report requests of a tenant may wait for the read model at once; retry shortly.`,
        headers: { 'Retry-After': '1' },
      });
    }
    this.waits.set(tenantId, mine + 1);
    this.total++;
  }

  private release(tenantId: string): void {
    const left = (this.waits.get(tenantId) ?? 1) - 1;
    if (left <= 0) this.waits.delete(tenantId);
    else this.waits.set(tenantId, left);
    this.total--;
  }

  /** Resolves on the tenant's next notification or after `ms`, whichever comes first. */
  private wake(tenantId: string, ms: number): Promise<void> {
    return new Promise((resolve) => {
      const set = this.wakers.get(tenantId) ?? new Set<() => void>();
      this.wakers.set(tenantId, set);
      const done = () => {
        clearTimeout(timer);
        set.delete(done);
        if (set.size === 0 && this.wakers.get(tenantId) === set) this.wakers.delete(tenantId);
        resolve();
      };
      const timer = setTimeout(done, ms);
      set.add(done);
    });
  }

  private listen(): void {
    if (this.listener) return;
    const log = nestLogger('ReadYourWrites');
    this.listener = new AppendListener({
      pool: this.pool,
      channel: STREAM_APPLIED_CHANNEL,
      // After a (re)connection, without a payload: whatever was missed meanwhile, every waiter looks again.
      onAppended: (tenantId) => {
        const sets = tenantId === undefined ? [...this.wakers.values()] : [this.wakers.get(tenantId)];
        for (const set of sets) for (const done of [...(set ?? [])]) done();
      },
      onError: (err) => log.warn({ err: err.message }, 'read-your-writes LISTEN connection lost; polling until it is back'),
    });
    this.listener.start();
  }
}

/**
 * A stream id names its tenant (`<category>:<tenant>:<id>`); waiting on another tenant's stream is refused before
 * anything is read, so the answer says nothing about that stream (its versions are filtered by tenant as well).
 */
function refuseOtherTenants(tenantId: string, wanted: readonly AwaitedStream[]): void {
  const foreign = wanted.findIndex((w) => {
    const colon = w.streamId.indexOf(':');
    const rest = w.streamId.slice(colon + 1);
    return !(rest.startsWith(`${tenantId}:`) && rest.length > tenantId.length + 1);
  });
  if (foreign < 0) return;
  throw new ProblemException({
    status: 403,
    code: WAIT_FOR_OTHER_TENANT,
    title: 'Not a stream of your tenant',
    detail: "waitFor may name only streams of the caller's tenant (`<category>:<tenant>:<id>`).",
    errors: [{ path: `/waitFor/${foreign}`, message: "not a stream of the caller's tenant" }],
  });
}

/**
 * 409, not 503: whether the version is ever reached is up to the client (it may name a version that never comes), so a
 * 5xx would let any client raise the service's error rate at will; the read model's state conflicts with the request's
 * precondition, and `Retry-After` says when to ask again. Consumer lag itself is watched on its metric (ADR 0503).
 */
function readModelBehind(behind: readonly Behind[], waitedMs: number): ProblemException {
  return new ProblemException({
    status: 409,
    code: READ_MODEL_BEHIND,
    title: 'Read model behind',
    detail: `The read model has not applied ${behind.length} of the awaited stream version(s) within ${waitedMs} ms; retry later.`,
    details: { waitedMs, behind: behind.map((b) => ({ streamId: b.streamId, version: b.version, appliedVersion: b.appliedVersion })) },
    headers: { 'Retry-After': '1' },
  });
}
