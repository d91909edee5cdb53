import { afterEach, describe, expect, it } from '@jest/globals';
import { fetchTaskNames, subjectLabel } from './risk-subject';
import type { AutomaticSubject } from './risk.types';

const subject = (kind: string, ids: Partial<AutomaticSubject> = {}): AutomaticSubject => ({ kind, projectId: 'p1', taskId: null, resourceId: null, riskId: null, actionId: null, ...ids });
const names = { tasks: new Map([['design', 'Design'], ['build', 'Build'], ['go-live', 'Go-live']]), people: new Map([['ada', 'Ada Lovelace']]) };

describe('subjectLabel', () => {
  it('tells apart two risks of one rule by the person and the task, by name', () => {
    expect(subjectLabel(subject('resource-on-task', { resourceId: 'ada', taskId: 'design' }), names)).toBe('Ada Lovelace on Design');
    expect(subjectLabel(subject('resource-on-task', { resourceId: 'ada', taskId: 'build' }), names)).toBe('Ada Lovelace on Build');
    expect(subjectLabel(subject('milestone', { taskId: 'go-live' }), names)).toBe('milestone Go-live');
    expect(subjectLabel(subject('mitigation-action', { riskId: 'r1', actionId: 'a7' }), names)).toBe('mitigation action a7');
  });

  it('falls back to the ids the screen cannot name yet, and says nothing for a project-wide rule', () => {
    expect(subjectLabel(subject('resource-on-task', { resourceId: 'bob', taskId: 'test' }), names)).toBe('resource bob on task test');
    expect(subjectLabel(subject('project'), names)).toBeNull();
  });
});

describe('fetchTaskNames', () => {
  const realFetch = globalThis.fetch;
  afterEach(() => {
    globalThis.fetch = realFetch;
  });

  it('reads only the names, page after page, until the schedule says there is no next page', async () => {
    const asked: string[] = [];
    const pages: Record<string, unknown> = {
      '': { tasks: [{ taskId: 't1', name: 'Design' }, { taskId: 't2', name: 'Build' }], page: { next: '1.2' } },
      '1.2': { tasks: [{ taskId: 't3', name: 'Go-live' }], page: { next: null } },
    };
    globalThis.fetch = (async (url: string) => {
      asked.push(url);
      const after = new URL(url, 'http://web').searchParams.get('after') ?? '';
      return new Response(JSON.stringify(pages[after]), { status: 200, headers: { 'content-type': 'application/json' } });
    }) as typeof fetch;
    const names = await fetchTaskNames('p 1');
    expect([...names]).toEqual([['t1', 'Design'], ['t2', 'Build'], ['t3', 'Go-live']]);
    expect(asked).toEqual([
      '/api/planning/projects/p%201/schedule?fields=name&limit=5000',
      '/api/planning/projects/p%201/schedule?fields=name&limit=5000&after=1.2',
    ]);
  });
});
