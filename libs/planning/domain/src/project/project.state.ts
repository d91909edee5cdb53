import type { HoldablePhase, KpiDefinition, PhaseGateRequested, ProjectCreated, ProjectPhase } from './project.events';

export type ProjectProfile = Omit<ProjectCreated['data'], 'status'>;

export interface Kpi extends KpiDefinition {
  actual: number | null;
  measuredOn: string | null;
}

export interface Objective {
  readonly objectiveId: string;
  readonly description: string;
  readonly kpis: ReadonlyMap<string, Kpi>;
}

export interface ScopeStatement {
  readonly statement: string;
  readonly inScope: readonly string[];
  readonly outOfScope: readonly string[];
  readonly assumptions: readonly string[];
  readonly constraints: readonly string[];
}

export type PhaseGateDecision = 'pending' | 'approved' | 'rejected';

export interface PhaseGate {
  readonly gateId: string;
  readonly fromPhase: ProjectPhase;
  readonly toPhase: PhaseGateRequested['data']['toPhase'];
  readonly decision: PhaseGateDecision;
}

/** What every created project carries, whatever its status. Client-chosen ids key Maps, never objects (ADR 0008). */
export interface ProjectRecord {
  readonly profile: ProjectProfile;
  readonly objectives: ReadonlyMap<string, Objective>;
  readonly scope: ScopeStatement | null;
  readonly statusDate: string | null;
  readonly gates: ReadonlyMap<string, PhaseGate>;
  readonly pendingGateId: string | null;
}

export interface NoProject {
  readonly status: 'not-created';
}

export interface ProjectInPhase {
  readonly status: ProjectPhase;
  readonly project: ProjectRecord;
}

export interface ProjectOnHold {
  readonly status: 'on-hold';
  readonly project: ProjectRecord;
  /** Where a resume returns to: on-hold remembers the phase it interrupted. */
  readonly resumeTo: HoldablePhase;
}

export interface ClosedProject {
  readonly status: 'closed';
  readonly project: ProjectRecord;
  readonly closedAt: string;
}

export interface CancelledProject {
  readonly status: 'cancelled';
  readonly project: ProjectRecord;
  readonly cancelledAt: string;
  readonly reason: string;
}

export type ExistingProject = ProjectInPhase | ProjectOnHold | ClosedProject | CancelledProject;
export type OpenProject = ProjectInPhase | ProjectOnHold;
export type ProjectState = NoProject | ExistingProject;
export type ProjectStatus = ProjectState['status'];

export const initialProjectState = (): ProjectState => ({ status: 'not-created' });
