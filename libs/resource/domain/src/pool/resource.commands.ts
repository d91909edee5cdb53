import type { CalendarSpec } from '@pm/shared/scheduling';
import type { Caller, CommandMetadata } from '../shared/command-metadata';
import type { ResourceId } from '../shared/ids';
import type { Money } from '../shared/money';
import type { ProficiencyLevel } from './resource.events';

export interface RegisterPerson {
  readonly type: 'RegisterPerson';
  readonly data: {
    resourceId: ResourceId;
    userId?: string | null;
    name: string;
    role: string;
    department: string;
    calendar?: CalendarSpec | null;
    availabilityPercent?: number;
  };
  readonly metadata: CommandMetadata;
}

export interface RegisterGenericResource {
  readonly type: 'RegisterGenericResource';
  readonly data: { resourceId: ResourceId; name: string; role: string; department?: string | null };
  readonly metadata: CommandMetadata;
}

export interface RegisterEquipment {
  readonly type: 'RegisterEquipment';
  readonly data: {
    resourceId: ResourceId;
    name: string;
    kind: 'equipment' | 'material';
    unit?: string | null;
    costPerUse?: Money | null;
    costPerUnit?: Money | null;
  };
  readonly metadata: CommandMetadata;
}

export interface RecordSkill {
  readonly type: 'RecordSkill';
  readonly data: { resourceId: ResourceId; skill: string; level: ProficiencyLevel };
  readonly metadata: CommandMetadata;
}

export interface ScheduleCostRate {
  readonly type: 'ScheduleCostRate';
  readonly data: { resourceId: ResourceId; effectiveFrom: string; standardRate: Money; overtimeRate?: Money; caller: Caller };
  readonly metadata: CommandMetadata;
}

export interface SetAvailability {
  readonly type: 'SetAvailability';
  readonly data: { resourceId: ResourceId; availabilityPercent: number };
  readonly metadata: CommandMetadata;
}

export interface RecordLeave {
  readonly type: 'RecordLeave';
  readonly data: { resourceId: ResourceId; from: string; to: string; reason?: string | null };
  readonly metadata: CommandMetadata;
}

export type ResourceCommand =
  | RegisterPerson
  | RegisterGenericResource
  | RegisterEquipment
  | RecordSkill
  | ScheduleCostRate
  | SetAvailability
  | RecordLeave;
