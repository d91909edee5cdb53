import { snapshotPolicy } from '@pm/shared/ddd';
import type { Aggregate } from '@pm/shared/ddd';
import { allocationDecider } from './allocation/allocation.decider';
import type { AllocationCommand, AllocationEvent, AllocationState } from './allocation/allocation.decider';
import type { AssignmentCommand } from './assignment/assignment.commands';
import { assignmentDecider } from './assignment/assignment.decider';
import type { AssignmentEvent } from './assignment/assignment.events';
import type { AssignmentState } from './assignment/assignment.state';
import type { BudgetCommand } from './budget/budget.commands';
import { budgetDecider } from './budget/budget.decider';
import type { BudgetEvent } from './budget/budget.events';
import type { BudgetState } from './budget/budget.state';
import { levellingProposalDecider } from './levelling/levelling-proposal.decider';
import type { LevellingProposalState, LevellingProposed, ProposeLevelling } from './levelling/levelling-proposal.decider';
import type { ResourceCommand } from './pool/resource.commands';
import { resourceDecider } from './pool/resource.decider';
import type { ResourceEvent } from './pool/resource.events';
import type { ResourceState } from './pool/resource.state';
import { tenantSettingsDecider } from './tenant/tenant-settings.decider';
import type { TenantSettingsCommand, TenantSettingsEvent, TenantSettingsState } from './tenant/tenant-settings.decider';
import type { TimesheetCommand } from './timesheet/timesheet.commands';
import { utilisationDecider } from './utilisation/utilisation.decider';
import type { UtilisationCommand, UtilisationEvent, UtilisationState } from './utilisation/utilisation.decider';
import { timesheetDecider } from './timesheet/timesheet.decider';
import type { TimesheetEvent } from './timesheet/timesheet.events';
import type { TimesheetState } from './timesheet/timesheet.state';

/** How many events a snapshotted stream folds on top of its latest snapshot, at most, unless the service says otherwise. */
const SNAPSHOT_EVERY = 100;

/*
 * The aggregates of the resource context, as the platform's write path takes them. A snapshot policy's
 * schemaVersion names the state's shape: bump it whenever the state changes shape, and older snapshots are
 * ignored (the stream is folded from its start once, and snapshotted again).
 */

/**
 * One person, placeholder or piece of equipment: a stream that grows for as long as the person works here (rate
 * rows, skills, leave, availability), so it is loaded from snapshots. Version 1: skills as a Map.
 */
export const resourceAggregate: Aggregate<ResourceCommand, ResourceEvent, ResourceState> = {
  name: 'resource.resource',
  context: 'resource',
  decider: resourceDecider,
  snapshot: snapshotPolicy<ResourceState>('resource.resource', 1, SNAPSHOT_EVERY),
};

/** One assignment of a resource to a task: a handful of events in its life. */
export const assignmentAggregate: Aggregate<AssignmentCommand, AssignmentEvent, AssignmentState> = {
  name: 'resource.assignment',
  context: 'resource',
  decider: assignmentDecider,
};

/**
 * What was published about one resource's over-allocation: re-evaluated after every plan change that touches the
 * resource, for years, so it is loaded from snapshots.
 */
export const allocationAggregate: Aggregate<AllocationCommand, AllocationEvent, AllocationState> = {
  name: 'resource.allocation',
  context: 'resource',
  decider: allocationDecider,
  snapshot: snapshotPolicy<AllocationState>('resource.allocation', 1, SNAPSHOT_EVERY),
};

/**
 * What was published about one resource's weekly utilisation for reporting (ADR 0502): re-evaluated with the
 * over-allocation, for years, so it is loaded from snapshots. Version 1: weeks as a Map.
 */
export const utilisationAggregate: Aggregate<UtilisationCommand, UtilisationEvent, UtilisationState> = {
  name: 'resource.utilisation',
  context: 'resource',
  decider: utilisationDecider,
  snapshot: snapshotPolicy<UtilisationState>('resource.utilisation', 1, SNAPSHOT_EVERY),
};

/** One week of one person's time: submitted, perhaps rejected and resubmitted, approved. */
export const timesheetAggregate: Aggregate<TimesheetCommand, TimesheetEvent, TimesheetState> = {
  name: 'resource.timesheet',
  context: 'resource',
  decider: timesheetDecider,
};

/** A project's budget: every approved week and every expense lands here, so it is loaded from snapshots. */
export const budgetAggregate: Aggregate<BudgetCommand, BudgetEvent, BudgetState> = {
  name: 'resource.budget',
  context: 'resource',
  decider: budgetDecider,
  snapshot: snapshotPolicy<BudgetState>('resource.budget', 1, SNAPSHOT_EVERY),
};

/** One per tenant; it changes when an administrator changes a default, and is read by many commands. */
export const tenantSettingsAggregate: Aggregate<TenantSettingsCommand, TenantSettingsEvent, TenantSettingsState> = {
  name: 'resource.tenant-settings',
  context: 'resource',
  decider: tenantSettingsDecider,
  snapshot: snapshotPolicy<TenantSettingsState>('resource.tenant-settings', 1, SNAPSHOT_EVERY),
};

/** One proposal, published once. */
export const levellingProposalAggregate: Aggregate<ProposeLevelling, LevellingProposed, LevellingProposalState> = {
  name: 'resource.levelling-proposal',
  context: 'resource',
  decider: levellingProposalDecider,
};
