import type { CalendarSpec } from '@pm/shared/scheduling';
import type { Money } from '../shared/money';

export type ResourceKind = 'person' | 'generic' | 'equipment' | 'material';
/** 1 = aware … 5 = expert (the Dreyfus-style scale most skills matrices use). */
export type ProficiencyLevel = 1 | 2 | 3 | 4 | 5;

/** Data of every event is exactly its public contract `pm.resource.<type>` v1. */
export interface PersonRegistered {
  readonly type: 'PersonRegistered';
  readonly data: {
    resourceId: string;
    /** The person's login (`sub` of their token): lets them submit their own timesheets. Null when they have none. */
    userId: string | null;
    name: string;
    role: string;
    department: string;
    /** Null: the tenant's default calendar applies. */
    calendar: CalendarSpec | null;
    availabilityPercent: number;
    registeredAt: string;
  };
}

/** A role placeholder to staff later: demand is planned against it, capacity comes when a person replaces it. */
export interface GenericResourceRegistered {
  readonly type: 'GenericResourceRegistered';
  readonly data: { resourceId: string; name: string; role: string; department: string | null; registeredAt: string };
}

export interface EquipmentRegistered {
  readonly type: 'EquipmentRegistered';
  readonly data: {
    resourceId: string;
    name: string;
    kind: 'equipment' | 'material';
    /** e.g. `t`, `licence`; null for equipment. */
    unit: string | null;
    costPerUse: Money | null;
    costPerUnit: Money | null;
    registeredAt: string;
  };
}

export interface SkillRecorded {
  readonly type: 'SkillRecorded';
  readonly data: { resourceId: string; skill: string; level: ProficiencyLevel; recordedAt: string };
}

/** One row of the resource's rate table; the rate in force on a day is the latest row effective on or before it. */
export interface CostRateScheduled {
  readonly type: 'CostRateScheduled';
  readonly data: { resourceId: string; effectiveFrom: string; standardRate: Money; overtimeRate: Money; scheduledBy: string; scheduledAt: string };
}

export interface AvailabilitySet {
  readonly type: 'AvailabilitySet';
  readonly data: { resourceId: string; availabilityPercent: number; previousPercent: number; setAt: string };
}

/** Inclusive dates the person does not work (holiday, training, sickness); capacity drops to zero on them. */
export interface LeaveRecorded {
  readonly type: 'LeaveRecorded';
  readonly data: { resourceId: string; from: string; to: string; reason: string | null; recordedAt: string };
}

export type ResourceEvent =
  | PersonRegistered
  | GenericResourceRegistered
  | EquipmentRegistered
  | SkillRecorded
  | CostRateScheduled
  | AvailabilitySet
  | LeaveRecorded;

export type ResourceEventType = ResourceEvent['type'];
