import { randomUUID } from 'node:crypto';
import {
  changeRequestApprovedV1,
  changeRequestRaisedV2,
  projectEarnedValueCalculatedV2,
  projectEarnedValueCalculatedV3,
  projectRiskExposureChangedV2,
  projectScheduleCalculatedV1,
} from '@pm/contracts';
import type { ProjectEarnedValueCalculatedV3 } from '@pm/contracts';
import type { ProjectionEvent } from '@pm/platform/projections';

/** Builds the events of one project's three streams (project, schedule, risk exposure) for the portfolio specs. */
export class PortfolioEventsOf {
  readonly projectId = randomUUID();
  private readonly versions = new Map<string, number>();

  constructor(readonly tenantId: string) {}

  private event(
    stream: 'project' | 'schedule' | 'risk-exposure' | 'change-request',
    type: string,
    schemaVersion: number,
    at: string,
    data: Record<string, unknown>,
    streamKey: string = this.projectId,
  ): ProjectionEvent {
    const streamId = `${stream}:${this.tenantId}:${streamKey}`;
    const streamVersion = (this.versions.get(streamId) ?? 0) + 1;
    this.versions.set(streamId, streamVersion);
    return { eventId: randomUUID(), type, schemaVersion, tenantId: this.tenantId, streamId, streamVersion, occurredAt: at, recordedAt: at, data: { projectId: this.projectId, ...data } };
  }

  created(at: string, name: string, currency = 'EUR'): ProjectionEvent {
    return this.event('project', 'pm.planning.ProjectCreated', 1, at, {
      name,
      code: null,
      description: null,
      startDate: '2026-04-01',
      targetFinishDate: '2026-12-18',
      status: 'initiating',
      priority: 'medium',
      sponsor: null,
      managerId: null,
      currency,
      calendarId: null,
      createdAt: at,
    });
  }

  renamed(at: string, name: string): ProjectionEvent {
    return this.event('project', 'pm.planning.ProjectRenamed', 1, at, { name });
  }

  advanced(at: string, toPhase: 'planning' | 'executing' | 'closing'): ProjectionEvent {
    return this.event('project', 'pm.planning.ProjectPhaseAdvanced', 1, at, { fromPhase: 'initiating', toPhase, gateId: 'gate-1', advancedAt: at });
  }

  gateRequested(at: string, gateId: string): ProjectionEvent {
    return this.event('project', 'pm.planning.PhaseGateRequested', 1, at, { gateId, fromPhase: 'initiating', toPhase: 'planning', requestedBy: 'user:pm', requestedAt: at, note: null });
  }

  gateApproved(at: string, gateId: string): ProjectionEvent {
    return this.event('project', 'pm.planning.PhaseGateApproved', 1, at, { gateId, fromPhase: 'initiating', toPhase: 'planning', approvedBy: 'sponsor-1', approvedAt: at, comment: null });
  }

  changeRequestRaised(at: string, changeRequestId: string): ProjectionEvent {
    const { projectId: _, ...example } = changeRequestRaisedV2.example;
    return this.event('change-request', 'pm.planning.ChangeRequestRaised', 2, at, { ...example, changeRequestId, raisedAt: at }, changeRequestId);
  }

  changeRequestApproved(at: string, changeRequestId: string): ProjectionEvent {
    const { projectId: _, ...example } = changeRequestApprovedV1.example;
    return this.event('change-request', 'pm.planning.ChangeRequestApproved', 1, at, { ...example, changeRequestId, approvedAt: at }, changeRequestId);
  }

  putOnHold(at: string): ProjectionEvent {
    return this.event('project', 'pm.planning.ProjectPutOnHold', 1, at, { previousStatus: 'executing', reason: 'Budget freeze', heldBy: 'user:pm', heldAt: at });
  }

  scheduled(at: string, projectFinish: string): ProjectionEvent {
    const { projectId: _, ...example } = projectScheduleCalculatedV1.example;
    return this.event('schedule', 'pm.planning.ProjectScheduleCalculated', 1, at, { ...example, projectFinish });
  }

  earnedValue(at: string, figures: { pv: number; ev: number; ac: number; overdue: number }): ProjectionEvent {
    const { projectId: _, ...example } = projectEarnedValueCalculatedV2.example;
    const { pv, ev, ac, overdue } = figures;
    const cpi = ac > 0 ? ev / ac : null;
    return this.event('schedule', 'pm.planning.ProjectEarnedValueCalculated', 2, at, {
      ...example,
      pv,
      ev,
      ac,
      spi: pv > 0 ? ev / pv : null,
      cpi,
      eac: cpi ? example.bac / cpi : null,
      overdueMilestoneCount: overdue,
      milestoneCount: Math.max(overdue, example.milestoneCount),
    });
  }

  /** A v3 event (ADR 0501): the figures at a status date with the baseline's PV curve and the milestones' forecasts. */
  progress(at: string, figures: Partial<ProjectEarnedValueCalculatedV3> & Pick<ProjectEarnedValueCalculatedV3, 'statusDate' | 'pv' | 'ev' | 'ac'>): ProjectionEvent {
    const { projectId: _, ...example } = projectEarnedValueCalculatedV3.example;
    const { pv, ev, ac } = figures;
    return this.event('schedule', 'pm.planning.ProjectEarnedValueCalculated', 3, at, {
      ...example,
      spi: pv > 0 ? ev / pv : null,
      cpi: ac > 0 ? ev / ac : null,
      eac: ac > 0 && ev > 0 ? (example.bac * ac) / ev : null,
      ...figures,
    });
  }

  exposure(at: string, figures: { critical: number; high: number; openIssues: number; p80Finish: string | null }): ProjectionEvent {
    const { projectId: _, ...example } = projectRiskExposureChangedV2.example;
    const top = example.topRisks[0];
    const topRisks = [
      ...Array.from({ length: figures.critical }, () => ({ ...top, riskId: randomUUID(), probability: 5, impact: 5, score: 25, rating: 'critical' as const })),
      ...Array.from({ length: figures.high }, () => ({ ...top, riskId: randomUUID(), rating: 'high' as const })),
    ];
    return this.event('risk-exposure', 'pm.risk.ProjectRiskExposureChanged', 2, at, {
      ...example,
      openRisks: topRisks.length,
      topRisks,
      cells: topRisks.length ? [{ probability: 4, impact: 4, count: topRisks.length }] : [],
      openIssues: figures.openIssues,
      scheduleRisk: figures.p80Finish && example.scheduleRisk ? { ...example.scheduleRisk, p80Finish: figures.p80Finish } : null,
    });
  }
}
