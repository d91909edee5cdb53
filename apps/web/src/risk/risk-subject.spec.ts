import { describe, expect, it } from '@jest/globals';
import { subjectLabel } from './risk-subject';
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
