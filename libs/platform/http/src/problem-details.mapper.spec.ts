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
    const odd = Object.assign(new Error('x'), { code: 'ECONNRESET' });
    expect(toProblem(odd, { instance: '/x' }).problem).toMatchObject({ status: 500, code: 'INTERNAL_ERROR' });
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
