import { deciderSpecification } from '../testing/decider-specification';
import { projectDecider } from './project.decider';
import type { ProjectEvent } from './project.events';
import { toPhaseGateId } from './project.ids';
import { aManager, meta, now, pmoAdmin, projectCreated, projectId, projectIn, sponsor, theSponsor } from './project.spec-fixtures';

const spec = deciderSpecification(projectDecider);
const gateId = toPhaseGateId('g-1');
const requested = (fromPhase: 'initiating' | 'executing' | 'closing', toPhase: 'planning' | 'closing' | 'closed'): ProjectEvent => ({
  type: 'PhaseGateRequested',
  data: { projectId, gateId, fromPhase, toPhase, requestedBy: 'user:mia', requestedAt: now, note: null },
});

describe('Project', () => {
  describe('when initiating', () => {
    it('requests the gate into planning', () => {
      spec.given([projectCreated()]).when({ type: 'RequestPhaseGate', data: { projectId, gateId, note: ' charter ready ' }, metadata: meta }).then([
        {
          type: 'PhaseGateRequested',
          data: { projectId, gateId, fromPhase: 'initiating', toPhase: 'planning', requestedBy: 'user:alice', requestedAt: now, note: 'charter ready' },
        },
      ]);
    });

    it('does nothing when the same gate is requested again', () => {
      spec.given([projectCreated(), requested('initiating', 'planning')]).when({ type: 'RequestPhaseGate', data: { projectId, gateId }, metadata: meta }).thenNothingHappens();
    });

    it('rejects a second gate while one is pending', () => {
      spec
        .given([projectCreated(), requested('initiating', 'planning')])
        .when({ type: 'RequestPhaseGate', data: { projectId, gateId: toPhaseGateId('g-2') }, metadata: meta })
        .thenRejects('PHASE_GATE_ALREADY_PENDING', 'conflict');
    });

    it('advances to planning when a pmo-admin approves', () => {
      spec.given([projectCreated(), requested('initiating', 'planning')]).when({ type: 'ApprovePhaseGate', data: { projectId, gateId, approver: pmoAdmin }, metadata: meta }).then([
        { type: 'PhaseGateApproved', data: { projectId, gateId, fromPhase: 'initiating', toPhase: 'planning', approvedBy: pmoAdmin.id, approvedAt: now, comment: null } },
        { type: 'ProjectPhaseAdvanced', data: { projectId, fromPhase: 'initiating', toPhase: 'planning', gateId, advancedAt: now } },
      ]);
    });

    it('lets the sponsor approve, whatever their platform role', () => {
      const events = spec.given([projectCreated(), requested('initiating', 'planning')]).when({ type: 'ApprovePhaseGate', data: { projectId, gateId, approver: theSponsor }, metadata: meta }).events();
      expect(events.map((e) => e.type)).toEqual(['PhaseGateApproved', 'ProjectPhaseAdvanced']);
      expect(events[0]).toMatchObject({ data: { approvedBy: sponsor } });
    });

    it('rejects approval by a project manager who is not the sponsor', () => {
      spec
        .given([projectCreated(), requested('initiating', 'planning')])
        .when({ type: 'ApprovePhaseGate', data: { projectId, gateId, approver: aManager }, metadata: meta })
        .thenRejects('PHASE_GATE_APPROVER_NOT_ALLOWED', 'forbidden');
    });

    it('rejects approval when the project has no sponsor and the approver is not pmo-admin', () => {
      spec
        .given([projectCreated({ sponsor: null }), requested('initiating', 'planning')])
        .when({ type: 'ApprovePhaseGate', data: { projectId, gateId, approver: { id: 'user:nobody', roles: [] } }, metadata: meta })
        .thenRejects('PHASE_GATE_APPROVER_NOT_ALLOWED');
    });

    it('rejects approving a gate that was never requested', () => {
      spec.given([projectCreated()]).when({ type: 'ApprovePhaseGate', data: { projectId, gateId, approver: pmoAdmin }, metadata: meta }).thenRejects('PHASE_GATE_NOT_FOUND', 'not-found');
    });
  });

  describe('when a gate was approved', () => {
    const advanced = projectIn('planning');
    const approvedGate = toPhaseGateId('gate-planning');

    it('does nothing when the approval is repeated', () => {
      spec.given(advanced).when({ type: 'ApprovePhaseGate', data: { projectId, gateId: approvedGate, approver: pmoAdmin }, metadata: meta }).thenNothingHappens();
    });

    it('rejects rejecting it afterwards', () => {
      spec
        .given(advanced)
        .when({ type: 'RejectPhaseGate', data: { projectId, gateId: approvedGate, approver: pmoAdmin, reason: 'late' }, metadata: meta })
        .thenRejects('PHASE_GATE_ALREADY_DECIDED', 'conflict');
    });

    it('rejects reusing its id for a new request', () => {
      spec.given(advanced).when({ type: 'RequestPhaseGate', data: { projectId, gateId: approvedGate }, metadata: meta }).thenRejects('PHASE_GATE_ID_IN_USE', 'conflict');
    });
  });

  describe('when a gate is rejected', () => {
    const given = [projectCreated(), requested('initiating', 'planning')];

    it('records the rejection and stays in the phase', () => {
      spec.given(given).when({ type: 'RejectPhaseGate', data: { projectId, gateId, approver: theSponsor, reason: 'No business case' }, metadata: meta }).then([
        { type: 'PhaseGateRejected', data: { projectId, gateId, fromPhase: 'initiating', toPhase: 'planning', rejectedBy: sponsor, rejectedAt: now, reason: 'No business case' } },
      ]);
      const after = [...given, ...spec.given(given).when({ type: 'RejectPhaseGate', data: { projectId, gateId, approver: theSponsor, reason: 'No' }, metadata: meta }).events()];
      expect(spec.given(after).state.status).toBe('initiating');
      // A fresh gate can be requested once the rejected one is out of the way.
      expect(spec.given(after).when({ type: 'RequestPhaseGate', data: { projectId, gateId: toPhaseGateId('g-2') }, metadata: meta }).events()).toHaveLength(1);
    });

    it('does nothing when the rejection is repeated', () => {
      const rejected: ProjectEvent = {
        type: 'PhaseGateRejected',
        data: { projectId, gateId, fromPhase: 'initiating', toPhase: 'planning', rejectedBy: sponsor, rejectedAt: now, reason: 'No' },
      };
      spec.given([...given, rejected]).when({ type: 'RejectPhaseGate', data: { projectId, gateId, approver: theSponsor, reason: 'No' }, metadata: meta }).thenNothingHappens();
    });

    it('rejects a rejection without a reason', () => {
      spec
        .given(given)
        .when({ type: 'RejectPhaseGate', data: { projectId, gateId, approver: pmoAdmin, reason: '' }, metadata: meta })
        .thenRejects('PHASE_GATE_REJECTION_REASON_REQUIRED', 'invalid');
    });

    it('rejects a rejection by someone who may not decide gates', () => {
      spec.given(given).when({ type: 'RejectPhaseGate', data: { projectId, gateId, approver: aManager, reason: 'x' }, metadata: meta }).thenRejects('PHASE_GATE_APPROVER_NOT_ALLOWED');
    });
  });

  describe('when executing', () => {
    it('requests the gate into closing', () => {
      const [event] = spec.given(projectIn('executing')).when({ type: 'RequestPhaseGate', data: { projectId, gateId }, metadata: meta }).events();
      expect(event).toMatchObject({ data: { fromPhase: 'executing', toPhase: 'closing' } });
    });

    it('rejects a gate request while on hold', () => {
      const onHold: ProjectEvent[] = [
        ...projectIn('executing'),
        { type: 'ProjectPutOnHold', data: { projectId, previousStatus: 'executing', reason: 'x', heldBy: 'user:mia', heldAt: now } },
      ];
      spec.given(onHold).when({ type: 'RequestPhaseGate', data: { projectId, gateId }, metadata: meta }).thenRejects('PROJECT_ON_HOLD', 'conflict');
    });

    it('rejects approving a pending gate once the project went on hold', () => {
      const pendingThenHeld: ProjectEvent[] = [
        ...projectIn('executing'),
        requested('executing', 'closing'),
        { type: 'ProjectPutOnHold', data: { projectId, previousStatus: 'executing', reason: 'x', heldBy: 'user:mia', heldAt: now } },
      ];
      spec.given(pendingThenHeld).when({ type: 'ApprovePhaseGate', data: { projectId, gateId, approver: pmoAdmin }, metadata: meta }).thenRejects('PROJECT_ON_HOLD');
    });
  });

  describe('when closing', () => {
    it('closes the project when the closing gate is approved', () => {
      const given = [...projectIn('closing'), requested('closing', 'closed')];
      spec.given(given).when({ type: 'ApprovePhaseGate', data: { projectId, gateId, approver: pmoAdmin, comment: 'Lessons learned filed' }, metadata: meta }).then([
        { type: 'PhaseGateApproved', data: { projectId, gateId, fromPhase: 'closing', toPhase: 'closed', approvedBy: pmoAdmin.id, approvedAt: now, comment: 'Lessons learned filed' } },
        { type: 'ProjectClosed', data: { projectId, gateId, closedAt: now } },
      ]);
    });

    it('rejects any further gate once closed, but repeats of the closing approval stay no-ops', () => {
      const closed: ProjectEvent[] = [
        ...projectIn('closing'),
        requested('closing', 'closed'),
        { type: 'PhaseGateApproved', data: { projectId, gateId, fromPhase: 'closing', toPhase: 'closed', approvedBy: pmoAdmin.id, approvedAt: now, comment: null } },
        { type: 'ProjectClosed', data: { projectId, gateId, closedAt: now } },
      ];
      expect(spec.given(closed).state.status).toBe('closed');
      spec.given(closed).when({ type: 'RequestPhaseGate', data: { projectId, gateId: toPhaseGateId('g-9') }, metadata: meta }).thenRejects('PROJECT_CLOSED', 'conflict');
      spec.given(closed).when({ type: 'ApprovePhaseGate', data: { projectId, gateId, approver: pmoAdmin }, metadata: meta }).thenNothingHappens();
    });
  });
});
