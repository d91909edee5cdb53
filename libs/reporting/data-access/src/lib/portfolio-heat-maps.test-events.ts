import { randomUUID } from 'node:crypto';
import { resourceUtilisationChangedV1, riskIdentifiedV1 } from '@pm/contracts';
import type { ProjectionEvent } from '@pm/platform/projections';

type Week = readonly [weekStart: string, capacityMinutes: number, demandMinutes: number];
type Cell = readonly [probability: number, impact: number];
type Rating = 'low' | 'medium' | 'high' | 'critical';

/** Builds the events of the heat maps' streams (a resource's utilisation, a risk of the register) for the specs. */
export class HeatMapEventsOf {
  private readonly versions = new Map<string, number>();

  constructor(readonly tenantId: string) {}

  private event(streamId: string, type: string, schemaVersion: number, at: string, data: Record<string, unknown>): ProjectionEvent {
    const streamVersion = (this.versions.get(streamId) ?? 0) + 1;
    this.versions.set(streamId, streamVersion);
    return { eventId: randomUUID(), type, schemaVersion, tenantId: this.tenantId, streamId, streamVersion, occurredAt: at, recordedAt: at, data };
  }

  utilisation(
    at: string,
    resourceId: string,
    profile: { name: string; kind?: 'person' | 'generic' | 'equipment'; role: string | null; department: string | null },
    weeks: readonly Week[],
    droppedWeeks: readonly string[] = [],
  ): ProjectionEvent {
    return this.event(`utilisation:${this.tenantId}:${resourceId}`, resourceUtilisationChangedV1.type, 1, at, {
      resourceId,
      kind: 'person',
      ...profile,
      weeks: weeks.map(([weekStart, capacityMinutes, demandMinutes]) => ({ weekStart, capacityMinutes, demandMinutes })),
      droppedWeeks,
      calculatedAt: at,
    });
  }

  riskIdentified(at: string, riskId: string, projectId: string, title: string): ProjectionEvent {
    return this.event(`risk:${this.tenantId}:${riskId}`, riskIdentifiedV1.type, 1, at, { ...riskIdentifiedV1.example, riskId, projectId, title, ownerId: 'user:owner-1', identifiedAt: at });
  }

  /** Each dimension given as its cell; the rating is the caller's (the tenant's matrix decides it in the risk service). */
  riskAssessed(at: string, riskId: string, projectId: string, inherent: Record<string, Cell>, residual: Record<string, Cell> | null, rating: Rating): ProjectionEvent {
    const assessment = (dims: Record<string, Cell>) => {
      const dimensions = Object.fromEntries(['schedule', 'cost', 'scope', 'quality'].map((k) => [k, dims[k] ? { probability: dims[k][0], impact: dims[k][1], score: dims[k][0] * dims[k][1], rating } : null]));
      return { dimensions, score: Math.max(...Object.values(dims).map(([p, i]) => p * i)), rating };
    };
    return this.event(`risk:${this.tenantId}:${riskId}`, 'pm.risk.RiskAssessed', 2, at, {
      riskId,
      projectId,
      inherent: assessment(inherent),
      residual: residual && assessment(residual),
      rating,
      matrixRevision: 0,
      assessedBy: 'user:owner-1',
      assessedAt: at,
      costImpact: null,
      expectedCost: null,
    });
  }

  riskStatus(at: string, riskId: string, projectId: string, from: string, to: string): ProjectionEvent {
    return this.event(`risk:${this.tenantId}:${riskId}`, 'pm.risk.RiskStatusChanged', 1, at, { riskId, projectId, from, to, reason: null, changedBy: 'user:owner-1', changedAt: at });
  }

  riskOwner(at: string, riskId: string, projectId: string, ownerId: string): ProjectionEvent {
    return this.event(`risk:${this.tenantId}:${riskId}`, 'pm.risk.RiskOwnerAssigned', 1, at, { riskId, projectId, ownerId, previousOwnerId: null, assignedBy: 'user:pm-1', assignedAt: at });
  }
}

export const newId = (): string => randomUUID();
