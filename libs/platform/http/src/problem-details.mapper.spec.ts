import { toProblem } from './problem-details.mapper';

describe('toProblem', () => {
  it('answers a named platform bug (an event that breaks its contract) with 500 and its stable code, never its message', () => {
    const bug = Object.assign(new Error('Event pm.planning.TaskRenamed breaks its contract at /taskId: secret detail'), { code: 'EVENT_CONTRACT_VIOLATION', kind: 'internal' });
    const { problem, logAsError } = toProblem(bug, { instance: '/x' });
    expect(problem).toMatchObject({ status: 500, code: 'EVENT_CONTRACT_VIOLATION', title: 'Event contract violation' });
    expect(JSON.stringify(problem)).not.toContain('secret');
    expect(logAsError).toBe(true);
  });

  it('does not take just any code from an unknown error', () => {
    const odd = Object.assign(new Error('x'), { code: 'E_NOT_A_PROBLEM_CODE' });
    expect(toProblem(odd, { instance: '/x' }).problem).toMatchObject({ status: 500, code: 'INTERNAL_ERROR' });
  });

  describe('never carries driver errors, SQL states or stack traces', () => {
    const pgError = () =>
      Object.assign(new Error('duplicate key value violates unique constraint "es_events_pkey"'), {
        code: '23505',
        severity: 'ERROR',
        routine: '_bt_check_unique',
        detail: 'Key (stream_id)=(budget:acme:p-1) already exists.',
      });

    it('answers a raw PostgreSQL error with 500 INTERNAL_ERROR, even one that happens to carry a domain-like kind', () => {
      for (const error of [pgError(), Object.assign(pgError(), { kind: 'invalid' })]) {
        const { problem } = toProblem(error, { instance: '/x' });
        expect(problem).toMatchObject({ status: 500, code: 'INTERNAL_ERROR' });
        expect(JSON.stringify(problem)).not.toMatch(/23505|duplicate key|es_events|acme/);
      }
    });

    it('answers a TypeORM QueryFailedError with 500, whatever it carries', () => {
      const wrapped = Object.assign(new Error('insert failed'), { name: 'QueryFailedError', driverError: pgError(), code: 'X', kind: 'conflict' });
      expect(toProblem(wrapped, { instance: '/x' }).problem).toMatchObject({ status: 500, code: 'INTERNAL_ERROR' });
    });

    it.each([
      ['a parenthesised SQL state', 'Event data holds text PostgreSQL cannot store (22P05)'],
      ['a constraint violation', 'insert or update on table "x" violates foreign key constraint "x_fk"'],
      ['a stack trace', 'Boom\n    at Object.<anonymous> (/app/libs/x.ts:10:5)'],
      ['a connection string', 'could not reach postgres://admin:hunter2@db:5432/pm'],
    ])('replaces a domain message quoting %s with the title of its code', (_case, message) => {
      const error = Object.assign(new Error(message), { code: 'INVALID_APPEND', kind: 'invalid' });
      const { problem } = toProblem(error, { instance: '/x' });
      expect(problem).toMatchObject({ status: 422, code: 'INVALID_APPEND', detail: 'Invalid append.' });
    });

    it('drops driver fields, errors and leaky strings from details, and keeps the facts', () => {
      const error = Object.assign(new Error('Version conflict'), {
        code: 'EXPECTED_VERSION_CONFLICT',
        kind: 'conflict',
        details: { expected: 3, actual: 4, stack: 'Error\n    at x (y.ts:1:1)', cause: pgError(), sqlState: '40001', note: 'SQLSTATE 40001' },
      });
      expect(toProblem(error, { instance: '/x' }).problem.details).toEqual({ expected: 3, actual: 4 });
    });

    it('keeps ordinary business messages as they are', () => {
      const error = Object.assign(new Error('Task t-1 finishes before it starts'), { code: 'TASK_DATES_INVALID', kind: 'invalid' });
      expect(toProblem(error, { instance: '/x' }).problem.detail).toBe('Task t-1 finishes before it starts');
    });
  });
});

describe('toProblem of a database timeout', () => {
  it('answers a statement cancelled by statement_timeout, or a session ended idle in a transaction, with 503 QUERY_TIMED_OUT and Retry-After', () => {
    const cancelled = Object.assign(new Error('canceling statement due to statement timeout'), { code: '57014', severity: 'ERROR' });
    const wrapped = Object.assign(new Error('QueryFailedError'), { driverError: { code: '25P03' } });
    for (const error of [cancelled, wrapped]) {
      const { problem, headers, logAsError } = toProblem(error, { instance: '/x' });
      expect(problem).toMatchObject({ status: 503, code: 'QUERY_TIMED_OUT' });
      expect(JSON.stringify(problem)).not.toContain('canceling');
      expect(headers).toEqual({ 'Retry-After': '1' });
      expect(logAsError).toBe(true);
    }
  });
});

describe('toProblem of a database that cannot be reached', () => {
  it('answers too many connections, a server shutting down, a refused socket or a pool that could not connect with 503 DATABASE_UNAVAILABLE and Retry-After', () => {
    const errors = [
      Object.assign(new Error('sorry, too many clients already'), { code: '53300', severity: 'FATAL' }),
      Object.assign(new Error('terminating connection due to administrator command'), { code: '57P01' }),
      Object.assign(new Error('the database system is starting up'), { code: '57P03' }),
      Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' }),
      new Error('timeout exceeded when trying to connect'),
      new Error('Connection terminated unexpectedly'),
      Object.assign(new Error('QueryFailedError'), { driverError: { code: '08006' } }),
    ];
    for (const error of errors) {
      const { problem, headers } = toProblem(error, { instance: '/x' });
      expect(problem).toMatchObject({ status: 503, code: 'DATABASE_UNAVAILABLE' });
      expect(JSON.stringify(problem)).not.toMatch(/clients|ECONNREFUSED|5432|terminated/);
      expect(headers).toEqual({ 'Retry-After': '2' });
    }
  });

  it('still answers a bug (a plain error, a unique violation the code did not expect) with 500', () => {
    expect(toProblem(new Error('undefined is not a function'), { instance: '/x' }).problem.status).toBe(500);
    expect(toProblem(Object.assign(new Error('duplicate key'), { code: '23505' }), { instance: '/x' }).problem.status).toBe(500);
  });
});
