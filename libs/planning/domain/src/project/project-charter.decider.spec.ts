import { deciderSpecification } from '../testing/decider-specification';
import { projectDecider } from './project.decider';
import type { ProjectEvent } from './project.events';
import { toKpiId, toObjectiveId } from './project.ids';
import { meta, now, projectCreated, projectId, projectIn } from './project.spec-fixtures';

const spec = deciderSpecification(projectDecider);
const objectiveId = toObjectiveId('obj-1');
const kpiId = toKpiId('kpi-1');
const kpis = [{ kpiId, name: 'Order lead time', target: 2, unit: 'days' }];
const objectiveDefined: ProjectEvent = {
  type: 'ObjectiveDefined',
  data: { projectId, objectiveId, description: 'Ship orders faster', kpis, definedAt: now },
};

describe('Project', () => {
  describe('when defining objectives', () => {
    it('defines an objective with measurable KPIs', () => {
      spec
        .given([projectCreated()])
        .when({ type: 'DefineObjective', data: { projectId, objectiveId, description: 'Ship orders faster ', kpis: [{ ...kpis[0], unit: ' days ' }] }, metadata: meta })
        .then([objectiveDefined]);
    });

    it('does nothing when the same objective is defined again', () => {
      spec.given([projectCreated(), objectiveDefined]).when({ type: 'DefineObjective', data: { projectId, objectiveId, description: 'Ship orders faster', kpis }, metadata: meta }).thenNothingHappens();
    });

    it('rejects redefining it differently', () => {
      spec
        .given([projectCreated(), objectiveDefined])
        .when({ type: 'DefineObjective', data: { projectId, objectiveId, description: 'Ship orders faster', kpis: [{ ...kpis[0], target: 1 }] }, metadata: meta })
        .thenRejects('OBJECTIVE_ALREADY_DEFINED', 'conflict');
    });

    it.each([
      ['OBJECTIVE_KPI_REQUIRED', []],
      ['KPI_UNIT_REQUIRED', [{ kpiId, name: 'x', target: 1, unit: ' ' }]],
      ['KPI_TARGET_INVALID', [{ kpiId, name: 'x', target: Number.NaN, unit: '%' }]],
      ['KPI_DUPLICATE', [...kpis, ...kpis]],
    ])('rejects an objective that is not measurable (%s)', (code, badKpis) => {
      spec.given([projectCreated()]).when({ type: 'DefineObjective', data: { projectId, objectiveId, description: 'x', kpis: badKpis }, metadata: meta }).thenRejects(code, 'invalid');
    });
  });

  describe('when recording KPI actuals', () => {
    const given = [projectCreated(), objectiveDefined];

    it('records an actual', () => {
      spec.given(given).when({ type: 'RecordKpiActual', data: { projectId, objectiveId, kpiId, actual: 3.5, measuredOn: '2025-06-30' }, metadata: meta }).then([
        { type: 'KpiActualRecorded', data: { projectId, objectiveId, kpiId, actual: 3.5, measuredOn: '2025-06-30', recordedAt: now } },
      ]);
    });

    it('does nothing when the same measurement is recorded twice', () => {
      const recorded: ProjectEvent = { type: 'KpiActualRecorded', data: { projectId, objectiveId, kpiId, actual: 3.5, measuredOn: '2025-06-30', recordedAt: now } };
      spec.given([...given, recorded]).when({ type: 'RecordKpiActual', data: { projectId, objectiveId, kpiId, actual: 3.5, measuredOn: '2025-06-30' }, metadata: meta }).thenNothingHappens();
    });

    it('rejects an unknown KPI', () => {
      spec
        .given(given)
        .when({ type: 'RecordKpiActual', data: { projectId, objectiveId, kpiId: toKpiId('nope'), actual: 1, measuredOn: '2025-06-30' }, metadata: meta })
        .thenRejects('KPI_NOT_FOUND', 'not-found');
    });

    it('still records benefits after the project closed', () => {
      const closed: ProjectEvent[] = [...projectIn('closing'), objectiveDefined, { type: 'ProjectClosed', data: { projectId, gateId: 'g', closedAt: now } }];
      const events = spec.given(closed).when({ type: 'RecordKpiActual', data: { projectId, objectiveId, kpiId, actual: 2, measuredOn: '2026-01-31' }, metadata: meta }).events();
      expect(events).toHaveLength(1);
    });
  });

  describe('when cancelled', () => {
    it('rejects KPI actuals: a cancelled project delivered nothing to measure', () => {
      const cancelled: ProjectEvent[] = [
        projectCreated(),
        objectiveDefined,
        { type: 'ProjectCancelled', data: { projectId, previousStatus: 'initiating', reason: 'x', cancelledBy: 'user:mia', cancelledAt: now } },
      ];
      spec
        .given(cancelled)
        .when({ type: 'RecordKpiActual', data: { projectId, objectiveId, kpiId, actual: 2, measuredOn: '2025-06-30' }, metadata: meta })
        .thenRejects('PROJECT_CANCELLED', 'conflict');
    });
  });

  describe('when defining the scope statement', () => {
    const scope = { statement: 'Roll out ERP to 3 plants', inScope: ['Finance', ' '], outOfScope: ['HR'] };

    it('defines it while planning', () => {
      spec.given(projectIn('planning')).when({ type: 'DefineScopeStatement', data: { projectId, ...scope }, metadata: meta }).then([
        {
          type: 'ScopeStatementDefined',
          data: { projectId, statement: 'Roll out ERP to 3 plants', inScope: ['Finance'], outOfScope: ['HR'], assumptions: [], constraints: [], definedAt: now },
        },
      ]);
    });

    it('does nothing when the same statement is defined again', () => {
      const defined = spec.given(projectIn('planning')).when({ type: 'DefineScopeStatement', data: { projectId, ...scope }, metadata: meta }).events();
      spec.given([...projectIn('planning'), ...defined]).when({ type: 'DefineScopeStatement', data: { projectId, ...scope }, metadata: meta }).thenNothingHappens();
    });

    it('rejects a scope change during execution', () => {
      spec.given(projectIn('executing')).when({ type: 'DefineScopeStatement', data: { projectId, ...scope }, metadata: meta }).thenRejects('SCOPE_FROZEN', 'conflict');
    });
  });

  describe('when setting the status date', () => {
    it('sets it', () => {
      spec.given(projectIn('executing')).when({ type: 'SetProjectStatusDate', data: { projectId, statusDate: '2025-06-30' }, metadata: meta }).then([
        { type: 'ProjectStatusDateSet', data: { projectId, statusDate: '2025-06-30', setAt: now } },
      ]);
    });

    it('does nothing when it is already that date', () => {
      const set: ProjectEvent = { type: 'ProjectStatusDateSet', data: { projectId, statusDate: '2025-06-30', setAt: now } };
      spec.given([...projectIn('executing'), set]).when({ type: 'SetProjectStatusDate', data: { projectId, statusDate: '2025-06-30' }, metadata: meta }).thenNothingHappens();
    });

    it('rejects a status date before the project start', () => {
      spec
        .given(projectIn('executing'))
        .when({ type: 'SetProjectStatusDate', data: { projectId, statusDate: '2025-01-31' }, metadata: meta })
        .thenRejects('STATUS_DATE_BEFORE_PROJECT_START', 'invalid');
    });
  });
});
