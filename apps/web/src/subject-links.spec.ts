import { describe, expect, it } from '@jest/globals';
import { inAppPathOfEmailLink, subjectPath } from './subject-links';

describe('subjectPath', () => {
  it('opens each kind where the dashboard shows it', () => {
    expect(subjectPath({ kind: 'project', id: 'p1', projectId: 'p1' })).toBe('/projects/p1');
    expect(subjectPath({ kind: 'task', id: 'build', projectId: 'p1' })).toBe('/projects/p1?task=build');
    expect(subjectPath({ kind: 'risk', id: 'r 1', projectId: 'p1' })).toBe('/risk?project=p1&risk=r%201');
    expect(subjectPath({ kind: 'resource', id: 'res', projectId: 'p1' })).toBe('/resources?project=p1');
    expect(subjectPath({ kind: 'change-request', id: 'cr', projectId: 'p1' })).toBe('/projects/p1');
    expect(subjectPath({ kind: 'webhook-endpoint', id: 'w', projectId: null })).toBeNull();
  });

  it('escapes ids, so a hostile one stays inside its query value', () => {
    expect(subjectPath({ kind: 'task', id: '../x?y=1&z', projectId: '__proto__' })).toBe('/projects/__proto__?task=..%2Fx%3Fy%3D1%26z');
  });
});

describe('inAppPathOfEmailLink', () => {
  it("turns an e-mail's link to a task, a risk or a gate into the screen that shows it", () => {
    expect(inAppPathOfEmailLink('/projects/p1/tasks/build')).toBe('/projects/p1?task=build');
    expect(inAppPathOfEmailLink('/projects/p1/risks/r%201')).toBe('/risk?project=p1&risk=r%201');
    expect(inAppPathOfEmailLink('/projects/p1/phase-gates/g1')).toBe('/projects/p1');
  });

  it('leaves other paths and malformed escapes alone', () => {
    expect(inAppPathOfEmailLink('/projects/p1')).toBeNull();
    expect(inAppPathOfEmailLink('/portfolio')).toBeNull();
    expect(inAppPathOfEmailLink('/projects/p1/tasks/%E0%A4%A')).toBeNull();
  });
});
