import type { RiskStreamEvent } from '@pm/risk/domain';
import { ACTION_DUE, REVIEW_DUE, dueChangesOf } from './due-items';

const ids = { riskId: '3a7c1e5b-9d2f-4b6a-8c1e-2f3a4b5c6d7e', projectId: '7c9e6679-7425-40de-944b-e07fc1f90ae7' };
const at = '2026-03-03T09:00:00.000Z';
const ev = (type: string, data: object) => ({ type, data: { ...ids, ...data } }) as unknown as RiskStreamEvent;

describe('Due items of decided risk events', () => {
  it('schedules a review and an action at the end of their day (UTC), keyed by risk and action', () => {
    expect(
      dueChangesOf('t', [
        ev('RiskReviewScheduled', { reviewOn: '2026-04-01', previousReviewOn: null, scheduledBy: 'user:pm', scheduledAt: at }),
        ev('MitigationActionAdded', { responseId: 'r', actionId: 'constructor', description: 'd', ownerId: 'o', dueOn: '2026-03-20', cost: null, addedBy: 'user:pm', addedAt: at }),
      ]),
    ).toEqual([
      { schedule: { tenantId: 't', kind: REVIEW_DUE, key: ids.riskId, dueAt: new Date('2026-04-02T00:00:00.000Z'), payload: { riskId: ids.riskId, reviewOn: '2026-04-01' } }, dueOn: '2026-04-01' },
      { schedule: { tenantId: 't', kind: ACTION_DUE, key: `${ids.riskId}:constructor`, dueAt: new Date('2026-03-21T00:00:00.000Z'), payload: { riskId: ids.riskId, actionId: 'constructor', dueOn: '2026-03-20' } }, dueOn: '2026-03-20' },
    ]);
  });

  it('cancels a completed action and the review of a risk that is closed or occurred, and ignores the rest', () => {
    expect(
      dueChangesOf('t', [
        ev('MitigationActionCompleted', { actionId: 'a', note: null, completedBy: 'user:o', completedAt: at }),
        ev('RiskStatusChanged', { from: 'monitoring', to: 'closed', reason: 'r', changedBy: 'user:pm', changedAt: at }),
        ev('RiskStatusChanged', { from: 'assessed', to: 'responding', reason: null, changedBy: 'user:pm', changedAt: at }),
        ev('RiskOwnerAssigned', { ownerId: 'o', previousOwnerId: null, assignedBy: 'user:pm', assignedAt: at }),
      ]),
    ).toEqual([{ cancel: { kind: ACTION_DUE, key: `${ids.riskId}:a` } }, { cancel: { kind: REVIEW_DUE, key: ids.riskId } }]);
  });
});
