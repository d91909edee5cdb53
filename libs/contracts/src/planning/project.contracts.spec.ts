import type { ProjectCreatedV1, ProjectRenamedV1 } from './project.contracts';
import { projectCreatedV1, projectCreatedV1Schema, upcastProjectRenamedV1ToV2 } from './project.contracts';

const valid: ProjectCreatedV1 = projectCreatedV1.example;

function issuePaths(data: unknown): string[] {
  const result = projectCreatedV1Schema.safeParse(data);
  return result.success ? [] : [...new Set(result.error.issues.map((issue) => issue.path.join('.')))];
}

describe('ProjectCreated v1', () => {
  it('accepts its example and leaves it unchanged', () => {
    expect(projectCreatedV1Schema.parse(valid)).toEqual(valid);
  });

  it('trims the name and the code', () => {
    const parsed = projectCreatedV1Schema.parse({ ...valid, name: '  ERP migration \n', code: ' ERP-1 ' });
    expect(parsed.name).toBe('ERP migration');
    expect(parsed.code).toBe('ERP-1');
  });

  it.each([
    ['a blank name', { name: '   ' }, 'name'],
    ['a name over 200 characters', { name: 'x'.repeat(201) }, 'name'],
    ['a code over 32 characters', { code: 'C'.repeat(33) }, 'code'],
    ['a description over 4000 characters', { description: 'd'.repeat(4001) }, 'description'],
    ['a start date that is not on the calendar', { startDate: '2023-02-29' }, 'startDate'],
    ['a start date in another format', { startDate: '01/09/2025' }, 'startDate'],
    ['a finish before the start', { startDate: '2025-09-02', targetFinishDate: '2025-09-01' }, 'targetFinishDate'],
    ['a status other than initiating', { status: 'active' }, 'status'],
    ['an unknown priority', { priority: 'urgent' }, 'priority'],
    ['a lower-case currency', { currency: 'eur' }, 'currency'],
    ['a four-letter currency', { currency: 'EURO' }, 'currency'],
    ['a creation time without an offset', { createdAt: '2025-07-14T09:30:00' }, 'createdAt'],
    ['a project id that is not a UUID', { projectId: 'project-1' }, 'projectId'],
  ])('rejects %s', (_case, change, path) => {
    expect(issuePaths({ ...valid, ...change })).toEqual([path]);
  });

  it('rejects fields that are not in v1 (a new field is a new version)', () => {
    expect(issuePaths({ ...valid, budget: 1000 })).toEqual(['']);
  });

  it('rejects a missing nullable field: absent is not the same as null', () => {
    const withoutSponsor: Record<string, unknown> = { ...valid };
    delete withoutSponsor['sponsor'];
    expect(issuePaths(withoutSponsor)).toEqual(['sponsor']);
  });

  it.each([
    ['a leap day', { startDate: '2024-02-29', targetFinishDate: '2024-03-01' }],
    ['a one-day project', { startDate: '2025-09-01', targetFinishDate: '2025-09-01' }],
    ['a finish date without a start date', { startDate: null, targetFinishDate: '2025-01-01' }],
    ['no dates, code, description or people yet', { startDate: null, targetFinishDate: null, code: null, description: null, sponsor: null, managerId: null }],
    ['a creation time with a UTC offset', { createdAt: '2025-07-14T11:30:00+02:00' }],
  ])('accepts %s', (_case, change) => {
    expect(issuePaths({ ...valid, ...change })).toEqual([]);
  });
});

describe('ProjectRenamed v1 -> v2 upcaster', () => {
  it('keeps id and name and records that the previous name and reason were not captured', () => {
    const v1: ProjectRenamedV1 = { projectId: '7c9e6679-7425-40de-944b-e07fc1f90ae7', name: 'New name' };
    expect(upcastProjectRenamedV1ToV2(v1)).toEqual({ ...v1, previousName: null, reason: null });
  });
});
