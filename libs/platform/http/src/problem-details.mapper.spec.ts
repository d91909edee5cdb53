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
