import { describe, expect, it } from '@jest/globals';
import { ApiProblem, ConnectionLost } from './api';
import { explain } from './problems';

const problem = (status: number, body: ConstructorParameters<typeof ApiProblem>[1]) => new ApiProblem(status, body);

describe('explain', () => {
  it('puts a known code in words with what to do, and lists the fields a validation named', () => {
    const e = explain(problem(400, { code: 'VALIDATION_FAILED', errors: [{ path: '/name', message: 'Too long' }, { path: '/tasks/0/durationDays', message: 'Must be ≥ 0' }] }));
    expect(e.what).toBe('Some of what was sent is not valid.');
    expect(e.fields).toEqual(['name: Too long', 'tasks › 0 › durationDays: Must be ≥ 0']);
    expect(explain(problem(409, { code: 'EXPECTED_VERSION_CONFLICT' })).todo).toMatch(/send yours again/);
    expect(explain(problem(503, { code: 'DATABASE_UNAVAILABLE' })).what).toMatch(/database/);
  });

  it("takes an unknown code's words from the service and the next step from the kind of answer", () => {
    const refused = explain(problem(403, { code: 'CHANGE_APPROVER_NOT_ALLOWED', title: 'Not allowed to approve', detail: 'The impact is above your limit' }));
    expect(refused).toMatchObject({ what: 'Not allowed to approve: The impact is above your limit', todo: expect.stringMatching(/authority/) });
    expect(explain(problem(409, { code: 'LEVELLING_PROPOSAL_STALE', title: 'Stale' })).todo).toMatch(/state changed/);
    expect(explain(problem(404, { code: 'TASK_NOT_FOUND', title: 'Task not found' })).todo).toMatch(/removed/);
    expect(explain(problem(422, { code: 'SOMETHING_ELSE', title: 'Nope' })).todo).toBe('Check what you entered and try again.');
    expect(explain(problem(500, { code: 'SOMETHING_ELSE' })).what).toBe('The server answered 500.');
  });

  it('never shows a proxy’s HTML: a bare 502 is a platform that is not answering', () => {
    const bare = explain(problem(502, { status: 502 }));
    expect(bare.what).toBe('The platform is not answering right now.');
    expect(bare.todo).toMatch(/try again/);
  });

  it('says a lost connection recovers on its own and keeps the trace id as a reference', () => {
    expect(explain(new ConnectionLost('x')).todo).toMatch(/recovers/);
    expect(explain(problem(500, { code: 'INTERNAL_ERROR', traceId: 'abc123' })).reference).toBe('reference abc123');
    expect(explain(new Error('boom')).todo).toBe('Reload the page.');
  });
});
