import { deciderSpecification } from '../testing/decider-specification';
import { projectDecider } from './project.decider';
import type { ProjectEvent } from './project.events';
import { projectStreamId, toProjectId } from './project.ids';
import { meta, now, projectCreated, projectId, projectIn } from './project.spec-fixtures';

const spec = deciderSpecification(projectDecider);

describe('Project', () => {
  it('names its stream project:<tenant>:<id>, each part encoded so none can forge another', () => {
    expect(projectStreamId('acme', toProjectId('abc'))).toBe('project:acme:abc');
    expect(projectStreamId('a:b', 'c')).toBe('project:a%3Ab:c');
    expect(projectStreamId('a', 'b:c')).not.toBe(projectStreamId('a:b', 'c'));
  });

  describe('when not yet created', () => {
    it('creates it with the contract defaults', () => {
      spec.given([]).when({ type: 'CreateProject', data: { projectId, name: '  ERP roll-out ' }, metadata: meta }).then([
        {
          type: 'ProjectCreated',
          data: {
            projectId,
            name: 'ERP roll-out',
            code: null,
            description: null,
            startDate: null,
            targetFinishDate: null,
            status: 'initiating',
            priority: 'medium',
            sponsor: null,
            managerId: null,
            currency: 'EUR',
            calendarId: null,
            createdAt: now,
          },
        },
      ]);
    });

    it('keeps every given field', () => {
      const [event] = spec
        .given([])
        .when({
          type: 'CreateProject',
          data: {
            projectId,
            name: 'CRM',
            code: 'CRM-1',
            description: 'Replace the CRM',
            startDate: '2025-04-01',
            targetFinishDate: '2025-04-01',
            priority: 'critical',
            sponsor: 'user:sam',
            managerId: 'user:mia',
            currency: 'USD',
            calendarId: 'cal-de',
          },
          metadata: meta,
        })
        .events();
      expect(event).toMatchObject({
        data: { code: 'CRM-1', description: 'Replace the CRM', startDate: '2025-04-01', targetFinishDate: '2025-04-01', priority: 'critical', currency: 'USD', calendarId: 'cal-de' },
      });
    });

    it('rejects a blank name', () => {
      spec.given([]).when({ type: 'CreateProject', data: { projectId, name: '   ' }, metadata: meta }).thenRejects('PROJECT_NAME_REQUIRED', 'invalid');
    });

    it('rejects a target finish before the start', () => {
      spec
        .given([])
        .when({ type: 'CreateProject', data: { projectId, name: 'X', startDate: '2025-05-02', targetFinishDate: '2025-05-01' }, metadata: meta })
        .thenRejects('PROJECT_FINISH_BEFORE_START', 'invalid');
    });

    it('rejects an impossible date and a malformed currency', () => {
      spec.given([]).when({ type: 'CreateProject', data: { projectId, name: 'X', startDate: '2025-02-30' }, metadata: meta }).thenRejects('INVALID_DATE');
      spec.given([]).when({ type: 'CreateProject', data: { projectId, name: 'X', currency: 'euro' }, metadata: meta }).thenRejects('PROJECT_CURRENCY_INVALID');
    });

    it('rejects text longer than the published contract allows', () => {
      const error = spec.given([]).when({ type: 'CreateProject', data: { projectId, name: 'X', code: 'C'.repeat(33) }, metadata: meta }).thenRejectsWith('PROJECT_TEXT_TOO_LONG', 'invalid');
      expect(error.details).toEqual({ field: 'code', max: 32 });
      spec.given([]).when({ type: 'CreateProject', data: { projectId, name: 'N'.repeat(201) }, metadata: meta }).thenRejects('PROJECT_TEXT_TOO_LONG');
    });

    it('rejects any other command as not found', () => {
      spec.given([]).when({ type: 'ResumeProject', data: { projectId }, metadata: meta }).thenRejects('PROJECT_NOT_FOUND', 'not-found');
    });
  });

  describe('when it already exists', () => {
    it('rejects creating it again', () => {
      spec.given([projectCreated()]).when({ type: 'CreateProject', data: { projectId, name: 'ERP roll-out' }, metadata: meta }).thenRejects('PROJECT_ALREADY_EXISTS', 'conflict');
    });
  });

  describe('when renaming', () => {
    it('renames it, keeping the previous name as the v2 contract requires', () => {
      spec.given([projectCreated()]).when({ type: 'RenameProject', data: { projectId, name: 'ERP consolidation', reason: ' Both subsidiaries ' }, metadata: meta }).then([
        { type: 'ProjectRenamed', data: { projectId, name: 'ERP consolidation', previousName: 'ERP roll-out', reason: 'Both subsidiaries' } },
      ]);
    });

    it('does nothing for the name it already has', () => {
      spec.given([projectCreated()]).when({ type: 'RenameProject', data: { projectId, name: ' ERP roll-out' }, metadata: meta }).thenNothingHappens();
    });

    it('rejects a blank name', () => {
      spec.given([projectCreated()]).when({ type: 'RenameProject', data: { projectId, name: '' }, metadata: meta }).thenRejects('PROJECT_NAME_REQUIRED', 'invalid');
    });
  });

  describe('when executing', () => {
    const executing = projectIn('executing');

    it('puts it on hold, remembering the phase', () => {
      spec.given(executing).when({ type: 'PutProjectOnHold', data: { projectId, reason: 'Budget freeze' }, metadata: meta }).then([
        { type: 'ProjectPutOnHold', data: { projectId, previousStatus: 'executing', reason: 'Budget freeze', heldBy: 'user:alice', heldAt: now } },
      ]);
    });

    it('rejects a hold without a reason', () => {
      spec.given(executing).when({ type: 'PutProjectOnHold', data: { projectId, reason: ' ' }, metadata: meta }).thenRejects('HOLD_REASON_REQUIRED', 'invalid');
    });

    it('rejects resuming a project that is not on hold', () => {
      spec.given(executing).when({ type: 'ResumeProject', data: { projectId }, metadata: meta }).thenRejects('PROJECT_NOT_ON_HOLD', 'conflict');
    });

    it('cancels it', () => {
      spec.given(executing).when({ type: 'CancelProject', data: { projectId, reason: 'Strategy changed' }, metadata: meta }).then([
        { type: 'ProjectCancelled', data: { projectId, previousStatus: 'executing', reason: 'Strategy changed', cancelledBy: 'user:alice', cancelledAt: now } },
      ]);
    });
  });

  describe('when initiating', () => {
    it('rejects a hold: there is nothing to pause yet', () => {
      spec.given(projectIn('initiating')).when({ type: 'PutProjectOnHold', data: { projectId, reason: 'x' }, metadata: meta }).thenRejects('PROJECT_HOLD_NOT_ALLOWED', 'conflict');
    });
  });

  describe('when on hold', () => {
    const onHold: ProjectEvent[] = [
      ...projectIn('planning'),
      { type: 'ProjectPutOnHold', data: { projectId, previousStatus: 'planning', reason: 'Waiting for funds', heldBy: 'user:mia', heldAt: now } },
    ];

    it('resumes to the phase it interrupted', () => {
      spec.given(onHold).when({ type: 'ResumeProject', data: { projectId }, metadata: meta }).then([
        { type: 'ProjectResumed', data: { projectId, resumedTo: 'planning', resumedBy: 'user:alice', resumedAt: now } },
      ]);
      const resumed = [...onHold, ...spec.given(onHold).when({ type: 'ResumeProject', data: { projectId }, metadata: meta }).events()];
      expect(spec.given(resumed).state.status).toBe('planning');
    });

    it('does nothing when put on hold again', () => {
      spec.given(onHold).when({ type: 'PutProjectOnHold', data: { projectId, reason: 'again' }, metadata: meta }).thenNothingHappens();
    });

    it('can be cancelled', () => {
      spec.given(onHold).when({ type: 'CancelProject', data: { projectId, reason: 'No funds' }, metadata: meta }).then([
        { type: 'ProjectCancelled', data: { projectId, previousStatus: 'on-hold', reason: 'No funds', cancelledBy: 'user:alice', cancelledAt: now } },
      ]);
    });
  });

  describe('when cancelled', () => {
    const cancelled: ProjectEvent[] = [
      projectCreated(),
      { type: 'ProjectCancelled', data: { projectId, previousStatus: 'initiating', reason: 'x', cancelledBy: 'user:mia', cancelledAt: now } },
    ];

    it('does nothing when cancelled again', () => {
      spec.given(cancelled).when({ type: 'CancelProject', data: { projectId, reason: 'again' }, metadata: meta }).thenNothingHappens();
    });

    it('rejects a hold', () => {
      spec.given(cancelled).when({ type: 'PutProjectOnHold', data: { projectId, reason: 'x' }, metadata: meta }).thenRejects('PROJECT_CANCELLED', 'conflict');
    });
  });

  describe('when closed', () => {
    const closed: ProjectEvent[] = [
      ...projectIn('closing'),
      { type: 'ProjectClosed', data: { projectId, gateId: 'gate-closed', closedAt: now } },
    ];

    it('rejects cancelling a finished project', () => {
      spec.given(closed).when({ type: 'CancelProject', data: { projectId, reason: 'x' }, metadata: meta }).thenRejects('PROJECT_CLOSED', 'conflict');
    });
  });

  it('rejects an unknown command type sent as raw JSON', () => {
    const raw = { type: 'DeleteEverything', data: {}, metadata: meta } as never;
    spec.given([]).when(raw).thenRejects('UNKNOWN_COMMAND', 'invalid');
  });

  it('ignores an unknown event type on replay', () => {
    const state = spec.given([projectCreated()]).state;
    expect(projectDecider.evolve(state, { type: 'FromTheFuture', data: {} } as never)).toBe(state);
  });
});
