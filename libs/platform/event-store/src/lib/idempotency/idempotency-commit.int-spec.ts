import { randomUUID } from 'node:crypto';
import type { Pool } from 'pg';
import { ProblemException } from '@pm/platform/http';
import { runWithIdempotencyClaim } from '@pm/platform/request-context';
import type { IdempotencyClaim } from '@pm/platform/request-context';
import type { WritePath } from '../write-path/write-path';
import { EventContractViolation } from '../write-path/event-contract-check';
import { add, counter, ctx, writePathDatabase } from '../write-path/write-path.spec-fixtures';
import { PgIdempotencyRecords } from './pg-idempotency-records';

/** The key row's commit mark and the command's events in one transaction (ADR 0013), on the real write path. */
describe('Idempotency-Key commit mark in the write path (real PostgreSQL)', () => {
  const env = writePathDatabase('idempotency_commit', {});
  let pool: Pool;
  let writePath: WritePath;
  const plain = counter();
  beforeAll(() => ({ pool, writePath } = env));

  const claimFor = async (key: string, leaseMs = 60_000): Promise<IdempotencyClaim> => {
    const claim = { tenantId: 't1', principal: 'x', key, token: randomUUID() };
    const outcome = await new PgIdempotencyRecords(pool, { leaseMs }).claim({ claim, method: 'POST', path: '/counters', fingerprint: 'f', successStatus: 201 });
    expect(outcome).toEqual({ kind: 'claimed' });
    return claim;
  };
  const committedAt = async (key: string): Promise<Date | null | undefined> =>
    (await pool.query('SELECT committed_at FROM idempotency_keys WHERE tenant_id = $1 AND principal = $2 AND key = $3', ['t1', 'x', key])).rows[0]?.committed_at;
  const versionOf = async (streamId: string): Promise<number> => (await writePath.load(plain, streamId, 't1')).version;

  it('marks the key committed with the events of a single-stream command', async () => {
    const key = randomUUID();
    const streamId = `counter:${randomUUID()}`;
    const claim = await claimFor(key);
    expect(await committedAt(key)).toBeNull();
    await runWithIdempotencyClaim(claim, () => writePath.handle(ctx(), plain, streamId, add(3)));
    expect({ version: await versionOf(streamId), marked: (await committedAt(key)) instanceof Date }).toEqual({ version: 1, marked: true });
  });

  it('leaves the key unmarked when the plan stores nothing (a refusal or a contract violation)', async () => {
    const key = randomUUID();
    const streamId = `counter:${randomUUID()}`;
    const claim = await claimFor(key);
    await expect(runWithIdempotencyClaim(claim, () => writePath.handle(ctx(), plain, streamId, { type: 'AddBroken' }))).rejects.toThrow(EventContractViolation);
    await expect(runWithIdempotencyClaim(claim, () => writePath.handle(ctx(), plain, streamId, { type: 'Refuse' }))).rejects.toThrow('refused');
    expect({ version: await versionOf(streamId), marked: await committedAt(key) }).toEqual({ version: 0, marked: null });
  });

  it('a holder whose key a retry took over (its lease ran out) stores nothing; the retry commits once', async () => {
    const key = randomUUID();
    const streamId = `counter:${randomUUID()}`;
    const stale = await claimFor(key, 1);
    await new Promise((resolve) => setTimeout(resolve, 20));
    const retry = { ...stale, token: randomUUID() };
    expect(await new PgIdempotencyRecords(pool).claim({ claim: retry, method: 'POST', path: '/counters', fingerprint: 'f', successStatus: 201 })).toEqual({ kind: 'claimed' });

    const late = runWithIdempotencyClaim(stale, () => writePath.handle(ctx(), plain, streamId, add(5)));
    await expect(late).rejects.toThrow(ProblemException);
    await expect(late).rejects.toMatchObject({ problem: { status: 409, code: 'IDEMPOTENCY_KEY_IN_FLIGHT' } });
    expect(await versionOf(streamId)).toBe(0);

    await runWithIdempotencyClaim(retry, () => writePath.handle(ctx(), plain, streamId, add(5)));
    expect((await writePath.load(plain, streamId, 't1')).state.total).toBe(5);
  });

  it('a commit that failed after its key was released (a 5xx) cannot happen later: the row is gone', async () => {
    const key = randomUUID();
    const streamId = `counter:${randomUUID()}`;
    const claim = await claimFor(key);
    await new PgIdempotencyRecords(pool).release(claim);
    await expect(runWithIdempotencyClaim(claim, () => writePath.handle(ctx(), plain, streamId, add(1)))).rejects.toMatchObject({ problem: { code: 'IDEMPOTENCY_KEY_IN_FLIGHT' } });
    expect(await versionOf(streamId)).toBe(0);
  });
});
