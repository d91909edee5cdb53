import { deciderSpecification } from '@pm/shared/ddd/testing';
import { history, ids, meta, now } from './register.spec-fixtures';
import type { DefineRiskScheduleImpact } from './risk.commands';
import type { RiskStreamEvent, RiskTaskDelay } from './risk-register.events';
import { riskDecider } from './risk.decider';
import { riskId } from './register.spec-fixtures';

const spec = deciderSpecification(riskDecider);
const delay = (taskId: string, min = 2, mostLikely = 5, max = 10): RiskTaskDelay => ({ taskId, delayDays: { min, mostLikely, max } });
const define = (tasks: readonly RiskTaskDelay[], knownTaskIds: readonly string[] | null = null): DefineRiskScheduleImpact => ({
  type: 'DefineRiskScheduleImpact',
  data: { riskId, tasks },
  knownTaskIds,
  metadata: meta,
});
const defined = (tasks: readonly RiskTaskDelay[]): RiskStreamEvent => ({ type: 'RiskScheduleImpactDefined', data: { ...ids, tasks, definedBy: meta.actor, definedAt: now } });

describe('Risk schedule impact (risk ↔ task link)', () => {
  describe('when the threat is open', () => {
    it('links the tasks it delays, in task id order', () => {
      spec.given(history.assessed()).when(define([delay('migrate', 0, 1, 3), delay('install')])).then([defined([delay('install'), delay('migrate', 0, 1, 3)])]);
    });

    it('links tasks of an identified, not yet assessed threat, and keeps client ids such as constructor as data', () => {
      spec.given(history.identified()).when(define([delay('constructor'), delay('__proto__')], ['__proto__', 'constructor'])).then([defined([delay('__proto__'), delay('constructor')])]);
    });

    it('replaces the previous link, and an empty list clears it', () => {
      spec.given([...history.responding(), defined([delay('install')])]).when(define([delay('test', 1, 1, 1)])).then([defined([delay('test', 1, 1, 1)])]);
      spec.given([...history.monitoring(), defined([delay('install')])]).when(define([])).then([defined([])]);
    });

    it('changes nothing when the same link is defined again, in any order', () => {
      spec.given([...history.assessed(), defined([delay('a'), delay('b')])]).when(define([delay('b'), delay('a')])).thenNothingHappens();
      spec.given(history.assessed()).when(define([])).thenNothingHappens();
    });

    it('checks the task ids against the plan copy when it has the schedule, not when it has none yet', () => {
      const error = spec.given(history.assessed()).when(define([delay('install'), delay('ghost')], ['install'])).thenRejectsWith('RISK_SCHEDULE_IMPACT_UNKNOWN_TASK', 'invalid');
      expect(error.details).toEqual({ taskIds: ['ghost'] });
      spec.given(history.assessed()).when(define([delay('install')], [])).thenRejects('RISK_SCHEDULE_IMPACT_UNKNOWN_TASK');
      spec.given(history.assessed()).when(define([delay('anything')], null)).then([defined([delay('anything')])]);
    });

    it('rejects a delay out of order, out of range or all zero', () => {
      spec.given(history.assessed()).when(define([delay('install', 5, 2, 10)])).thenRejects('RISK_DELAY_NOT_ORDERED', 'invalid');
      spec.given(history.assessed()).when(define([delay('install', 1, 5, 4)])).thenRejects('RISK_DELAY_NOT_ORDERED');
      spec.given(history.assessed()).when(define([delay('install', -1, 5, 10)])).thenRejects('RISK_DELAY_INVALID', 'invalid');
      spec.given(history.assessed()).when(define([delay('install', 0, 0, 0)])).thenRejects('RISK_DELAY_INVALID');
      spec.given(history.assessed()).when(define([delay('install', 0, 5, 1001)])).thenRejects('RISK_DELAY_INVALID');
      spec.given(history.assessed()).when(define([delay('install', 0, Number.NaN, 10)])).thenRejects('RISK_DELAY_INVALID');
    });

    it('rejects more than 50 tasks, a task named twice and an invalid task id', () => {
      const many = Array.from({ length: 51 }, (_, i) => delay(`t${i}`));
      spec.given(history.assessed()).when(define(many)).thenRejects('RISK_SCHEDULE_IMPACT_TOO_MANY_TASKS', 'invalid');
      expect(spec.given(history.assessed()).when(define(many.slice(0, 50))).events()).toHaveLength(1);
      spec.given(history.assessed()).when(define([delay('install'), delay('install', 1, 1, 1)])).thenRejects('RISK_SCHEDULE_IMPACT_DUPLICATE_TASK', 'invalid');
      spec.given(history.assessed()).when(define([delay(' install')])).thenRejects('INVALID_ID');
      spec.given(history.assessed()).when(define([delay('')])).thenRejects('INVALID_ID');
    });
  });

  describe('when the risk is not an open threat', () => {
    it('rejects a closed risk, an occurred risk, an opportunity and a risk never identified', () => {
      spec.given(history.closed()).when(define([delay('install')])).thenRejects('RISK_CLOSED', 'conflict');
      spec.given(history.occurred()).when(define([delay('install')])).thenRejects('RISK_OCCURRED', 'conflict');
      spec.given(history.assessed('opportunity')).when(define([delay('install')])).thenRejects('RISK_SCHEDULE_IMPACT_NOT_A_THREAT', 'conflict');
      spec.given([]).when(define([delay('install')])).thenRejects('RISK_NOT_FOUND', 'not-found');
    });
  });

  it('folds the link into the state and keeps it through other events', () => {
    const events = [...history.assessed(), defined([delay('install')]), ...history.responding().slice(3)];
    const state = events.reduce(riskDecider.evolve, riskDecider.initialState());
    expect(state.status !== 'not-identified' && state.risk.scheduleImpact).toEqual([delay('install')]);
  });
});
